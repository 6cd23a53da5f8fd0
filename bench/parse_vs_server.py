#!/usr/bin/env python3
"""Parse speed of pgconflint against PostgreSQL 15 on the same generated files.

Generates a 100,000-line pg_hba.conf (about 6 MB) and a 100,000-line postgresql.conf,
checks that the server accepts every generated line, then in one run:
  * times the server reading the files in one psql session:
      - `select count(*) from pg_hba_file_rules` / `... from pg_file_settings`, as seen by
        the client (psql \\timing: round trip, planning, execution),
      - the same statement's server-side execution time (EXPLAIN (ANALYZE, TIMING OFF)),
  * times pgconflint's parsers in-process (Google Benchmark, <build>/pgl_bench),
  * times the pgconflint CLI (`dump hba` / `dump conf`, JSON rows to /dev/null; process start included),
and prints a Markdown table of medians with the ratios (ours / server round trip).

The postgresql.conf half runs only when `pgconflint dump conf` is implemented.

Usage: python3 bench/parse_vs_server.py [--build DIR] [--lines N] [--repeat N] [--only hba|conf]
       python3 bench/parse_vs_server.py --write-only DIR   (just write the files)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, '..'))
sys.path.insert(0, os.path.join(SRC, 'tests', 'scripts'))
import pgserver  # noqa: E402

# The only message the server may show for a generated pg_hba.conf line: the test cluster
# runs without SSL, so hostssl lines load with this warning (pgconflint: --ssl off).
HBA_ALLOWED_ERRORS = {'hostssl record cannot match because SSL is disabled'}

# --------------------------------------------------------------------------- pg_hba.conf

TEAMS = ['billing', 'reporting', 'crm', 'search', 'auth', 'etl', 'web', 'mobile', 'ops', 'audit']


def _v4(rnd: random.Random) -> str:
    return f'10.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(256)}'


def _hba_block(b: int, rnd: random.Random) -> list[str]:
    """One tenant block (about 60 bytes per line on average), valid for PostgreSQL 15."""
    t = TEAMS[b % len(TEAMS)]
    db = f'{t}_{b}'
    role = f'{t}_app_{b}'
    net2 = f'{(b >> 8) % 256}.{b % 256}'
    v6 = f'2001:db8:{b % 65536:x}'
    lines = [
        f'# tenant {b} ({t})',
        f'local   {db}  {role}  peer map=tenant_{b % 50}',
        f'local   {db}  all  scram-sha-256',
        f'host    {db}  {role}  10.{net2}.0/24  scram-sha-256',
        f'host    {db},{db}_ro {role},+{t}_ro 172.16.{b % 256}.0 255.255.255.0 scram-sha-256',
        f'hostssl {db}  {role}  {v6}::/48  scram-sha-256',
        f'hostssl "{t.title()} {b}" "{t} admin","x,{b}" {_v4(rnd)}/32 cert clientcert=verify-full',
        f'hostnossl {db} all 10.{net2}.0/24 reject',
        f'host    {db}  @tenant_admins.txt  app{b}.{t}.example.com  md5',
        '',
        f'# {t}: ldap for humans',
        f'hostssl {db} +{t}_hum 192.168.{b % 256}.0/24 ldap ldapserver=ldap{b % 3}.example.com '
        f'ldapprefix="cn=" ldapsuffix=", dc=example, dc=com" ldaptls=1',
        f'host    replication repl_{b} {v6}::{b % 997:x}/128 scram-sha-256',
        f'host    {db}  {role}  fe80::{b % 65536:x}:1 ffff:ffff:ffff:ffff:: md5',
        f'hostgssenc {db} all .{t}.example.com gss include_realm=0 krb_realm=EXAMPLE.COM',
        f'host    sameuser  all  samenet  scram-sha-256',
        f'host    {db}  {role}  10.{net2}.128/25 radius radiusservers=10.0.0.{b % 250 + 1} '
        f'radiussecrets=s{b} radiusports=1812',
        f'hostssl {db}  all  10.{net2}.0/24 pam pamservice=postgresql clientcert=verify-ca',
        f'host    all   {role}  "{_v4(rnd)}"/32  password',
        f'host    {db}  {role}  10.{net2}.0/24  trust  # TODO: tighten',
    ]
    if b % 10 == 0:  # an occasional long rule split with backslash continuations (14+)
        lines += [f'host    {db},{db}_archive,{db}_staging \\',
                  f'        {role},{t}_batch_{b},{t}_etl_{b} \\',
                  f'        10.{net2}.0/24 scram-sha-256']
    if b % 7 == 0:
        lines += ['#', f'# end of tenant {b}', '#']
    return lines


def gen_hba(lines: int, rnd: random.Random) -> str:
    out = ['# pg_hba.conf generated for benchmarking (pgconflint bench/parse_vs_server.py)',
           '# TYPE  DATABASE        USER            ADDRESS                 METHOD',
           'local   all             postgres                                peer',
           'host    all             all             127.0.0.1/32            scram-sha-256',
           'host    all             all             ::1/128                 scram-sha-256',
           'host    all             all             samehost                scram-sha-256',
           '']
    b = 0
    while len(out) < lines:
        out.extend(_hba_block(b, rnd))
        b += 1
    out = out[:lines]
    if out[-1].endswith('\\'):
        out[-1] = out[-1][:-1]
    return '\n'.join(out) + '\n'


HBA_EXTRA_FILES = {'tenant_admins.txt': 'dba_alice dba_bob\n"dba carol"\n+dba_team\n'}

# ---------------------------------------------------------------------- postgresql.conf

# Built-in parameters, each set once at the top of the file with a valid PostgreSQL 15
# value: the server's duplicate detection is quadratic in the number of repeated
# built-in names (guc-file.l), which a generated file must not exercise by accident.
# No postmaster-context parameters: pg_file_settings reports "setting could not be
# applied" for those when the value differs from the running server's.
CONF_HEAD = [
    "ssl = off",
    "authentication_timeout = 1min",
    "temp_buffers = 16MB",
    "hash_mem_multiplier = 2.0",
    "bgwriter_delay = 200ms",
    "vacuum_cost_limit = 400",
    "log_autovacuum_min_duration = 10s",
    "ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL'",
    "password_encryption = scram-sha-256",
    "work_mem = 64MB",
    "maintenance_work_mem = 1GB",
    "autovacuum_work_mem = -1",
    "effective_io_concurrency = 200",
    "max_parallel_workers_per_gather = 4",
    "max_parallel_workers = 16",
    "synchronous_commit = on",
    "wal_compression = on",
    "checkpoint_timeout = 15min",
    "checkpoint_completion_target = 0.9",
    "max_wal_size = 8GB",
    "min_wal_size = 1GB",
    "archive_command = 'test ! -f /mnt/archive/%f && cp %p /mnt/archive/%f'",
    "wal_keep_size = 2GB",
    "random_page_cost = 1.1",
    "effective_cache_size = 12GB",
    "default_statistics_target = 200",
    "log_destination = 'stderr'",
    "log_directory = 'log'",
    "log_filename = 'postgresql-%Y-%m-%d_%H%M%S.log'",
    "log_rotation_age = 1d",
    "log_rotation_size = 0",
    "log_min_duration_statement = 250ms",
    "log_checkpoints = on",
    "log_connections = on",
    "log_disconnections = on",
    "log_lock_waits = on",
    "log_line_prefix = '%m [%p] %q%u@%d '",
    "log_statement = 'ddl'",
    "log_timezone = 'Etc/UTC'",
    "track_io_timing = on",
    "autovacuum_naptime = 30s",
    "autovacuum_vacuum_scale_factor = 0.05",
    "search_path = '\"$user\", public'",
    "default_transaction_isolation = 'read committed'",
    "statement_timeout = 0",
    "idle_in_transaction_session_timeout = 10min",
    "datestyle = 'iso, mdy'",
    "timezone = 'Etc/UTC'",
    "lc_messages = 'C'",
    "lc_monetary = 'C'",
    "lc_numeric = 'C'",
    "lc_time = 'C'",
    "default_text_search_config = 'pg_catalog.english'",
    "jit = off",
]


def _conf_block(b: int, rnd: random.Random) -> list[str]:
    """A section in the style of postgresql.conf.sample: mostly commented-out defaults
    with trailing comments, and one active setting of a custom class (a placeholder).

    One active line per 20: PostgreSQL 15 keeps its parameters in a sorted array and
    re-sorts it for every new placeholder, and scans the whole list for every repeated
    name, so a file where most lines set distinct custom names (or repeat names) makes
    the server quadratic - minutes for 100,000 lines, which is not what is compared here.
    """
    c = f'{TEAMS[b % len(TEAMS)]}_{b}'
    active = [
        f'{c}.pool_size = {10 + b % 90}\t\t# connections per node',
        f"{c}.statement_timeout = '{30 + b % 300}s'",
        f'{c}.enabled = {rnd.choice(["on", "off", "true", "false", "yes", "no"])}',
        f"{c}.search_path = '\"$user\", public, {c}'",
        f"{c}.description = 'It''s the {c} service; owner: team {b % 97}'\t# quoted '' escape",
        f'{c}.ratio = {rnd.random():.4f}',
        f"{c}.endpoint = 'https://{c}.internal.example.com:8443/v1'",
        f'{c}.log_level=warning',
        f'{c}.max_rows = 1.5e{3 + b % 4}',
        f'{c}.owner = app_{b % 1000}',
    ][b % 10]
    return [
        '',
        '#------------------------------------------------------------------------------',
        f'# {c.upper()} SETTINGS',
        '#------------------------------------------------------------------------------',
        '',
        '# - Memory -',
        '',
        f'#work_mem = {rnd.choice([4, 8, 16])}MB\t\t\t\t# min 64kB',
        '#hash_mem_multiplier = 2.0\t\t# 1-1000.0 multiplier on hash table work_mem',
        '#maintenance_work_mem = 64MB\t\t# min 1MB',
        '#logical_decoding_work_mem = 64MB\t# min 64kB',
        '#max_stack_depth = 2MB\t\t\t# min 100kB',
        '',
        f"#{c}.search_path = '\"$user\", public'\t# schema names",
        f'#{c}.retries = 3\t\t\t# 0 disables',
        '#statement_timeout = 0\t\t\t# in milliseconds, 0 is disabled',
        '#lock_timeout = 0\t\t\t# in milliseconds, 0 is disabled',
        active,
        '',
    ]


def gen_conf(lines: int, rnd: random.Random) -> str:
    out = ['# postgresql.conf generated for benchmarking (pgconflint bench/parse_vs_server.py)',
           '#', "# This file consists of lines of the form:", '#', '#   name = value', '#']
    out += CONF_HEAD
    b = 0
    while len(out) < lines:
        out.extend(_conf_block(b, rnd))
        b += 1
    out = out[:lines]
    return '\n'.join(out) + '\n'


# ------------------------------------------------------------------------------ timing

def psql(cluster: pgserver.Cluster, script: str) -> str:
    cmd = cluster._cmd([os.path.join(pgserver.PG_BIN, 'psql'), '-X', '-At', '-h', cluster.sock,
                        '-p', str(cluster.port), '-U', 'pgl', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1'])
    r = subprocess.run(cmd, input=script, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'psql failed: {r.stderr.strip()}')
    return r.stdout


def server_times(cluster: pgserver.Cluster, sql: str, repeat: int) -> tuple[list[float], list[float], list[float]]:
    """Round-trip times of `sql` (psql \\timing), of `select 1` (the round trip alone) and
    server execution times (EXPLAIN ANALYZE), all in one session after one warm-up."""
    script = ['\\timing on', f'{sql};']  # warm-up (first read of the view in the session)
    for _ in range(repeat):
        script += ['select 1;', f'{sql};']
    script.append('\\timing off')
    for _ in range(repeat):
        script.append(f'explain (analyze, timing off, summary on, costs off) {sql};')
    out = psql(cluster, '\n'.join(script) + '\n')
    times = [float(m) for m in re.findall(r'^Time: ([0-9.]+) ms', out, re.M)][1:]
    execs = [float(m) for m in re.findall(r'Execution Time: ([0-9.]+) ms', out)]
    return times[1::2], times[0::2], execs


def cli_times(binary: str, args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        r = subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append((time.perf_counter() - t0) * 1000)
        if r.returncode not in (0, 1):
            raise RuntimeError(f'{binary} {" ".join(args)}: exit {r.returncode}: {r.stderr.decode()[:300]}')
    return times[1:]


def bench_median(bench: str, env: dict, name: str, repeat: int) -> tuple[float, dict]:
    r = subprocess.run([bench, f'--benchmark_filter=^{name}$', '--benchmark_format=json',
                        f'--benchmark_repetitions={repeat}', '--benchmark_report_aggregates_only=true',
                        '--benchmark_min_time=0.5'],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'pgl_bench failed: {r.stderr.strip()[:300]}')
    data = json.loads(r.stdout)
    for b in data['benchmarks']:
        if b.get('error_occurred'):
            raise RuntimeError(f'{name}: {b.get("error_message")}')
        if b.get('aggregate_name') == 'median':
            return float(b['real_time']), b
    raise RuntimeError('no median in benchmark output')


# -------------------------------------------------------------------------- validation

def check_hba(cluster: pgserver.Cluster, text: str) -> int:
    """The server loads every generated line; returns the number of rows of the view."""
    rows = cluster.query_json('select error, count(*) as n from pg_hba_file_rules group by error')
    total = sum(r['n'] for r in rows)
    unexpected = [r for r in rows if r['error'] is not None and r['error'] not in HBA_ALLOWED_ERRORS]
    if unexpected:
        raise RuntimeError(f'the server rejects generated pg_hba.conf lines: {unexpected}')
    # every logical line that is not blank or a comment is one row
    logical = re.sub(r'\\\n', '', text).split('\n')
    expected = sum(1 for l in logical if l.split('#', 1)[0].strip())
    if total != expected:
        raise RuntimeError(f'pg_hba_file_rules has {total} rows, expected {expected}')
    return total


def check_conf(cluster: pgserver.Cluster, text: str) -> int:
    rows = cluster.query_json("select error, count(*) as n from pg_file_settings "
                              "where sourcefile like '%/postgresql.conf' group by error")
    total = sum(r['n'] for r in rows)
    bad = [r for r in rows if r['error'] is not None]
    if bad:
        raise RuntimeError(f'the server rejects generated postgresql.conf lines: {bad}')
    expected = sum(1 for l in text.split('\n') if l.split('#', 1)[0].strip())
    if total != expected:
        raise RuntimeError(f'pg_file_settings has {total} rows, expected {expected}')
    return total


def conf_supported(binary: str) -> bool:
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, 'postgresql.conf')
        with open(p, 'w') as f:
            f.write('work_mem = 4MB\n')
        r = subprocess.run([binary, 'dump', 'conf', p, '--pg-version', '15'], capture_output=True, text=True)
        return r.returncode == 0 and 'work_mem' in r.stdout


def write_files(directory: str, lines: int) -> tuple[str, str]:
    hba_text = gen_hba(lines, random.Random(42))
    conf_text = gen_conf(lines, random.Random(43))
    for name, content in [('pg_hba.conf', hba_text), ('postgresql.conf', conf_text), *HBA_EXTRA_FILES.items()]:
        with open(os.path.join(directory, name), 'w') as f:
            f.write(content)
    return hba_text, conf_text


def machine() -> str:
    model = '?'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return f'{os.cpu_count()} CPUs, {model}'


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(SRC, 'build-bench'))
    ap.add_argument('--lines', type=int, default=100_000)
    ap.add_argument('--repeat', type=int, default=7)
    ap.add_argument('--only', choices=['hba', 'conf'])
    ap.add_argument('--no-build', action='store_true', help='use the binaries already in --build')
    ap.add_argument('--write-only', metavar='DIR', help='write the generated files to DIR and exit')
    args = ap.parse_args()

    if args.write_only:
        os.makedirs(args.write_only, exist_ok=True)
        write_files(args.write_only, args.lines)
        return 0
    if not pgserver.available():
        print(f'PostgreSQL 15 not found in {pgserver.PG_BIN}', file=sys.stderr)
        return 77
    if not args.no_build:
        subprocess.run(['cmake', '-S', SRC, '-B', args.build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
                        '-DPGL_BENCH=ON'], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(['cmake', '--build', args.build, '-j2', '--target', 'pgl_bench', 'pgconflint'],
                       check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(args.build, 'pgconflint')
    bench = os.path.join(args.build, 'pgl_bench')
    kinds = ['hba', 'conf'] if args.only is None else [args.only]
    if 'conf' in kinds and not conf_supported(binary):
        print('note: `pgconflint dump conf` is not implemented in this build; postgresql.conf skipped',
              file=sys.stderr)
        kinds.remove('conf')

    rows = []
    with pgserver.Cluster() as cluster:
        hba_text, conf_text = write_files(cluster.data, args.lines)
        if cluster.as_root:  # the server runs as postgres and must read them
            for name in ['pg_hba.conf', 'postgresql.conf', *HBA_EXTRA_FILES]:
                os.chown(cluster.path(name), *pgserver.pwd.getpwnam('postgres')[2:4])
        try:
            hba = cluster.path('pg_hba.conf')
            conf = cluster.path('postgresql.conf')
            env = dict(os.environ, PGL_BENCH_HBA=hba, PGL_BENCH_CONF=conf)
            for kind in kinds:
                if kind == 'hba':
                    path, text = hba, hba_text
                    server_rows = check_hba(cluster, text)
                    sql, bname = 'select count(*) from pg_hba_file_rules', 'bm_parse_hba'
                    cli_args = ['dump', 'hba', path, '--pg-version', '15', '--ssl', 'off']
                else:
                    path, text = conf, conf_text
                    server_rows = check_conf(cluster, text)
                    sql, bname = 'select count(*) from pg_file_settings', 'bm_parse_conf'
                    cli_args = ['dump', 'conf', path, '--pg-version', '15']
                rt, rt1, ex = server_times(cluster, sql, args.repeat)
                parse, b = bench_median(bench, env, bname, args.repeat)
                ours_rows = int(b.get('records', b.get('items', 0)))
                if kind == 'hba' and ours_rows != server_rows:
                    raise RuntimeError(f'pgconflint parsed {ours_rows} records, the server has {server_rows} rows')
                cli = statistics.median(cli_times(binary, cli_args, args.repeat))
                rows.append(dict(kind='pg_hba.conf' if kind == 'hba' else 'postgresql.conf',
                                 lines=text.count('\n'), bytes=len(text.encode()), rows=server_rows,
                                 server=statistics.median(rt), select1=statistics.median(rt1),
                                 execution=statistics.median(ex), parse=parse, cli=cli))
        finally:
            cluster.write('pg_hba.conf', cluster.original_hba)

    print(f'machine: {machine()}; {args.repeat} runs each, medians; {time.strftime("%Y-%m-%d")}')
    print()
    print('| file | lines | bytes | rows | server: query round trip (ms) | server: execution (ms) '
          '| pgconflint parse (ms) | parse / round trip | pgconflint dump CLI (ms) | CLI / round trip |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for r in rows:
        print(f"| {r['kind']} | {r['lines']} | {r['bytes']} | {r['rows']} | {r['server']:.1f} | {r['execution']:.1f} "
              f"| {r['parse']:.1f} | {r['parse'] / r['server']:.2f} | {r['cli']:.1f} | {r['cli'] / r['server']:.2f} |")
    print()
    print(f"round trip of `select 1` in the same session: {statistics.median([r['select1'] for r in rows]):.2f} ms")
    return 0


if __name__ == '__main__':
    sys.exit(main())
