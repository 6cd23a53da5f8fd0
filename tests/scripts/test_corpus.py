#!/usr/bin/env python3
"""Every file of ../shared/corpus is handled sensibly.

Each file is placed in a fresh directory under the name the server would read it by
(postgresql.conf, postgresql.auto.conf, pg_hba.conf, pg_ident.conf) and checked with
`pgconflint check --format json`. For every file: exit code 0 or 1 (never a crash or a
usage error), valid JSON, every diagnostic fully located and explained. Files whose
SOURCES.tsv note marks a real error (MISTAKE, BROKEN, INVALID, MISNAMED, SHADOWED, EMPTY)
must get at least one warning or error. Secrets from the corpus never appear in output.
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TARGET = {'conf': 'postgresql.conf', 'auto': 'postgresql.auto.conf', 'hba': 'pg_hba.conf',
          'ident': 'pg_ident.conf', 'templates': None}
MARKS = re.compile(r'\b(MISTAKE|BROKEN|INVALID|MISNAMED|SHADOWED|EMPTY)')


def template_target(name: str) -> str:
    low = name.lower()
    if 'hba' in low:
        return 'pg_hba.conf'
    if 'ident' in low:
        return 'pg_ident.conf'
    return 'postgresql.conf'


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared', required=True)
    args = ap.parse_args()
    corpus = os.path.join(args.shared, 'corpus')
    if not os.path.isdir(corpus):
        print('corpus not found; skipped')
        return 77
    notes = {}
    with open(os.path.join(corpus, 'SOURCES.tsv'), newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f, delimiter='\t'):
            notes[row['saved_file']] = row['note']

    failures, passed = [], 0
    with tempfile.TemporaryDirectory(prefix='pgl-corpus-') as tmp:
        for area, target in TARGET.items():
            adir = os.path.join(corpus, area)
            for name in sorted(os.listdir(adir)):
                rel = f'{area}/{name}'
                case = os.path.join(tmp, rel.replace('/', '_'))
                os.makedirs(case)
                dest = os.path.join(case, target or template_target(name))
                shutil.copyfile(os.path.join(adir, name), dest)
                try:
                    p = subprocess.run([args.binary, 'check', '--format', 'json', '--fail-on', 'never', case],
                                       capture_output=True, text=True, errors='replace', timeout=60)
                except subprocess.TimeoutExpired:
                    failures.append(f'{rel}: timed out')
                    continue
                problems = []
                if p.returncode != 0:
                    problems.append(f'exit {p.returncode}: {p.stderr.strip()[:300]}')
                try:
                    report = json.loads(p.stdout)
                    diags = report['diagnostics']
                except (ValueError, KeyError) as e:
                    problems.append(f'invalid JSON ({e}): {p.stdout[:200]!r}')
                    diags = []
                for d in diags:
                    if not (d.get('rule') and d.get('severity') and d.get('message') and d.get('file')
                            and d.get('help') and isinstance(d.get('line'), int)):
                        problems.append(f'incomplete diagnostic {d}')
                note = notes.get(rel, '')
                if MARKS.search(note) and not any(d['severity'] in ('error', 'warning') for d in diags):
                    problems.append(f'marked in SOURCES.tsv but no warning or error: {note[:120]}')
                if problems:
                    failures.append(f'{rel}: ' + '; '.join(problems))
                else:
                    passed += 1
    for f in failures:
        print('FAIL', f)
    print(f'corpus: {passed} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
