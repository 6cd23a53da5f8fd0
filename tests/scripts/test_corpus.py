#!/usr/bin/env python3
"""Every file of ../shared/corpus is handled sensibly.

Each file is placed in a fresh directory under the name the server would read it by
(postgresql.conf, postgresql.auto.conf, pg_hba.conf, pg_ident.conf) and checked with
`pgconflint check --format json`. For every file: exit code 0 or 1 (never a crash or a
usage error), valid JSON, every diagnostic fully located and explained. Files whose
SOURCES.tsv note marks a real error (MISTAKE, BROKEN, INVALID, MISNAMED, SHADOWED, EMPTY)
must get at least one warning or error. Secrets from the corpus never appear in output.

EXPECT makes this exact for the marked files (and a few others with a confirmed real
problem): the rules that must report each mistake, at the given lines (at least these;
other findings may come too). A line may carry a message substring. PAIRS checks hba
files together with the pg_ident.conf of the same project; VERSIONS re-checks files
under another --pg-version. FORBID lists findings that were false alarms once.
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

# file (or extra case) -> {rule id: [line or (line, message substring), ...]}; [] = any line.
EXPECT = {
    # clientcert=1: legacy value rejected since 14 (the test runs with version 18).
    'hba/002-CrunchyData-crunchy-containers.conf': {
        'hba-invalid-line': [(5, 'invalid value for clientcert: "1"'), 6, 8, 9, 10, 11]},
    'hba/003-CrunchyData-crunchy-containers.conf': {
        'hba-invalid-line': [(6, 'invalid value for clientcert: "1"'), 7, 9, 10, 11, 12]},
    'conf/007-gautada-postgresql.conf': {'conf-syntax-error': [(1, 'near token "-"')]},
    'hba/009-gautada-postgresql.conf': {'hba-trust-over-network': [(7, '0.0.0.0/0')]},
    'hba/011-marc1uk-postgres_setup.conf': {
        'hba-host-bits-set': [(4, 'matches the whole network 127.0.0.0/24'),
                              (8, '192.168.163.0/24'), 9, 12, 13],
        'hba-invalid-line': [(14, 'not in name=value format: localmap')]},
    'ident/009-sudozyq-DBAccessor.conf': {'ident-invalid-line': [(1, 'missing entry at end of line')]},
    'auto/002-PaulDegtyarev-Prctice_1.auto.conf': {
        'conf-unknown-parameter': [(3, '"checkpoint_completion_targets"')]},
    'conf/012-PaulDegtyarev-Prctice_1.conf': {'conf-unknown-parameter': [(2, '"effective_cash_size"')]},
    'auto/003-alex7six-Infostart_October_2024.auto.conf': {
        'conf-duplicate-setting': [(41, '"max_wal_senders"'), (46, '"bgwriter_delay"')]},
    'auto/007-SlarnyAK-Slarny.auto.conf': {'conf-duplicate-setting': [(7, '"max_connections"')]},
    'hba/018-varasys-pgdock.conf': {'hba-invalid-line': [(86, 'invalid value for clientcert: "1"')]},
    # 'user1,user2 , user3': the blank ends the user field, 16.0.0.0/8 becomes the method.
    'hba/036-pgbouncer-pgbouncer.rules': {
        'hba-invalid-line': [(32, 'invalid authentication method "16.0.0.0/8"')]},
    'hba/037-pgbouncer-pgbouncer.conf': {
        'hba-host-bits-set': [(13, 'address `192.168.1.1/0`')]},
    'hba/039-dalibo-pgtoolkit.conf': {'hba-invalid-line': [(1, 'invalid authentication method "127.0.0.1/32"')]},
    'conf/034-dalibo-pgtoolkit.hidden.conf': {'conf-syntax-error': [2, 3]},
    'conf/043-SrJaniot-PostgreSQL-15---Instalaci-n-y-Configuraci-n-Remota-Segura.conf.example': {
        'conf-unknown-parameter': [(162, '"encoding"')]},
    'hba/048-DeadDreamer-go_hba_rules.conf': {
        'hba-trust-over-network': [(4, '0.0.0.0/0')],
        'hba-unreachable-line': [(5, 'line 4 matches every connection'), 6, 7, 13],
        'hba-invalid-line': [(14, 'peer authentication is only supported on local sockets'),
                             (16, 'clientcert can only be configured for "hostssl" rows'),
                             (17, 'invalid value for clientcert: "bad"')]},
    'hba/048-DeadDreamer-go_hba_rules.conf+ident/016-DeadDreamer-go_hba_rules.conf': {
        'hba-ident-map-missing': [(13, 'user name map "missingmap" is not defined')]},
    'conf/052-grantma-dms.conf': {
        'conf-unknown-parameter': [(7, '"shared_memory"'), (38, '"wal_keep_segments"')],
        'conf-duplicate-setting': [(10, '"listen_addresses"')],
        'ssl-disabled': [(16, "('2001:db8::2')")]},
    'hba/055-postgres-ai-database-lab-engine.conf': {'hba-invalid-line': [(0, 'contains no entries')]},
    # Without postgresql.conf, oauth_validator_libraries is empty: the oauth line is rejected.
    'hba/067-jackc-pgx.conf': {'hba-invalid-line': [(1, 'oauth_validator_libraries must be set')]},
    'hba/070-disneystreaming-pg2k4j.conf': {
        'hba-invalid-line': [(94, 'invalid IP mask "trust"')],
        'hba-trust-over-network': [93]},
    'hba/073-AdebolaH-Securing-School-Data-Data-Security.conf': {
        'hba-invalid-line': [(2, 'invalid connection type "CREATE"'), (7, 'invalid connection type "GRANT"'),
                             (30, 'invalid connection type "REVOKE"'), (36, 'invalid IP mask "scram-sha-256"')],
        'hba-trust-over-network': [1],
        'hba-unreachable-line': [(33, 'line 1 matches every connection')]},
    'conf/067-Azat2202-RSHD_lab2.conf': {'conf-syntax-error': [(60, 'near token "*"')]},
    'conf/068-Demid0ITMO-s5-dba-lab2.conf': {
        'conf-duplicate-setting': [(827, '"log_destination"'), (836, '"max_connections"'),
                                   (843, '"shared_buffers"')],
        'conf-password-encryption-md5': [859]},
    'hba/079-ALEXNETHUNTER-PG.conf': {
        'hba-invalid-line': [(105, 'end-of-line before authentication method'), 106, 108, 109,
                             (111, 'invalid IP mask "trust"'), (117, 'invalid IP mask "md5"')]},
    'conf/070-ALEXNETHUNTER-PG.conf': {
        'conf-listen-addresses-invalid': [(59, "'192.168.1.1/32' is a network in CIDR notation")]},
    'hba/080-AvocadoSV-PTSTART-devops.conf': {
        'hba-unreachable-line': [(95, 'line 89 matches every connection'), 109, 110, 111, 113],
        'hba-host-bits-set': [(109, '192.168.64.41/24'), (111, '192.168.64.29/24'), 112],
        'hba-cleartext-password': [94, 105, 106, 107, 108]},
    'hba/081-0xtm-devops_bot.conf': {
        'hba-host-bits-set': [(19, 'matches the whole network 192.168.40.0/24')],
        'hba-broad-network': [(11, '`md5`')]},
    'conf/071-UCDavisLibrary-ucdlib-keycloak.conf': {'conf-duplicate-setting': [(35, '"max_connections"')]},
    'hba/089-Conditus-Brassica-DB.conf': {'hba-unreachable-line': [(95, 'it repeats line 90')]},
    # Not marked in SOURCES.tsv, confirmed real problems.
    'conf/028-dalibo-pgtoolkit.conf': {'conf-unknown-parameter': [(50, '"some_guc"')]},
    'conf/039-credativ-postgresql-common.conf': {'conf-unknown-parameter': [(38, '"add_include_dir"')]},
    'conf/024-svven-provision.conf': {'conf-unknown-parameter': [(604, '"checkpoint_segments"')]},
}

# hba file + pg_ident.conf of the same project, checked together (extra case "hba+ident").
PAIRS = [
    ('hba/002-CrunchyData-crunchy-containers.conf', 'ident/001-CrunchyData-crunchy-containers.conf'),
    ('hba/005-robmoore-i-postgres-mtls-jdbc.conf', 'ident/002-robmoore-i-postgres-mtls-jdbc.conf'),
    ('hba/008-denibertovic-postgresql-dockerfile.conf', 'ident/004-denibertovic-postgresql-dockerfile.conf'),
    ('hba/011-marc1uk-postgres_setup.conf', 'ident/008-marc1uk-postgres_setup.conf'),
    ('hba/012-tharunamaddipudi-vault.conf', 'ident/010-tharunamaddipudi-vault.conf'),
    ('hba/035-mcenirm-postgresql94-server.conf', 'ident/012-mcenirm-postgresql94-server.conf'),
    ('hba/037-pgbouncer-pgbouncer.conf', 'ident/013-pgbouncer-pgbouncer.conf'),
    ('hba/040-percona-pg_oidc_validator.conf', 'ident/015-percona-pg_oidc_validator.conf'),
    ('hba/048-DeadDreamer-go_hba_rules.conf', 'ident/016-DeadDreamer-go_hba_rules.conf'),
    ('hba/051-grantma-dms.conf', 'ident/018-grantma-dms.conf'),
    ('hba/085-conradludgate-postgres-mtls-test.conf', 'ident/019-conradludgate-postgres-mtls-test.conf'),
    ('hba/088-jongman-jmk.pe.kr.conf', 'ident/021-jongman-jmk.pe.kr.conf'),
    ('hba/089-Conditus-Brassica-DB.conf', 'ident/022-Conditus-Brassica-DB.conf'),
]

# Re-checks under another version (extra case "file@version").
VERSIONS = [
    ('hba/002-CrunchyData-crunchy-containers.conf', 13),  # clientcert=1 is valid before 14
    ('hba/003-CrunchyData-crunchy-containers.conf', 13),
    ('hba/018-varasys-pgdock.conf', 13),
]

# case -> rules that must not report anything there (false alarms found once).
FORBID = {
    'auto/009-chaorenex1-pgvecto-rs-zh.auto.conf': {'conf-invalid-value'},  # io_method = io_uring
    'templates/008-CarePilot-puppet-module-postgresql.conf.erb': {'conf-listen-addresses-invalid'},
    'templates/014-kujilabs-puppet-postgresql-old.conf': {'conf-listen-addresses-invalid'},
    'templates/032-sHorst-bw.bundle.postgres.conf': {'conf-listen-addresses-invalid'},
    'hba/002-CrunchyData-crunchy-containers.conf@13': {'hba-invalid-line'},
    'hba/003-CrunchyData-crunchy-containers.conf@13': {'hba-invalid-line'},
    'hba/018-varasys-pgdock.conf@13': {'hba-invalid-line'},
}
# `trust` on local and loopback lines (a sample; every such line is checked by check_false_alarms).
EXPECT.update({
    'hba/001-WilliamSampaio-postgresql-8.2.2-docker.conf': {'hba-trust-local': [(71, '`trust` on a `local` line')]},
    'hba/004-CrunchyData-crunchy-containers.conf': {'hba-trust-local': [84]},
    'hba/006-techno-tanoC-pg_cert.conf': {'hba-trust-local': [4, 11]},
    'hba/007-Kerian799-pg-config-repo.conf': {'hba-trust-local': [118, 125]},
})
# An unescaped `.` in a domain of an anchored ident regex (the neon host name was meant literally).
EXPECT.update({
    'ident/019-conradludgate-postgres-mtls-test.conf': {
        'ident-regex-unescaped-dot': [(2, 'in `ep-foo-bar-1234.proxy.eu-west-1.aws.neon.build`')]},
})

FORBID.update({f'{h}+{i}': {'hba-ident-map-missing', 'ident-invalid-line'}
               for h, i in PAIRS if not h.startswith('hba/048-')})
FORBID['hba/048-DeadDreamer-go_hba_rules.conf+ident/016-DeadDreamer-go_hba_rules.conf'] = {'ident-invalid-line'}


# saved file -> its path in the original repository (SOURCES.tsv), filled by main().
ORIGINAL_PATH = {}


def template_target(name: str) -> str:
    """The file a template renders to, from its original path (pg_hba.conf.j2 -> pg_hba.conf)."""
    low = os.path.basename(ORIGINAL_PATH.get(f'templates/{name}', name)).lower()
    if 'hba' in low:
        return 'pg_hba.conf'
    if 'ident' in low:
        return 'pg_ident.conf'
    return 'postgresql.conf'


def target_of(rel: str) -> str:
    area, name = rel.split('/', 1)
    return TARGET[area] or template_target(name)


def run_case(binary: str, corpus: str, case: str, files: list, version=None):
    """Checks `files` (corpus-relative) copied into `case`; returns (diagnostics, problems)."""
    os.makedirs(case)
    for rel in files:
        shutil.copyfile(os.path.join(corpus, rel), os.path.join(case, target_of(rel)))
    cmd = [binary, 'check', '--format', 'json', '--fail-on', 'never']
    if version is not None:
        cmd += ['--pg-version', str(version)]
    try:
        p = subprocess.run(cmd + [case], capture_output=True, text=True, errors='replace', timeout=60)
    except subprocess.TimeoutExpired:
        return [], ['timed out']
    problems = []
    if p.returncode != 0:
        problems.append(f'exit {p.returncode}: {p.stderr.strip()[:300]}')
    try:
        diags = json.loads(p.stdout)['diagnostics']
    except (ValueError, KeyError) as e:
        problems.append(f'invalid JSON ({e}): {p.stdout[:200]!r}')
        diags = []
    for d in diags:
        if not (d.get('rule') and d.get('severity') and d.get('message') and d.get('file')
                and d.get('help') and isinstance(d.get('line'), int)):
            problems.append(f'incomplete diagnostic {d}')
    return diags, problems


def check_expectations(key: str, diags: list) -> list:
    problems = []
    for rule, wanted in EXPECT.get(key, {}).items():
        got = [d for d in diags if d['rule'] == rule]
        if not wanted and not got:
            problems.append(f'expected [{rule}], not reported')
        for w in wanted:
            line, text = (w, None) if isinstance(w, int) else w
            if not any(d['line'] == line and (text is None or text in d['message']) for d in got):
                seen = '; '.join(f"{d['line']}: {d['message'][:100]}" for d in got[:5]) or 'none'
                problems.append(f'expected [{rule}] at line {line}' + (f' with "{text}"' if text else '') +
                                f' (reported: {seen})')
    for rule in FORBID.get(key, set()):
        for d in diags:
            if d['rule'] == rule:
                problems.append(f"unexpected [{rule}] at line {d['line']}: {d['message'][:120]}")
    return problems


HBA_LINE = re.compile(r'^\s*(local|host\w*)\s+(\S+)\s+(\S+)\s+(.*)$')
LOOPBACK = re.compile(r'^(127\.\d+\.\d+\.\d+(/\d+)?|::1(/128)?|localhost|samehost)$')


def hba_fields(line: str):
    """(type, address, method, options) of a simple pg_hba.conf line, or None."""
    m = HBA_LINE.match(line.split('#', 1)[0])
    if not m:
        return None
    rest = m.group(4).split()
    if m.group(1) == 'local':
        address, rest = None, rest
    elif rest:
        address, rest = rest[0], rest[1:]
        if rest and re.match(r'^\d+\.\d+\.\d+\.\d+$', rest[0]):
            rest = rest[1:]  # netmask column
    else:
        return None
    if not rest:
        return None
    return m.group(1), address, rest[0], rest[1:]


def check_false_alarms(case_dir: str, diags: list) -> list:
    """False alarms of kinds found once, and missed local/loopback trust, on every case."""
    problems = []
    for d in diags:
        if re.search(r'\b0:0:0:|:0:0:0\b', d['message']):
            problems.append(f"IPv6 address not in compressed form at line {d['line']}: {d['message'][:120]}")
    path = os.path.join(case_dir, 'pg_hba.conf')
    if not os.path.exists(path):
        return problems
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    by_line = {}
    for d in diags:
        if os.path.basename(d['file']) == 'pg_hba.conf':
            by_line.setdefault(d['line'], []).append(d)
    for n, text in enumerate(lines, 1):
        fields = hba_fields(text)
        if fields is None:
            continue
        typ, address, method, options = fields
        here = by_line.get(n, [])
        rules = {d['rule'] for d in here}
        loopback = address is not None and LOOPBACK.match(address)
        for d in here:
            if d['rule'] == 'hba-ident-over-tcp' and loopback and d['severity'] != 'note':
                problems.append(f'line {n}: ident on loopback reported as {d["severity"]}')
            if d['rule'] == 'hba-broad-network' and (method == 'cert' or 'clientcert=verify-full' in options):
                problems.append(f'line {n}: hba-broad-network on a certificate line')
            if d['rule'] == 'hba-host-not-ssl' and method in ('scram-sha-256', 'md5') and d['severity'] == 'error':
                problems.append(f'line {n}: hba-host-not-ssl error for `{method}`')
        if method == 'trust' and len(rules & {'hba-host-not-ssl', 'hba-broad-network', 'hba-trust-over-network'}) > 1:
            problems.append(f'line {n}: several findings restate `trust` ({sorted(rules)})')
        if method == 'trust' and (typ == 'local' or loopback) and not rules & {
                'hba-trust-local', 'hba-unreachable-line', 'hba-invalid-line'}:
            problems.append(f'line {n}: `trust` on a local/loopback line not reported')
    return problems


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
            ORIGINAL_PATH[row['saved_file']] = row['path']

    # Every case: (key, files, version).
    cases = []
    for area in TARGET:
        for name in sorted(os.listdir(os.path.join(corpus, area))):
            cases.append((f'{area}/{name}', [f'{area}/{name}'], None))
    cases += [(f'{h}+{i}', [h, i], None) for h, i in PAIRS]
    cases += [(f'{rel}@{v}', [rel], v) for rel, v in VERSIONS]
    keys = {key for key, _, _ in cases}
    failures = [f'{key}: listed in EXPECT/FORBID but not a corpus case' for key in sorted(set(EXPECT) | set(FORBID))
                if key not in keys]
    marked = [rel for rel, note in notes.items() if MARKS.search(note)]
    failures += [f'{rel}: marked in SOURCES.tsv but has no EXPECT entry' for rel in marked if rel not in EXPECT]

    passed = 0
    matches = 0
    with tempfile.TemporaryDirectory(prefix='pgl-corpus-') as tmp:
        for n, (key, files, version) in enumerate(cases):
            diags, problems = run_case(args.binary, corpus, os.path.join(tmp, str(n)), files, version)
            note = notes.get(key, '')
            if MARKS.search(note) and not any(d['severity'] in ('error', 'warning') for d in diags):
                problems.append(f'marked in SOURCES.tsv but no warning or error: {note[:120]}')
            problems += check_expectations(key, diags)
            problems += check_false_alarms(os.path.join(tmp, str(n)), diags)
            if key.startswith('templates/') and target_of(key) != 'postgresql.conf':
                # An hba/ident template: reported once as a template, no line-by-line findings.
                got = sorted(d['rule'] for d in diags if d['rule'].startswith(('hba-', 'ident-')))
                if got != ['hba-template-syntax']:
                    problems.append(f'hba/ident template: expected one hba-template-syntax finding, got {got}')
            if problems:
                failures.append(f'{key}: ' + '; '.join(problems))
            else:
                passed += 1
    matches = sum(max(1, len(w)) for exp in EXPECT.values() for w in exp.values())
    for f in failures:
        print('FAIL', f)
    print(f'corpus: {len(cases)} cases ({len(cases) - len(PAIRS) - len(VERSIONS)} files, {len(PAIRS)} hba+ident '
          f'pairs, {len(VERSIONS)} version re-checks), {len(marked)} marked files, {len(EXPECT)} files with '
          f'{matches} expected findings, {sum(map(len, FORBID.values()))} forbidden rule/case combinations; '
          f'{passed} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
