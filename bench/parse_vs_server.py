#!/usr/bin/env python3
"""Parse speed of pgconflint against PostgreSQL 15 on the same generated files.

Generates a 100,000-line pg_hba.conf and a 100,000-line postgresql.conf, then in one run:
  * times pgconflint's parsers in-process (Google Benchmark, build/pgl_bench),
  * times the pgconflint CLI (`dump hba` / `dump conf`, JSON output to /dev/null),
  * times the server reading the same files: `select count(*) from pg_hba_file_rules`
    and `select count(*) from pg_file_settings` in one psql session (\\timing),
and prints a Markdown table with the ratios (ours / server).

Usage: python3 bench/parse_vs_server.py [--build build-bench] [--lines 100000] [--repeat 5]
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
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'scripts'))
import pgserver  # noqa: E402

METHODS = ['scram-sha-256', 'md5', 'trust', 'reject', 'password', 'cert']


def gen_hba(lines: int, rnd: random.Random) -> str:
    out = ['# generated pg_hba.conf for benchmarking']
    for i in range(lines - 1):
        k = i % 10
        if k == 0:
            out.append(f'# block {i // 10}: application servers of tenant {i}')
        elif k == 1:
            out.append(f'local   db_{i}   user_{i}   peer map=map_{i % 7}')
        elif k == 2:
            out.append(f'hostssl db_{i},db_{i + 1} user_{i},+group_{i % 13} '
                       f'10.{i % 256}.{(i // 256) % 256}.0/24 scram-sha-256')
        elif k == 3:
            out.append(f'hostnossl all all 10.{i % 256}.0.0 255.255.0.0 reject')
        elif k == 4:
            out.append(f'host    "db {i}"   "user,{i}"   2001:db8:{i % 65536:x}::/48   md5')
        elif k == 5:
            out.append(f'hostssl all   all   192.168.{i % 256}.{rnd.randrange(256)}/32   cert clientcert=verify-full')
        elif k == 6:
            out.append(f'host    replication replicator_{i}   172.16.{i % 256}.0/24   scram-sha-256')
        elif k == 7:
            out.append(f'host    all   all   host{i}.example.com   {METHODS[i % len(METHODS)] if METHODS[i % len(METHODS)] != "cert" else "md5"}')
        elif k == 8:
            out.append(f'hostssl db_{i} all 10.0.0.0/8 ldap ldapserver=ldap{i % 5}.example.com ldapprefix="cn=" ldapsuffix=", dc=example, dc=com" ldaptls=1')
        else:
            out.append('')
    return '\n'.join(out) + '\n'


CONF_LINES = [
    "work_mem = '{n}kB'",
    "shared_buffers = {m}MB",
    "log_min_duration_statement = {n}ms",
    "enable_seqscan = {b}",
    "random_page_cost = 1.{n}",
    "application_name = 'app_{n}'",
    "log_line_prefix = '%m [%p] %q%u@%d '",
    "# comment line {n}",
    "myext.setting_{n} = 'value {n}'",
    "search_path = '\"$user\", public'",
]


def gen_conf(lines: int, rnd: random.Random) -> str:
    out = []
    for i in range(lines):
        tpl = CONF_LINES[i % len(CONF_LINES)]
        out.append(tpl.format(n=64 + i % 5000, m=128 + i % 64, b=rnd.choice(['on', 'off', 'true', 'no'])))
    return '\n'.join(out) + '\n'


def server_times(cluster: pgserver.Cluster, sql: str, repeat: int) -> list[float]:
    script = '\\timing on\n' + ''.join(f'{sql};\n' for _ in range(repeat))
    cmd = cluster._cmd([os.path.join(pgserver.PG_BIN, 'psql'), '-X', '-At', '-h', cluster.sock,
                        '-p', str(cluster.port), '-U', 'pgl', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1'])
    r = subprocess.run(cmd, input=script, capture_output=True, text=True, check=True)
    return [float(m) for m in re.findall(r'Time: ([0-9.]+) ms', r.stdout)]


def cli_times(binary: str, args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def bench_times(bench: str, env: dict, name: str, repeat: int) -> float:
    r = subprocess.run([bench, f'--benchmark_filter={name}$', '--benchmark_format=json',
                        f'--benchmark_repetitions={repeat}', '--benchmark_report_aggregates_only=true'],
                       env=env, capture_output=True, text=True, check=True)
    data = json.loads(r.stdout)
    for b in data['benchmarks']:
        if b.get('aggregate_name') == 'median':
            return float(b['real_time'])
    raise RuntimeError('no median in benchmark output')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build-bench'))
    ap.add_argument('--lines', type=int, default=100_000)
    ap.add_argument('--repeat', type=int, default=5)
    args = ap.parse_args()
    src = os.path.join(HERE, '..')
    subprocess.run(['cmake', '-S', src, '-B', args.build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
                    '-DPGL_BENCH=ON'], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(['cmake', '--build', args.build, '--target', 'pgl_bench', 'pgconflint'], check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(args.build, 'pgconflint')
    bench = os.path.join(args.build, 'pgl_bench')
    rnd = random.Random(42)
    hba_text = gen_hba(args.lines, rnd)
    conf_text = gen_conf(args.lines, rnd)
    with pgserver.Cluster() as cluster:
        hba = cluster.write('pg_hba.conf', hba_text)
        conf = cluster.write('postgresql.conf', conf_text)
        env = dict(os.environ, PGL_BENCH_HBA=hba, PGL_BENCH_CONF=conf)
        rows = []
        for kind, sql, bname in (('pg_hba.conf', 'select count(*) from pg_hba_file_rules', 'bm_parse_hba'),
                                 ('postgresql.conf', 'select count(*) from pg_file_settings', 'bm_parse_conf')):
            path = hba if kind == 'pg_hba.conf' else conf
            server = statistics.median(server_times(cluster, sql, args.repeat))
            parse = bench_times(bench, env, bname, args.repeat)
            dump_kind = 'hba' if kind == 'pg_hba.conf' else 'conf'
            cli = statistics.median(cli_times(binary, ['dump', dump_kind, path, '--pg-version', '15'], args.repeat))
            size = os.path.getsize(path)
            rows.append((kind, args.lines, size, server, parse, cli))
        cluster.write('pg_hba.conf', cluster.original_hba)
    print('| file | lines | bytes | PostgreSQL 15 view (ms) | pgconflint parse (ms) | ratio | pgconflint dump CLI (ms) | ratio |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|')
    for kind, lines, size, server, parse, cli in rows:
        print(f'| {kind} | {lines} | {size} | {server:.1f} | {parse:.1f} | {parse / server:.2f} | {cli:.1f} | {cli / server:.2f} |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
