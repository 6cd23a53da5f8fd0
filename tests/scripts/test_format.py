#!/usr/bin/env python3
"""The C++ tree is formatted by the project's .clang-format: `clang-format --dry-run -Werror`
over every source and header under src/, grammar/, rules/, tests/, fuzz/ and bench/. Fails
naming each file that clang-format would change (fix: `clang-format -i FILE`)."""
import argparse
import os
import shutil
import subprocess
import sys

TOPS = ('src', 'grammar', 'rules', 'tests', 'fuzz', 'bench')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary')
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared')
    a = ap.parse_args()
    tool = shutil.which('clang-format-14') or shutil.which('clang-format')
    if tool is None:
        print('clang-format is not installed (scripts/setup.sh installs it)', file=sys.stderr)
        return 1
    files = []
    for top in TOPS:
        for dirpath, _, names in os.walk(os.path.join(a.source, top)):
            if '/fixtures' in dirpath or '/corpus' in dirpath:
                continue
            files += [os.path.join(dirpath, n) for n in names if n.endswith(('.cpp', '.hpp', '.h'))]
    if len(files) < 100:
        print(f'only {len(files)} C++ files found under {a.source}', file=sys.stderr)
        return 1
    bad = []
    for i in range(0, len(files), 50):
        chunk = sorted(files)[i:i + 50]
        r = subprocess.run([tool, '--dry-run', '-Werror', '--style=file', *chunk],
                           capture_output=True, text=True)
        if r.returncode != 0:
            for line in r.stderr.splitlines():
                if ': error:' in line:
                    bad.append(line.split(':', 1)[0])
    bad = sorted(set(bad))
    for path in bad:
        print(f'not formatted: {os.path.relpath(path, a.source)}  (clang-format -i)', file=sys.stderr)
    print(f'{len(files)} files checked, {len(bad)} not formatted')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
