#!/usr/bin/env python3
"""Whole `pgconflint check` on a 100,000-line pg_hba.conf against PostgreSQL 15 listing it.

Generates the realistic 100,000-line pg_hba.conf of bench/parse_vs_server.py (per-tenant
databases and roles, /32 hosts and /24 networks, groups, @file lists, IPv6, host names,
samenet, rejects) and ends it with catch-all lines (`host all all 0.0.0.0/0 reject`, ...).
In one run it times:
  * the server: `select count(*) from pg_hba_file_rules` in one psql session (client round
    trip, \\timing), PostgreSQL 15 from a throwaway cluster (tests/scripts/pgserver.py);
  * pgconflint: the whole `pgconflint check FILE --pg-version 15` process (parse, the
    first-match model, every rule, text output to /dev/null);
  * `pgconflint hba who FILE ...` for a connection that reaches the last line (the
    worst case: every line is tried);
  * `pgconflint hba exposure FILE` (every line under 7 address classes);
and prints a Markdown table of the minimum and median times with the ratios to the server's
(medians to median, minimum to minimum).

Usage: python3 bench/hba_check_vs_server.py [--binary PATH] [--lines N] [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import parse_vs_server as pvs  # noqa: E402
import pgserver  # noqa: E402  (tests/scripts, added to the path by parse_vs_server)

CATCH_ALL = ['hostnossl all all 0.0.0.0/0 reject', 'host all all 0.0.0.0/0 reject', 'host all all ::/0 reject']


def generate(lines: int) -> str:
    text = pvs.gen_hba(lines - len(CATCH_ALL), random.Random(10))
    return text + '\n'.join(CATCH_ALL) + '\n'


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', default=os.path.join(pvs.SRC, 'build', 'pgconflint'))
    ap.add_argument('--lines', type=int, default=100_000)
    ap.add_argument('--repeat', type=int, default=5)
    args = ap.parse_args()
    if not pgserver.available():
        print('no PostgreSQL 15 server')
        return 77
    text = generate(args.lines)
    with pgserver.Cluster() as c, tempfile.TemporaryDirectory() as tmp:
        c.write('pg_hba.conf', text)
        for name, content in pvs.HBA_EXTRA_FILES.items():
            c.write(name, content)
        rows = pvs.check_hba(c, text)
        path = os.path.join(tmp, 'pg_hba.conf')
        with open(path, 'w') as f:
            f.write(text)
        for name, content in pvs.HBA_EXTRA_FILES.items():
            with open(os.path.join(tmp, name), 'w') as f:
                f.write(content)
        server, _, _ = pvs.server_times(c, 'select count(*) from pg_hba_file_rules', args.repeat)
        check = pvs.cli_times(args.binary, ['check', path, '--pg-version', '15', '--format', 'text'], args.repeat)
        who = pvs.cli_times(args.binary, ['hba', 'who', path, '--user', 'nobody', '--database', 'nowhere',
                                          '--address', '203.0.113.9', '--pg-version', '15', '--no-groups'],
                            args.repeat)
        exposure = pvs.cli_times(args.binary, ['hba', 'exposure', path, '--pg-version', '15'], args.repeat)
    print(f'machine: {pvs.machine()}; load average {os.getloadavg()[0]:.1f}; {rows} rules; {args.repeat} runs each')
    print()
    print('| what | min | median | ratio to server (min / median) |')
    print('|---|---|---|---|')
    rows_out = [
        ('PostgreSQL 15: `select count(*) from pg_hba_file_rules` (psql round trip)', server),
        ('`pgconflint check` (whole process: parse, model, every rule)', check),
        ('`pgconflint hba who` (whole process, reaches the last line)', who),
        ('`pgconflint hba exposure` (whole process, 7 address classes)', exposure),
    ]
    s_min, s_med = min(server), statistics.median(server)
    for what, times in rows_out:
        lo, med = min(times), statistics.median(times)
        print(f'| {what} | {lo:.0f} ms | {med:.0f} ms | {lo / s_min:.2f} / {med / s_med:.2f} |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
