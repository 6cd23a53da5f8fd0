"""`pgconflint hba who` / `hba exposure` from the command line: exit codes, JSON shape,
text width, usage errors and unreadable input. Exit 0 when all checks pass, 1 otherwise."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HBA = """local    all  postgres                   peer
hostssl  app  app        10.0.0.0/8      cert
host     all  +admins    10.0.0.0/8      md5
hostnossl all all        192.168.0.0/16  reject
host     all  all        203.0.113.0/24  trust
host     all  all        0.0.0.0/0       scram-sha-256
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source')
    ap.add_argument('--shared')
    args = ap.parse_args()
    failures: list[str] = []

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([args.binary, *argv], capture_output=True, text=True)

    def expect(cond: bool, what: str) -> None:
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'pg_hba.conf')
        with open(path, 'w') as f:
            f.write(HBA)
        who = ['hba', 'who', path, '--format', 'json']
        r = run(*who, '--user', 'app', '--database', 'app', '--address', '10.1.2.3', '--ssl', '--no-groups')
        j = json.loads(r.stdout)
        expect(r.returncode == 0 and j['decision'] == 'accept' and j['match']['line'] == 2, f'ssl accept: {r.stdout}')
        expect(set(j) >= {'decision', 'match', 'passed', 'depends_on'}, 'json keys')
        expect(set(j['match']) == {'file', 'line', 'type', 'method', 'options'}, 'match keys')
        r = run(*who, '--user', 'bob', '--database', 'app', '--address', '10.1.2.3', '--no-groups')
        j = json.loads(r.stdout)
        expect(r.returncode == 0 and j['match']['line'] == 6, f'plain: {r.stdout}')
        expect([p['line'] for p in j['passed']] == [1, 2, 3, 4, 5], f'passed: {j["passed"]}')
        r = run(*who, '--user', 'bob', '--database', 'app', '--address', '10.1.2.3')
        j = json.loads(r.stdout)
        expect(r.returncode == 1 and j['decision'] == 'depends' and j['depends_on'], f'depends: {r.stdout}')
        r = run(*who, '--user', 'bob', '--database', 'app', '--address', '192.168.1.1', '--no-groups')
        expect(r.returncode == 1 and json.loads(r.stdout)['decision'] == 'reject', f'reject: {r.stdout}')
        r = run(*who, '--user', 'bob', '--database', 'app', '--local')
        expect(r.returncode == 1 and json.loads(r.stdout)['decision'] == 'no-match', f'no-match: {r.stdout}')
        r = run('hba', 'who', path, '--user', 'postgres', '--database', 'x', '--local')
        expect(r.returncode == 0 and 'line 1' in r.stdout and 'peer' in r.stdout, f'text: {r.stdout}')
        # usage errors and unreadable input
        expect(run('hba', 'who', path, '--user', 'u', '--database', 'd').returncode == 2, 'no address')
        expect(run('hba', 'who', path, '--user', 'u', '--database', 'd', '--local', '--ssl').returncode == 2,
               'local with ssl')
        expect(run('hba', 'who', path, '--user', 'u', '--database', 'd', '--address', '10.0.0.0/8').returncode == 2,
               'cidr address')
        r = run('hba', 'who', os.path.join(tmp, 'missing'), '--user', 'u', '--database', 'd', '--local')
        expect(r.returncode == 2 and 'missing' in r.stderr, f'missing file: {r.stderr}')
        bad = os.path.join(tmp, 'bad.conf')
        with open(bad, 'w') as f:
            f.write('host all all 10.0.0.0/33 md5\n')
        r = run('hba', 'who', bad, '--user', 'u', '--database', 'd', '--local')
        expect(r.returncode == 2 and 'would not load' in r.stderr, f'bad file: {r.stderr}')
        # exposure
        r = run('hba', 'exposure', path)
        expect(r.returncode == 0, 'exposure exit')
        expect(max(len(l) for l in r.stdout.splitlines()) <= 80, 'exposure width')
        expect('trust !' in r.stdout and 'hba-trust-over-network' in r.stdout, f'exposure marks trust: {r.stdout}')
        j = json.loads(run('hba', 'exposure', path, '--format', 'json').stdout)
        anyplain = next(s for s in j if s['class'] == 'any address, no SSL')
        methods = {m['method']: m for m in anyplain['methods']}
        expect('cert' not in methods and methods['trust']['exposed'], f'exposure json: {anyplain}')
        expect(run('hba', 'exposure', path, '--format', 'markdown').stdout.startswith('### Unix socket'), 'markdown')
    for f in failures:
        print('FAIL', f)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
