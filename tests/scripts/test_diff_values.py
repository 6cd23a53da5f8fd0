#!/usr/bin/env python3
"""Differential test: parameter value validation against a real server (--server: Debian's
15, or the test build of a major 12-18).

For every bool / integer / real / enum parameter of data/gucs/<major>.tsv (and a few string
parameters with reproduced check hooks) we generate valid, boundary, out-of-range,
unit, bad-unit, octal/hex, whitespace and case variants, and compare
`pgconflint dump value --pg-version <major> --batch` with the server (cases whose outcome
depends on features the test builds lack are left out there: pgserver.build_dependent):

* ok / not ok, message, DETAIL and HINT: the values are written to postgresql.conf,
  one line per parameter per round, and pg_file_settings is queried with
  client_min_messages = debug3, so the server reports each rejected line's exact
  messages (set_config_option runs at DEBUG3 for the view) in file order.
* normalized value: user/superuser parameters with set_config(..., true) and
  pg_settings.setting in the same statement; other parameters (a sample) with
  `postgres -C NAME -c NAME=VALUE`.

Server quirks handled here (documented, not hidden):
* A valid value for a postmaster parameter that differs from the running value is
  reported as `parameter "<n>" cannot be changed without restarting the server`;
  that message means the value itself passed validation, so it counts as ok.
* max_stack_depth's check hook depends on the process stack rlimit and is not
  reproduced by pgconflint: cases the server rejects through it are counted as
  `skipped (state-dependent hook)`, never as passes.
* The MAX_BACKENDS hooks of 12-17 (max_connections, autovacuum_max_workers,
  max_worker_processes, max_wal_senders) add the running values of the other three;
  `dump value` takes their boot values and the cluster runs with boot values for
  them except max_connections = 10, so the generated values (none between 262030 and
  262119) give the same answer. Their file-order check at start is compared by
  test_diff_conf.py (group `backends`).
* transaction_isolation / transaction_read_only / transaction_deferrable hooks
  depend on the transaction state of the asking session; they are left out.
* internal parameters cannot be set at all (context check comes first).
* tcp_keepalives_* / tcp_user_timeout have SHOW hooks that print the socket's value
  (0 on a Unix socket), so their normalized values are not compared.
* pg_settings and `postgres -C` print reals with %g (6 significant digits), while
  the normalized form keeps full precision: reals are compared through %g.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

STATE_HOOK_PARAMS = {'max_stack_depth'}
# SHOW hooks print the socket's value (0 on a Unix socket), not the stored setting.
SHOW_HOOK_PARAMS = {'tcp_keepalives_idle', 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout'}
SESSION_STATE_PARAMS = {'transaction_isolation', 'transaction_read_only', 'transaction_deferrable'}
STRING_PARAMS = {'application_name', 'log_destination', 'TimeZone', 'log_timezone', 'cluster_name'}

BOOL_CASES = ['on', 'off', 'true', 'false', 'yes', 'no', '1', '0', 't', 'f', 'y', 'n', 'of', 'o', 'TRU', 'ye',
              'OFF', 'On', 'tRuE', 'FALS', '2', '', 'maybe', ' on', 'on ', 'enabled', '-1', '00', 'truex', 'offf',
              'nO', 'onn', 'yess', '\ton']

NUMERIC_COMMON = ['0x10', '0X1f', '010', '0x', '-0x10', '0.5', '1.5', '2.5', '-1.5', '3.5', '1e3', '1E2', '1e',
                  '.', '', ' 1', '1 ', '\t2\t', '1_000', '+3', 'abc', 'nan', 'NaN', 'inf', '-inf', 'Infinity',
                  '1e10', '9999999999', '2147483648', '-2147483649', '0x7fffffff', '0x80000000', '1.0e5', '-0',
                  '0.49999', '1e-3', '08', '0x1p4', '12abc', '5 5']
MEMORY_CASES = ['1kB', '1MB', '1GB', '1TB', '1B', '8 MB', ' 8MB  ', '8mb', '8MBs', '8 M B', '-8MB', '1.5GB',
                '0.5MB', '512B', '1kb', '1 KB', '3ms', '1.5MB', '100000TB', '0x10MB', '010kB', '1e3kB', '2.5kB',
                '1023B', '1536B', '8192B', '64kB', '1.7kB', '1MB\t']
TIME_CASES = ['1s', '1ms', '1min', '1h', '1d', '1us', '0.3ms', '1.5s', '1.5min', '1 s', '1S', '1sec', '100000000d',
              '1kB', '1.5h', '0.5d', '1500us', '2500us', '1.5us', '30s ', '-1s', '0x10s', '1e2ms', '59s', '61s',
              '0.5min', '90000ms']


def fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def gen_cases(rows: list[dict]) -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    for r in rows:
        name, typ = r['name'], r['type']
        if r['context'] == 'internal' or 'NOT IN STANDARD BUILD' in (r.get('build_condition') or ''):
            continue
        if name in SESSION_STATE_PARAMS:
            continue
        vals: list[str] = []
        if typ == 'bool':
            vals = list(BOOL_CASES)
        elif typ in ('integer', 'real'):
            lo, hi = float(r['min']), float(r['max'])
            if typ == 'integer':
                lo, hi = int(lo), int(hi)
                vals += [str(lo), str(hi), str(lo - 1), str(hi + 1), str((lo + hi) // 2), str(lo + 1), str(hi - 1)]
                vals += [hex(hi) if hi >= 0 else '-' + hex(-hi), oct(max(lo, 0)).replace('0o', '0')]
            else:
                vals += [r['min'], r['max'], fmt_num(lo - 1), fmt_num(hi * 2 if hi > 0 else hi + 1),
                         fmt_num((lo + hi) / 2) if hi < 1e300 else '1e300', '1e308', '1e309', '-1e309',
                         '0.1', '0.123456789', '1.0000001', '0x1.8p1', '1e-320', '4.0', r['boot_val']]
            vals += NUMERIC_COMMON
            if r['unit'] in ('B', 'kB', 'MB', '8kB'):
                vals += MEMORY_CASES
            elif r['unit'] in ('ms', 's', 'min'):
                vals += TIME_CASES
            else:
                vals += ['1kB', '1s', '1 ms']
        elif typ == 'enum':
            visible = r['enum_values'].split(',')
            hidden = [h for h in r['enum_hidden_aliases'].split(',') if h]
            for v in visible + hidden:
                vals += [v, v.upper(), v.capitalize(), v + ' ', ' ' + v]
                if len(v) > 3:
                    vals.append(v[:3])
            vals += ['', 'bogus', 'of', 'o', 't', 'y', '2', 'default', 'none ']
        elif name in STRING_PARAMS:
            if name in ('application_name', 'cluster_name'):
                vals = ['app', 'x' * 70, 'é' * 40, 'a\u00e9b', 'tab\there', 'UPPER', '']
            elif name == 'log_destination':
                vals = ['stderr', 'STDERR', 'stderr,csvlog', 'stderr, jsonlog', ' csvlog , stderr ', 'stderr,bogus',
                        'stderr,,csvlog', '"stderr"', '"STDERR"', 'stderr csvlog', '', ',', 'syslog', 'eventlog',
                        'stderr,"bogus""x"', '"unterminated', 'csvlog,BOGUS']
            else:
                vals = ['UTC', 'utc', 'Europe/Berlin', 'europe/berlin', 'America/New_York', 'Mars/Olympus', 'EST5EDT',
                        'UTC+3', '<+03>-3', 'XYZ', 'right/UTC', 'posix/Europe/Paris', 'GMT', 'gmt', 'Etc/GMT+5',
                        'US/Pacific', 'Europe', '', 'Europe/', '/UTC', 'ABC-5DEF', 'ABC5DEF,M3.2.0,M11.1.0',
                        'ABC5DEF,M13.2.0,M11.1.0', 'AB5', '5', '<>5', '<A B>5<C>', '<>5<>', 'A5B,J60,300/2',
                        'A5B,M3.5.0/-1,M10.5.0/26', 'A5B,M3.6.0,M10.5.0', ':UTC', 'A167', 'A168', 'A-1:59:60',
                        'A1:60', 'A5B4;M3.2.0,M11.1.0', 'A5B,M3.2.0', 'A5B,M3.2.0,M11.1.0x']
                if name == 'TimeZone':
                    vals += ['5', '-7.5', '+3', '167', '168', '-168', '1e3', ' 4']
        seen = set()
        for v in vals:
            if v in seen or '\n' in v or '\r' in v:
                continue
            seen.add(v)
            cases.append((name, v))
    return cases


def conf_quote(v: str) -> str:
    return "'" + v.replace('\\', '\\\\').replace("'", "''") + "'"


AIO_TRACE = re.compile(r'io \d+ +\|')


def parse_messages(stderr: str) -> list[dict]:
    """The DEBUG messages of set_config_option, with their DETAIL and HINT. 18's asynchronous
    I/O traces (`io <n> |op ...`) are dropped with their DETAIL/HINT lines."""
    groups: list[dict] = []
    keep = False
    for line in stderr.splitlines():
        if line.startswith('DEBUG:  '):
            keep = not AIO_TRACE.match(line[len('DEBUG:  '):])
            if keep:
                groups.append({'message': line[len('DEBUG:  '):], 'detail': '', 'hint': ''})
        elif line.startswith('DETAIL:  ') and groups and keep:
            groups[-1]['detail'] = line[len('DETAIL:  '):]
        elif line.startswith('HINT:  ') and groups and keep:
            groups[-1]['hint'] = line[len('HINT:  '):]
    return groups


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared', required=True)
    ap.add_argument('--normalized-sample', type=int, default=400,
                    help='how many non-user parameter cases to check with postgres -C')
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pgserver
    pgserver.add_server_argument(ap)
    args = ap.parse_args()
    srv = pgserver.Server(args.server)
    if not srv.available():
        print(f'values differential: no server {args.server}, skipped')
        return 77

    with open(os.path.join(args.source, 'data', 'gucs', f'{srv.major}.tsv'), newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
    by_name = {r['name']: r for r in rows}
    cases = gen_cases(rows)

    # Our side, in one run.
    batch = ''.join(json.dumps([n, v]) + '\n' for n, v in cases)
    r = subprocess.run([args.binary, 'dump', 'value', '--pg-version', str(srv.major), '--batch'], input=batch,
                       capture_output=True, text=True)
    if r.returncode != 0:
        print('pgconflint failed:', r.stderr)
        return 1
    ours = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(ours) == len(cases)

    failures: list[str] = []
    skipped = 0
    passed = 0
    started = time.time()
    server: dict[int, dict] = {}
    with pgserver.Cluster(srv) as cl:
        # Rounds: each parameter appears at most once per file (later lines would
        # supersede earlier ones without being validated).
        per_param: dict[str, list[int]] = {}
        for i, (n, _) in enumerate(cases):
            per_param.setdefault(n, []).append(i)
        rounds = max(len(v) for v in per_param.values())
        psql = [os.path.join(pgserver.PG_BIN, 'psql'), '-X', '-At', '-F', '\x1f', '-h', cl.sock, '-p',
                str(cl.port), '-U', 'pgl', '-d', 'postgres']
        for k in range(rounds):
            idx = [v[k] for v in per_param.values() if k < len(v)]
            text = ''.join(f'{cases[i][0]} = {conf_quote(cases[i][1])}\n' for i in idx)
            cl.write('postgresql.conf', text)
            q = subprocess.run(cl._cmd(psql + ['-c', 'set client_min_messages = debug3', '-c',
                                               'select sourceline, name, error from pg_file_settings '
                                               "where sourcefile like '%/postgresql.conf' order by seqno"]),
                               capture_output=True, text=True)
            if q.returncode != 0:
                print('psql failed:', q.stderr)
                return 1
            lines = [ln.split('\x1f') for ln in q.stdout.splitlines() if '\x1f' in ln]
            if len(lines) != len(idx):
                print(f'round {k}: {len(lines)} rows for {len(idx)} lines')
                return 1
            msgs = parse_messages(q.stderr)
            failed_lines = [int(ln[0]) for ln in lines if ln[2]]
            if len(msgs) != len(failed_lines):
                print(f'round {k}: {len(msgs)} messages for {len(failed_lines)} rejected lines\n{q.stderr}')
                return 1
            by_line = dict(zip(failed_lines, msgs))
            for line_no, i in enumerate(idx, start=1):
                m = by_line.get(line_no)
                if m and m['message'].endswith('cannot be changed without restarting the server'):
                    m = None
                server[i] = {'ok': m is None, **(m or {'message': '', 'detail': '', 'hint': ''})}
        cl.write('postgresql.conf', '')

        # Compare validation results.
        build_dep = 0
        for i, (n, v) in enumerate(cases):
            o, s = ours[i], server[i]
            if pgserver.build_dependent(srv, n, v, s['message'], s['detail'], s['hint'], o['hint']):
                build_dep += 1
                continue
            if not s['ok'] and o['ok'] and n in STATE_HOOK_PARAMS and o.get('unchecked_hook'):
                skipped += 1
                continue
            got = (o['ok'], o['message'], o['detail'], o['hint'])
            want = (s['ok'], s['message'], s['detail'], s['hint'])
            if got != want:
                failures.append(f'{n} = {v!r}: pgconflint {got} server {want}')
            else:
                passed += 1

        # Normalized values for valid cases.
        user_sql = []
        others = []
        for i, (n, v) in enumerate(cases):
            if not (ours[i]['ok'] and server[i]['ok']) or n in SHOW_HOOK_PARAMS or \
                    pgserver.build_dependent(srv, n, v):
                continue
            if by_name[n]['context'] in ('user', 'superuser'):
                lit = v.replace("'", "''")
                user_sql.append(f"select {i}, setting from (select set_config('{n}', '{lit}', true)) s, "
                                f"pg_settings where name = '{n.lower()}';")
            else:
                others.append(i)
        q = subprocess.run(cl._cmd(psql + ['-v', 'ON_ERROR_STOP=0']), input='\n'.join(user_sql),
                           capture_output=True, text=True)
        server_norm: dict[int, str] = {}
        for ln in q.stdout.splitlines():
            if '\x1f' in ln:
                a, b = ln.split('\x1f', 1)
                server_norm[int(a)] = b
        step = max(1, len(others) // max(1, args.normalized_sample))
        for i in others[::step]:
            n, v = cases[i]
            rr = subprocess.run(cl._cmd([os.path.join(cl.bin, 'postgres'), '-D', cl.data, '-C', n,
                                         '-c', f'{n}={v}']), capture_output=True, text=True)
            if rr.returncode == 0:
                server_norm[i] = rr.stdout.rstrip('\n')
            else:
                failures.append(f'{n} = {v!r}: postgres -C failed: {rr.stderr.strip()}')
        for i, want in sorted(server_norm.items()):
            n, v = cases[i]
            got = ours[i]['normalized']
            typ = by_name[n]['type']
            if typ == 'enum':
                want = want.lower()
            elif typ == 'real':
                # pg_settings and -C print reals with %g (6 significant digits); the
                # normalized form keeps full precision, so compare it through %g.
                got = '%g' % float(got)
            if got != want:
                failures.append(f'{n} = {v!r}: normalized pgconflint {got!r} server {want!r}')
            else:
                passed += 1

    total = passed + len(failures)
    for f in failures[:60]:
        print('MISMATCH', f)
    print(f'values differential, {srv.label()}: {total} cases, {passed} passed, {len(failures)} failed')
    print(f'  ({total - len(server_norm)} validation + {len(server_norm)} normalized-value comparisons;'
          f' {skipped} skipped: state-dependent hook; {build_dep} build-dependent left out;'
          f' {time.time() - started:.1f}s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
