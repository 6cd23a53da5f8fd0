#!/usr/bin/env python3
"""The layers of docs/architecture.md: a folder includes only its own headers and those of
lower layers (no cycles between folders). Fails naming each include that points upward, and
when the rank table of CMakeLists.txt (the layer libraries) differs from RANK."""
import argparse
import os
import re
import sys

# Lower number = lower layer. Folders of one rank do not include each other.
RANK = {
    'core': 0,
    'conf': 1,
    'model': 2,
    'grammar': 3,
    'parse': 4,
    'load': 5,
    'lint': 5,
    'tls': 5,
    'analysis': 6,
    'probe': 6,
    'rules': 7,
    'diff': 8,
    'report': 8,
    'cli': 9,
}
# (file, include) pairs allowed to point upward: none.
ALLOWED: set[tuple[str, str]] = set()
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([^"]+)"', re.M)


def layer_of(rel):
    parts = rel.split('/')
    if parts[0] == 'src' and len(parts) > 2:
        return parts[1]
    if parts[0] in ('grammar', 'rules'):
        return parts[0]
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary')
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared')
    a = ap.parse_args()
    failures = []
    for top in ('src', 'grammar', 'rules'):
        for dirpath, _, files in os.walk(os.path.join(a.source, top)):
            for name in files:
                if not name.endswith(('.cpp', '.hpp')):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, a.source)
                me = layer_of(rel)
                if me is None:
                    continue
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                for m in INCLUDE.finditer(text):
                    target = m.group(1)
                    if target == me or target not in RANK or (rel, f'{target}/{m.group(2)}') in ALLOWED:
                        continue
                    if RANK[target] >= RANK[me]:
                        failures.append(f'{rel}: includes "{target}/{m.group(2)}" ({target} is not below {me})')
    if len(RANK) != len(set(RANK)):
        failures.append('duplicate layer')
    # The CMake layer targets (CMakeLists.txt, PGL_RANK_<folder>) use the same table.
    with open(os.path.join(a.source, 'CMakeLists.txt'), encoding='utf-8') as f:
        cmake_rank = {m.group(1): int(m.group(2))
                      for m in re.finditer(r'^set\(PGL_RANK_([a-z_]+) (\d+)\)', f.read(), re.M)}
    if cmake_rank != RANK:
        failures.append(f'CMakeLists.txt PGL_RANK_* {cmake_rank} differs from RANK {RANK}')
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
