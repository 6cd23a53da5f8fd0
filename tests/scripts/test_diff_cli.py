#!/usr/bin/env python3
"""pgconflint diff and check --cluster from the command line: formats, exit codes, table width."""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def run(binary, *args, cwd=None):
    p = subprocess.run([binary, 'diff', *args], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared')
    a = ap.parse_args()
    a.binary = os.path.abspath(a.binary)
    a.source = os.path.abspath(a.source)
    cluster = os.path.join(a.source, 'samples', 'cluster')
    nodes = [os.path.join(cluster, n) for n in ('primary', 'replica1', 'replica2')]
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as cwd:  # no .pgconflint.toml above it
        # text: findings with rule ids, exit 1 (errors are at or above the default warning)
        code, out, err = run(a.binary, *nodes, '--color', 'never', cwd=cwd)
        check(code == 1, f'text exit code {code}: {err}')
        for rule in ('drift-weaker-security', 'drift-standby-too-small', 'drift-setting', 'drift-ident'):
            check(f'[{rule}]' in out, f'text output lacks {rule}')
        check('replica1/pg_hba.conf:17:1: error' in out, 'host-instead-of-hostssl location')
        # --fail-on never: exit 0; --fail-on error: still 1
        check(run(a.binary, *nodes, '--fail-on', 'never', cwd=cwd)[0] == 0, '--fail-on never')
        check(run(a.binary, *nodes, '--fail-on', 'error', cwd=cwd)[0] == 1, '--fail-on error')
        # identical nodes: exit 0
        code, out, _ = run(a.binary, nodes[0], nodes[0], '--format', 'table', cwd=cwd)
        check(code == 0 and out.startswith('no differences'), f'identical nodes: {code} {out!r}')
        # json parses, carries the findings
        code, out, _ = run(a.binary, *nodes, '--format', 'json', cwd=cwd)
        try:
            doc = json.loads(out)
            check('drift-standby-too-small' in json.dumps(doc), 'json lacks drift-standby-too-small')
        except json.JSONDecodeError as e:
            failures.append(f'json output does not parse: {e}')
        # sarif parses and names the rules
        code, out, _ = run(a.binary, *nodes, '--format', 'sarif', cwd=cwd)
        try:
            sarif = json.loads(out)
            ids = {r.get('ruleId') for run_ in sarif['runs'] for r in run_['results']}
            check('drift-weaker-security' in ids, f'sarif rule ids {ids}')
        except (json.JSONDecodeError, KeyError) as e:
            failures.append(f'sarif output: {e}')
        # github workflow commands
        code, out, _ = run(a.binary, *nodes, '--format', 'github', cwd=cwd)
        check(any(l.startswith('::error ') for l in out.splitlines()), 'github has no ::error line')
        # table: at most 80 columns, marks, every node
        code, out, _ = run(a.binary, *nodes, '--format', 'table', cwd=cwd)
        check(code == 1, f'table exit code {code}')
        check(all(len(l) <= 80 for l in out.splitlines()), 'table wider than 80 columns')
        check('200 *' in out and 'TLSv1.2 *' in out, 'table lacks marked cells')
        check('shared_preload_libraries' not in out, "'a, b' and 'a,b' are the same list")
        # many nodes still fit
        code, out, _ = run(a.binary, nodes[0], *([nodes[1], nodes[2]] * 5), '--format', 'table', cwd=cwd)
        check(all(len(l) <= 80 for l in out.splitlines()), 'table of 11 nodes wider than 80 columns')
        # markdown
        code, out, _ = run(a.binary, *nodes, '--format', 'markdown', cwd=cwd)
        check(out.startswith('| item | primary | replica1 | replica2 |'), f'markdown header: {out[:80]!r}')
        # --allow-sizing hides shared_buffers, never the too-small standby
        code, out, _ = run(a.binary, *nodes, '--allow-sizing', '--format', 'table', cwd=cwd)
        check('shared_buffers' not in out and 'max_connections' in out, '--allow-sizing')
        # --explain-ignored lists the replication wiring
        code, out, _ = run(a.binary, *nodes, '--explain-ignored', '--format', 'table', cwd=cwd)
        check('primary_conninfo (replication)' in out, '--explain-ignored')
        # cluster.toml names the nodes
        code, out, _ = run(a.binary, '--cluster', os.path.join(cluster, 'cluster.toml'), '--format', 'table', cwd=cwd)
        check(code == 1 and 'db-orders-3' in out, f'--cluster: {code}')
        # [diff] ignore in .pgconflint.toml
        cfg = os.path.join(cwd, 'diff.toml')
        with open(cfg, 'w') as f:
            f.write('[diff]\nignore = ["statement_timeout", "log_*"]\n')
        code, out, _ = run(a.binary, *nodes, '--config', cfg, '--format', 'table', cwd=cwd)
        check('statement_timeout' not in out and 'log_min_duration_statement' not in out, '[diff] ignore')
        with open(cfg, 'w') as f:
            f.write('[diff]\nbogus = 1\n')
        check(run(a.binary, *nodes, '--config', cfg, cwd=cwd)[0] == 2, 'unknown [diff] key is exit 2')
        # a node that fails to load: exit 2, message names it
        code, out, err = run(a.binary, nodes[0], os.path.join(cwd, 'missing'), cwd=cwd)
        check(code == 2 and "node 'missing'" in err, f'missing node: {code} {err!r}')
        # check --cluster: every node checked and compared, one report, one exit code
        toml = os.path.join(cluster, 'cluster.toml')

        def run_check(*args):
            p = subprocess.run([a.binary, 'check', *args, '--now', '2026-01-01T00:00:00Z'],
                               capture_output=True, text=True, cwd=cwd)
            return p.returncode, p.stdout, p.stderr

        code, out, err = run_check('--cluster', toml, '--color', 'never')
        check(code == 1, f'check --cluster exit code {code}: {err}')
        rules = {l.split('[')[-1].rstrip(']') for l in out.splitlines() if l.rstrip().endswith(']') and '[' in l}
        check({'drift-weaker-security', 'drift-standby-too-small', 'drift-setting'} <= rules,
              f'check --cluster lacks drift rules: {sorted(rules)}')
        check(any(not r.startswith('drift-') for r in rules), f'check --cluster lacks check rules: {sorted(rules)}')
        check('replica1/pg_hba.conf:17:1: error' in out, 'check --cluster: drift location')
        _, single, _ = run_check(nodes[0], '--color', 'never', '--format', 'json')
        code, out, _ = run_check('--cluster', toml, '--format', 'json')
        try:
            doc = json.dumps(json.loads(out))
            check('drift-standby-too-small' in doc and 'replica2/postgresql.conf' in doc,
                  'check --cluster json lacks drift or replica findings')
            check(len(out) > len(single), 'check --cluster json is not larger than one node')
        except json.JSONDecodeError as e:
            failures.append(f'check --cluster json does not parse: {e}')
        code, out, _ = run_check('--cluster', toml, '--format', 'sarif')
        try:
            ids = {r.get('ruleId') for run_ in json.loads(out)['runs'] for r in run_['results']}
            check('drift-standby-too-small' in ids, f'check --cluster sarif rule ids {ids}')
        except (json.JSONDecodeError, KeyError) as e:
            failures.append(f'check --cluster sarif: {e}')
        code, out, _ = run_check('--cluster', toml, '--format', 'github')
        check('drift-weaker-security' in out, 'check --cluster github lacks drift findings')
        # the rule selection applies to the drift rules too
        code, out, _ = run_check('--cluster', toml, '--disable', 'drift-setting', '--color', 'never')
        check('[drift-setting]' not in out and '[drift-weaker-security]' in out, 'check --cluster --disable')
        check(run_check('--cluster', toml, '--fail-on', 'never')[0] == 0, 'check --cluster --fail-on never')
        check(run_check('--cluster', toml, nodes[0])[0] == 2, 'check --cluster with PATH is a usage error')
        check(run_check('--cluster', os.path.join(cwd, 'none.toml'))[0] == 2, 'check --cluster missing file')
        check(run_check()[0] == 2, 'check without PATH is a usage error')
        # usage errors
        check(run(a.binary, nodes[0], cwd=cwd)[0] == 2, 'one node is a usage error')
        check(run(a.binary, *nodes, '--format', 'xml', cwd=cwd)[0] == 2, 'bad format is a usage error')

    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
