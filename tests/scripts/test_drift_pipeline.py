#!/usr/bin/env python3
"""Drift findings go through the same post-processing as every finding, in `diff` and in
`check --cluster`: suppression comments on the replica's line, lint-unused-suppression,
severity overrides from .pgconflint.toml, --fail-on, and the renderers."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

PRIMARY_HBA = "hostssl all all 10.0.0.0/8 scram-sha-256\n"
REPLICA_HBA = "host all all 10.0.0.0/8 scram-sha-256\n"
SUPPRESSED_HBA = "host all all 10.0.0.0/8 scram-sha-256  # pgconflint: disable=drift-weaker-security\n"
CONF = "listen_addresses = 'localhost'\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared')
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        def cluster(name, replica_hba, project=None):
            base = os.path.join(tmp, name)
            write(os.path.join(base, 'primary', 'postgresql.conf'), CONF)
            write(os.path.join(base, 'primary', 'pg_hba.conf'), PRIMARY_HBA)
            write(os.path.join(base, 'replica', 'postgresql.conf'), CONF)
            write(os.path.join(base, 'replica', 'pg_hba.conf'), replica_hba)
            write(os.path.join(base, 'cluster.toml'),
                  '[[node]]\nname = "primary"\nrole = "primary"\nconfig_dir = "primary"\n'
                  '[[node]]\nname = "replica"\nconfig_dir = "replica"\n')
            if project is not None:
                write(os.path.join(base, '.pgconflint.toml'), project)
            return base

        def run(base, *args):
            p = subprocess.run([binary, *args, '--color', 'never'], capture_output=True, text=True, cwd=base)
            return p.returncode, p.stdout, p.stderr

        def diff(base, *args):
            return run(base, 'diff', 'primary', 'replica', *args)

        def check_cluster(base, *args):
            return run(base, 'check', '--cluster', 'cluster.toml', *args)

        # Not suppressed: an error on the replica's line, rendered like any finding.
        plain = cluster('plain', REPLICA_HBA)
        code, out, err = diff(plain)
        check(code == 1, f'diff exit code {code}: {err}')
        check('replica/pg_hba.conf:1:1: error: ' in out and out.count('[drift-weaker-security]') == 1,
              f'diff text: {out}')
        check('help: use the primary\'s line on every replica' in out, 'diff text lacks the help line')
        code, out, _ = check_cluster(plain)
        check(code == 1 and out.count('[drift-weaker-security]') == 1, f'check --cluster text: {out}')
        code, out, _ = diff(plain, '--format', 'json')
        doc = json.loads(out)
        d = [x for x in doc['diagnostics'] if x['rule'] == 'drift-weaker-security']
        check(len(d) == 1 and d[0]['severity'] == 'error' and d[0]['line'] == 1 and d[0]['related'],
              f'diff json: {doc}')

        # Suppressed on the replica's line: nothing in diff, nothing in check --cluster, and
        # the comment is not called unused.
        hidden = cluster('suppressed', SUPPRESSED_HBA)
        for what, (code, out, err) in (('diff', diff(hidden)), ('check --cluster', check_cluster(hidden))):
            check('[drift-weaker-security]' not in out, f'{what}: suppressed finding shown: {out}')
            check('[lint-unused-suppression]' not in out, f'{what}: suppression called unused: {out}')
        check(diff(hidden)[0] == 0, 'diff with the only finding suppressed exits 0')
        # check of the replica alone: drift rules do not run, so the comment is not unused.
        code, out, _ = run(hidden, 'check', 'replica')
        check('[lint-unused-suppression]' not in out, f'check of one node calls a drift suppression unused: {out}')

        # A drift suppression where nothing drifts is unused, in diff and check --cluster.
        unused = cluster('unused', PRIMARY_HBA.rstrip('\n') + '  # pgconflint: disable=drift-hba\n')
        for what, (code, out, err) in (('diff', diff(unused)), ('check --cluster', check_cluster(unused))):
            check("replica/pg_hba.conf:1:" in out and "unused suppression: 'drift-hba' reports nothing on line 1" in out,
                  f'{what}: unused drift suppression not reported: {out}')

        # Severity override from .pgconflint.toml, and --fail-on on the overridden severity.
        noted = cluster('override', REPLICA_HBA, '[severity]\n"drift-weaker-security" = "note"\n')
        for what, (code, out, err) in (('diff', diff(noted)), ('check --cluster', check_cluster(noted, '--disable', 'hba-hostssl-while-ssl-off'))):
            check('replica/pg_hba.conf:1:1: note: ' in out and '[drift-weaker-security]' in out,
                  f'{what}: severity override not applied: {out}')
        check(diff(noted)[0] == 0, 'diff: a note does not fail --fail-on warning')
        check(diff(noted, '--fail-on', 'note')[0] == 1, 'diff: --fail-on note fails on the note')

        # Disabled in the project file: gone.
        off = cluster('disabled', REPLICA_HBA, 'disable = ["drift-weaker-security"]\n')
        check('[drift-weaker-security]' not in diff(off)[1], 'diff: disable in .pgconflint.toml')
        check('[drift-weaker-security]' not in check_cluster(off)[1], 'check --cluster: disable in .pgconflint.toml')

    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
