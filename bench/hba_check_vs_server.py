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
and prints a Markdown table of medians with the ratio check / server.

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
    s, k, w = statistics.median(server), statistics.median(check), statistics.median(who)
    print(f'machine: {pvs.machine()}; {rows} rules; {args.repeat} runs each, medians')
    print()
    print('| what | time | ratio to server |')
    print('|---|---|---|')
    print(f'| PostgreSQL 15: `select count(*) from pg_hba_file_rules` (psql round trip) | {s:.0f} ms | 1.00 |')
    print(f'| `pgconflint check` (whole process: parse, model, every rule) | {k:.0f} ms | {k / s:.2f} |')
    print(f'| `pgconflint hba who` (whole process, reaches the last line) | {w:.0f} ms | {w / s:.2f} |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
