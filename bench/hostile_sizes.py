#!/usr/bin/env python3
"""Sizes hostile input reaches: a 1,000,000-line pg_hba.conf, one 10 MB line, 100,000
continuation lines, and a 100,000-file include_dir (pg_hba.conf 16+ and postgresql.conf).
Prints wall, user+sys CPU and peak memory of `dump hba` (parse only) and `check` for each.

    python3 bench/hostile_sizes.py --binary build/pgconflint [--skip-check] [--case TEXT]

--case TEXT generates and runs only the inputs whose label contains TEXT (for instance
--case "include_dir (pg_hba" for the 100,000-file pg_hba.conf include_dir).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def generate(d, only=None):
    cases = {}

    def wanted(label):
        return only is None or only in label

    label = '1,000,000-line pg_hba.conf (51 MB)'
    if wanted(label):
        p = os.path.join(d, 'million', 'pg_hba.conf')
        os.makedirs(os.path.dirname(p))
        with open(p, 'w') as f:
            for i in range(1000000):
                f.write(f'host db{i % 1000} user{i} 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}/32 scram-sha-256\n')
        cases[label] = p
    label = 'one 10 MB line (1.1 million users)'
    if wanted(label):
        p = os.path.join(d, 'longline', 'pg_hba.conf')
        os.makedirs(os.path.dirname(p))
        users = ','.join(f'u{i}' for i in range(1200000))[:10_000_000]
        with open(p, 'w') as f:
            f.write(f'host all {users}x 127.0.0.1/32 scram-sha-256\n')
        cases[label] = p
    label = '100,000 continuation lines'
    if wanted(label):
        p = os.path.join(d, 'continuations', 'pg_hba.conf')
        os.makedirs(os.path.dirname(p))
        with open(p, 'w') as f:
            f.write('local all ' + 'u,\\\n' * 100000 + 'u trust\n')
        cases[label] = p
    for kind, line, main in (('hba', 'local db{i} all trust\n', 'include_dir hba.d\n'),
                             ('conf', '# file {i}\n', "include_dir 'conf.d'\n")):
        name = 'pg_hba.conf' if kind == 'hba' else 'postgresql.conf'
        label = f'100,000-file include_dir ({name})'
        if not wanted(label):
            continue
        base = os.path.join(d, f'dir-{kind}')
        sub = os.path.join(base, f'{kind}.d')
        os.makedirs(sub)
        for i in range(100000):
            with open(os.path.join(sub, f'{i:06}.conf'), 'w') as f:
                f.write(line.format(i=i))
        with open(os.path.join(base, name), 'w') as f:
            f.write(main)
        cases[label] = os.path.join(base, name)
    return cases


def measure(cmd):
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    return os.waitstatus_to_exitcode(status), wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--skip-check', action='store_true')
    ap.add_argument('--case', help='only the inputs whose label contains this text')
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix='pgl-sizes-') as d:
        cases = generate(d, a.case)
        if not cases:
            print(f'no input label contains {a.case!r}', file=sys.stderr)
            return 2
        print('| input | command | exit | wall s | CPU s | peak MB |')
        print('| --- | --- | --- | --- | --- | --- |')
        for label, path in cases.items():
            cmds = []
            if path.endswith('pg_hba.conf'):
                cmds.append(('dump hba', [a.binary, 'dump', 'hba', path, '--pg-version', '16']))
            else:
                cmds.append(('dump conf', [a.binary, 'dump', 'conf', path]))
            if not a.skip_check:
                cmds.append(('check', [a.binary, 'check', path, '--pg-version', '16']))
            for name, cmd in cmds:
                rc, wall, cpu, rss = measure(cmd)
                print(f'| {label} | {name} | {rc} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
