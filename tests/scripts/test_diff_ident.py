"""Differential test: `pgconflint dump ident` against pg_ident_file_mappings of a real
server (--server: Debian's 15, or the test build of a major 15-18; 12-14 have no such view).

Generated files and every file of <shared>/corpus/ident are written to <data>/pg_ident.conf,
read back through the view and compared row by row with
`pgconflint dump ident <data>/pg_ident.conf --pg-version <major>`.
Exit: 0 all rows agree, 1 mismatch, 77 no server.
"""
from __future__ import annotations

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgserver  # noqa: E402
import viewdiff  # noqa: E402

MAPS = ['mymap', 'm1,m2', '"my map"', 'ssl-map', '@maps.txt', '@missing.txt', '"@x"', 'M', 'a#b', '""']
SYS = ['alice', '/^(.*)@example\\.com$', '/( x', '/a)', '/[abc', '/a{2', '/a{2,1}', '/*a', '/a**', '/\\',
       '/\\1', '/(a)\\1', '/[[:foo:]]', '/[z-a]', '/a{300}', '/(?i)abc', '/(?z)abc', '/a|*', '/^*',
       '/(?:a)', '/(?=a)b', '/\\d+', '/\\q', '/[]a]', '/[^]a]', '/a{,2}', '/a{2x}', '/\\x', '/\\u12',
       '/x{1}{2}', '/a+?', '/(a', '/((a)', '/a)(', '"/quoted("', '/', '/[a-', '/[[.space.]]', '/[[.foo.]]',
       '/[[=a=]b]', '/\\Ax', '/\\A*', '/\\8', '/\\07', '/[\\d-z]', 'u1,u2', '@users.txt', '"bob smith"',
       '/a{1,2', '/***:a(', '/***=a(', '/(?#comment)a', '/\\ca', '/\\c']
PG = ['bob', 'all', '"all"', '+grp', '"+grp"', 'test\\1user', '/^x.*$', '/(bad', 'a,b', '""', '@users.txt']


def gen_line(rng: random.Random) -> str:
    fields = [rng.choice(MAPS) if rng.random() < 0.4 else 'mymap', rng.choice(SYS), rng.choice(PG)]
    r = rng.random()
    if r < 0.1:
        fields = fields[:rng.randrange(1, 3)]
    elif r < 0.15:
        fields.append('extra')
    line = ''.join(f + rng.choice([' ', '\t', '  ']) for f in fields).rstrip()
    r = rng.random()
    if r < 0.05:
        line = line.replace(' ', '\\\n', 1)
    elif r < 0.08:
        line += rng.choice([' # c', ',', '\r', ' ,'])
    return line


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source')
    ap.add_argument('--shared', required=True)
    ap.add_argument('--batches', type=int, default=10)
    ap.add_argument('--lines', type=int, default=300)
    ap.add_argument('--seed', type=int, default=15)
    pgserver.add_server_argument(ap)
    args = ap.parse_args()
    srv = pgserver.Server(args.server)
    if not srv.available():
        print(f'ident differential: no server {args.server}, skipped')
        return 77
    if srv.major < 15:
        print(f'ident differential: {srv.label()} has no pg_ident_file_mappings view, skipped')
        return 77
    rng = random.Random(args.seed)
    report: list[str] = []
    with pgserver.Cluster(srv) as c:
        c.write('maps.txt', 'mapa\n')
        c.write('users.txt', 'u1\n')
        path = c.path('pg_ident.conf')
        cases = [(f'batch{b}', '\n'.join(gen_line(rng) for _ in range(args.lines)) + '\n')
                 for b in range(args.batches)]
        cases.append(('special', 'mymap alice bob extra\nmymap alice\nmymap a,b c\nm1,m2 a b\nmymap /( x\n'
                                 '\n# c\nmymap\n' + 'm ' + 'u' * 10300 + ' x\n'))
        cases += viewdiff.corpus_cases(args.shared, 'ident')
        counts = viewdiff.Counts()
        total, failed = viewdiff.compare_cases(
            c, cases, 'pg_ident.conf', c.ident_mappings,
            lambda: viewdiff.run_dump(args.binary, 'ident', path, '--pg-version', str(srv.major)), report, counts)
        c.write('pg_ident.conf', '')
    for r in report:
        print(r)
    print(f'ident differential, {srv.label()}: {total} lines, {total - failed} passed, {failed} failed'
          f' ({counts.build_dependent} build-dependent rows left out)')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
