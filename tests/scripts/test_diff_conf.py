#!/usr/bin/env python3
"""Differential test: `pgconflint dump conf` against pg_file_settings of a real
server (--server: Debian's 15, or the test build of a major 12-18).

One throwaway cluster (pgserver.py) serves every case: each case writes
<data>/postgresql.conf (plus included files and postgresql.auto.conf), then the rows
of `select * from pg_file_settings` are compared with
`pgconflint dump conf <data>/postgresql.conf --pg-version <major> --running-boot --running ...`
(the running values of every postmaster-context parameter are read from pg_settings,
so that the tool knows what the view compares postmaster parameters with).

Groups:
  lex       generated lines (every token class, quoting, escapes, `=`, comments,
            whitespace, error bytes), one include file per line so that one line's
            syntax error cannot hide another's result;
  valid     the lines of `lex` that parsed, all in one file (applied, duplicates);
  struct    hand-written multi-line and include cases (errors at various places,
            end of file without newline, include/include_if_exists/include_dir,
            depth, recursion, ordering, postgresql.auto.conf);
  values    known parameters with typed values (bools, units, enums, reals, hex);
  backends  the MAX_BACKENDS check of a start (`postgres -C` in a second data
            directory) against `pgconflint check`: the four parameters across the
            limit, in varying order, duplicated, in include files and
            postgresql.auto.conf (12-17: check hooks in file order, values in force;
            18: `too many server processes configured` after the file);
  corpus    every file of shared/corpus/conf and shared/corpus/auto, and the
            include trees.

While value validation (conf::check_value) is still a stub (detected at start), a
server row `setting could not be applied` is accepted against an applied row of the
tool, and the `values` group is skipped; the summary says so.

Exit 0 when every case agrees, 1 on any mismatch, 77 when no server is installed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgserver  # noqa: E402

# Documented server quirks that the tool does not reproduce, by case id prefix, with
# the reason. (Empty: every difference found so far was a tool bug and was fixed.)
QUIRKS: dict[str, str] = {
    'struct-nul-byte': 'by design the tool refuses a file containing NUL bytes as binary '
                       '(exit 2 naming the file); the server scans NUL as an ERROR token',
}


class Runner:
    def __init__(self, cluster: pgserver.Cluster, binary: str, stub_values: bool = False) -> None:
        self.c = cluster
        self.binary = binary
        self.cases = 0
        self.passed = 0
        self.failed = 0
        self.quirks = 0
        self.build_dependent = 0
        self.stub_values = stub_values
        self.running: list[str] = []
        self.failures: list[str] = []

    def load_running(self) -> None:
        rows = self.c.query_json("select name, setting from pg_settings where context = 'postmaster'")
        self.running = []
        for r in rows:
            self.running += ['--running', f"{r['name']}={r['setting']}"]

    def reset(self) -> None:
        for entry in os.listdir(self.c.data):
            if entry.startswith('case'):
                p = os.path.join(self.c.data, entry)
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p)
                else:
                    os.unlink(p)
        self.c.write('postgresql.conf', '')
        self.c.write('postgresql.auto.conf', '')

    def mkdir(self, rel: str) -> str:
        p = self.c.path(rel)
        os.makedirs(p, exist_ok=True)
        if self.c.as_root:
            import pwd
            pw = pwd.getpwnam('postgres')
            os.chown(p, pw.pw_uid, pw.pw_gid)
        return p

    def tool_rows(self) -> list[dict] | str:
        r = subprocess.run([self.binary, 'dump', 'conf', self.c.path('postgresql.conf'),
                            '--pg-version', str(self.c.server.major), '--running-boot', '--show-secrets'] + self.running,
                           capture_output=True)
        if r.returncode != 0:
            return f'exit {r.returncode}: {r.stderr.decode(errors="replace")}'
        return json.loads(r.stdout.decode('utf-8', errors='replace'))

    def server_rows(self) -> list[dict]:
        return self.c.file_settings()

    def compare(self, case_id: str, description: str, weight: int = 1) -> bool:
        """Compares the current files; counts `weight` cases (lines of a batch)."""
        self.cases += weight
        server = self.server_rows()
        tool = self.tool_rows()
        ok, why = equal(server, tool, self.stub_values)
        if not ok and any(pgserver.build_dependent(self.c.server, row.get('name'), row.get('setting'))
                          for row in server if row.get('error')):
            self.build_dependent += weight
            return True
        if ok:
            self.passed += weight
            return True
        for prefix, reason in QUIRKS.items():
            if case_id.startswith(prefix):
                self.quirks += 1
                self.passed += 1
                return True
        self.failed += 1
        msg = f'MISMATCH {case_id}: {description}\n  {why}'
        self.failures.append(msg)
        print(msg, file=sys.stderr)
        return False


KEYS = ['sourcefile', 'sourceline', 'seqno', 'name', 'setting', 'applied', 'error']


def equal(server: list[dict], tool, stub_values: bool) -> tuple[bool, str]:
    if isinstance(tool, str):
        return False, f'tool failed: {tool}'
    if len(server) != len(tool):
        return False, f'{len(server)} server rows, {len(tool)} tool rows\n  server={server}\n  tool={tool}'
    for s, t in zip(server, tool):
        s2 = {k: s.get(k) for k in KEYS}
        # Harness quirk, not a server one: psql drops bytes that are not valid UTF-8 when
        # it prints (mbvalidate), e.g. the 0xFF of '\777'; the tool prints U+FFFD.
        t2 = {k: (t.get(k).replace('\ufffd', '') if isinstance(t.get(k), str) else t.get(k))
              for k in KEYS}
        if stub_values and 'setting could not be applied' in (s2['error'], t2['error']) \
                and None in (s2['error'], t2['error']):
            t2['applied'] = s2['applied']
            t2['error'] = s2['error']
        if s2 != t2:
            return False, f'server={s2}\n  tool  ={t2}'
    return True, ''


# --------------------------------------------------------------------------- generators

NAME_PARTS = ['a', 'x1', '_u', 'Foo', 'ü', 'é_9', 'Z', 'q_r_s', 'long_name_123']
VALUE_TOKENS = [
    # IDs and unquoted strings
    'on', 'off', 'Yes', 'abc', 'x_y', 'Europe/Berlin', 'a-b', 'a:b', 'foo.', 'a.b.c', 'a/b/c', 'ü',
    'é.x.y', 'foo-bar.baz', 'Z9', '_', '_.', 'a..b',
    # integers
    '0', '1', '-1', '+7', '128MB', '10s', '1abc', '0x1F', '0xZZ', '0x', '0X1F', '0xab', '0xa1b', '-0x10',
    '1e5', '1E5', '007', '12kB', '1min', '99999999999999999999',
    # reals
    '1.5', '.5', '5.', '.', '-.', '+.', '1.0e5', '1.5e', '1.5e-3', '1.5E+3', '-2.5', '.e5', '0x1.5', '1.5GB',
    '1..2', '1.2.3',
    # quoted strings
    "''", "'x'", "'it''s'", "'a\\nb'", "'\\101\\102'", "'\\x'", "'tab\\there'", "'#not comment'",
    "'a''''b'", "''''", "'\\''", "'\\\\'", "'\"q\"'", "'sp ace'", "'\\0end'", "'\\1234'", "'\\777'",
    "'\\b\\f\\r'", "'ü'", "'a'' ", "'unterminated", "'a'b'", "'x''", "'''", "'a\\'",
    # errors
    '*', '"x"', '$', '%m', '!', ';', ',', '(', '-', '+', '=', '\\', '@', '`', '~', '?', '[',
    # qualified ids (never a value)
    'pg_catalog.english', 'a.b', 'ü.x',
]
SEPS = [' = ', '=', ' ', '\t=\t', ' =', '= ', '  =  ', '\r=\r', ' \t ']
TRAILERS = ['', ' ', '#c', ' # comment', '\t', '\r', ' x', ' 1', " 'y'", ' =', '#', ' #\'x', '\x0c', ' ;']
LEADERS = ['', ' ', '\t', '  \t', '\r']


def gen_name(rng: random.Random) -> str:
    k = rng.random()
    if k < 0.75:
        return rng.choice(NAME_PARTS) + '.' + rng.choice(NAME_PARTS)
    if k < 0.85:
        return rng.choice(['application_name', 'Application_Name', 'search_path', 'work_mem_x.y',
                           'cluster_name'])
    return rng.choice(['a.b.c', 'a-b', '1abc', "'q'", '=', '*', 'a.', '.a', 'a.1b', 'include_x',
                       'x..y', '\x0c', '\ufeff'])


def gen_line(rng: random.Random) -> str:
    name = gen_name(rng)
    if rng.random() < 0.1:
        value = rng.choice(VALUE_TOKENS) + rng.choice(VALUE_TOKENS)  # glued tokens
    else:
        value = rng.choice(VALUE_TOKENS)
    if rng.random() < 0.03:
        value = ''
    return rng.choice(LEADERS) + name + rng.choice(SEPS) + value + rng.choice(TRAILERS)


# --------------------------------------------------------------------------- groups


def group_lex(r: Runner, count: int, seed: int) -> list[str]:
    """One include file per generated line; returns the lines that parsed."""
    rng = random.Random(seed)
    lines = [gen_line(rng) for _ in range(count)]
    good: list[str] = []
    batch = 250
    for start in range(0, len(lines), batch):
        r.reset()
        chunk = lines[start:start + batch]
        main = []
        for i, line in enumerate(chunk):
            r.c.write(f'case{start + i:05d}.conf', line.encode('utf-8') + b'\n')
            main.append(f"include 'case{start + i:05d}.conf'")
        r.c.write('postgresql.conf', '\n'.join(main) + '\n')
        if r.compare(f'lex-batch-{start}', f'{len(chunk)} generated lines', len(chunk)):
            rows = r.server_rows()
            bad = {row['sourcefile'] for row in rows if row['error'] == 'syntax error'}
            for i, line in enumerate(chunk):
                if r.c.path(f'case{start + i:05d}.conf') not in bad:
                    good.append(line)
            continue
        # Narrow the failing batch down to single lines, each its own case.
        r.cases -= len(chunk)
        r.failed -= 1
        r.failures.pop()
        for i, line in enumerate(chunk):
            r.reset()
            r.c.write('postgresql.conf', line.encode('utf-8') + b'\n')
            if r.compare(f'lex-{start + i}', repr(line)):
                if not any(row['error'] == 'syntax error' for row in r.server_rows()):
                    good.append(line)
    return good


def group_valid(r: Runner, good: list[str]) -> None:
    # Unknown names reject the whole file: keep them in their own file.
    for chunk_start in range(0, len(good), 400):
        chunk = good[chunk_start:chunk_start + 400]
        r.reset()
        r.c.write('postgresql.conf', ('\n'.join(chunk) + '\n').encode('utf-8'))
        r.compare(f'valid-{chunk_start}', f'{len(chunk)} lines that parse, one file', len(chunk))
        known = [l for l in chunk if '.' in (l.replace('=', ' ').split() or [''])[0]]
        r.reset()
        r.c.write('postgresql.conf', ('\n'.join(known) + '\n').encode('utf-8'))
        r.compare(f'valid-custom-{chunk_start}', f'{len(known)} custom-name lines, one file')


STRUCT_CASES: list[tuple[str, dict]] = [
    # (id, {relative path: content}); postgresql.conf is the main file.
    ('eof-no-newline', {'postgresql.conf': 'a.b = 1\nc.d = 2'}),
    ('eof-missing-value', {'postgresql.conf': 'a.b = 1\nc.d ='}),
    ('eof-missing-value-nl', {'postgresql.conf': 'a.b = 1\nc.d =\n'}),
    ('eof-name-only', {'postgresql.conf': 'a.b = 1\nc.d'}),
    ('eof-name-only-nl', {'postgresql.conf': 'a.b = 1\nc.d\n'}),
    ('missing-value-comment', {'postgresql.conf': 'a.b = # c\nx.y = 1\n'}),
    ('two-errors', {'postgresql.conf': 'a.b = 1\n* = 2\nc.d = 3\nx = = 4\ne.f = 5\n'}),
    ('error-last-line', {'postgresql.conf': 'a.b = 1\nc.d = 2\ne.f = *'}),
    ('empty-file', {'postgresql.conf': ''}),
    ('only-comments', {'postgresql.conf': '# a\n\n   # b\n\t\n'}),
    ('crlf', {'postgresql.conf': 'a.b = 1\r\nc.d = \'x\'\r\n'}),
    ('bom', {'postgresql.conf': '\ufeffa.b = 1\n'}),
    ('bom-known', {'postgresql.conf': '\ufeffwork_mem = 1MB\n'}),
    ('formfeed', {'postgresql.conf': 'a.b = 1\x0c\n'}),
    ('vtab', {'postgresql.conf': 'a.b\x0b= 1\n'}),
    ('nul-byte', {'postgresql.conf': 'a.b = 1\nc.d = x\x00y\n'}),
    ('dup-exact', {'postgresql.conf': 'work_mem = 1MB\nwork_mem = 2MB\nwork_mem = 3MB\n'}),
    ('dup-case', {'postgresql.conf': 'work_mem = 1MB\nWork_Mem = 2MB\nwork_mem = 3MB\n'}),
    ('dup-alias', {'postgresql.conf': 'sort_mem = 1MB\nwork_mem = 2MB\nsort_mem = 3MB\n'}),
    ('dup-custom', {'postgresql.conf': 'a.b = 1\na.b = 2\nA.B = 3\n'}),
    ('unknown', {'postgresql.conf': 'a.b = 1\nno_such_param = 2\nwork_mem = 1MB\nfoo = 3\n'}),
    ('unknown-debug', {'postgresql.conf': 'trace_locks = on\n'}),
    ('include-basic', {'postgresql.conf': "a.b = 1\ninclude 'case_inc.conf'\nc.d = 2\n",
                       'case_inc.conf': 'x.y = 3\nwork_mem = 2MB\n'}),
    ('include-upper', {'postgresql.conf': "INCLUDE = 'case_inc.conf'\nInclude_If_Exists 'case_inc.conf'\n",
                       'case_inc.conf': 'x.y = 3\n'}),
    ('include-missing', {'postgresql.conf': "a.b = 1\ninclude 'case_nope.conf'\nc.d = 2\n"}),
    ('include-if-exists-missing', {'postgresql.conf': "a.b = 1\ninclude_if_exists 'case_nope.conf'\nc.d = 2\n"}),
    ('include-empty', {'postgresql.conf': "include ''\na.b = 1\n"}),
    ('include-blank', {'postgresql.conf': "include ' \\t'\n"}),
    ('include-dir-empty-name', {'postgresql.conf': "include_dir ''\n"}),
    ('include-self', {'postgresql.conf': "a.b = 1\ninclude 'postgresql.conf'\n"}),
    ('include-self-dotted', {'postgresql.conf': "include './postgresql.conf'\n"}),
    ('include-dir-missing', {'postgresql.conf': "include_dir 'case_nodir'\na.b = 1\n"}),
    ('include-dir-is-file', {'postgresql.conf': "include_dir 'case_f.conf'\n", 'case_f.conf': 'a.b = 1\n'}),
    ('include-is-dir', {'postgresql.conf': "include 'case_d'\n", 'case_d/x.conf': 'a.b = 1\n'}),
    ('include-dir-order', {'postgresql.conf': "include_dir 'case_d'\nz.z = 0\n",
                           'case_d/10.conf': 'a.a = 10\n', 'case_d/9.conf': 'a.a = 9\n',
                           'case_d/A.conf': 'a.a = A\n', 'case_d/b.conf': 'a.a = b\n',
                           'case_d/.hidden.conf': 'a.a = hidden\n', 'case_d/x.CONF': 'a.a = upper\n',
                           'case_d/x.conf~': 'a.a = tilde\n', 'case_d/.conf': 'a.a = dot\n',
                           'case_d/sub.conf/y.conf': 'a.a = sub\n', 'case_d/a.con': 'a.a = con\n'}),
    ('include-dir-error-stops', {'postgresql.conf': "include_dir 'case_d'\nz.z = 0\n",
                                 'case_d/1.conf': 'a.a = 1\n', 'case_d/2.conf': 'a.a = *\n',
                                 'case_d/3.conf': 'a.a = 3\n'}),
    ('include-dir-relative-nested', {'postgresql.conf': "include_dir 'case_d'\n",
                                     'case_d/1.conf': "include 'sub/x.conf'\n",
                                     'case_d/sub/x.conf': "a.a = nested\ninclude '../2.inc'\n",
                                     'case_d/2.inc': 'b.b = up\n'}),
    ('include-dotdot', {'postgresql.conf': "include 'case_d/../case_i.conf'\ninclude 'case_d/./x.conf'\n",
                        'case_i.conf': 'a.a = 1\n', 'case_d/x.conf': 'b.b = 2\n'}),
    ('include-slashes', {'postgresql.conf': "include 'case_d//x.conf'\ninclude_dir 'case_d/'\n",
                         'case_d/x.conf': 'b.b = 2\n'}),
    ('include-error-in-child', {'postgresql.conf': "a.b = 1\ninclude 'case_i.conf'\nc.d = 2\nwork_mem = 1MB\n",
                                'case_i.conf': 'x.y = 1\nx.z = *\nx.w = 3\n'}),
    ('include-unknown-in-child', {'postgresql.conf': "a.b = 1\ninclude 'case_i.conf'\n",
                                  'case_i.conf': 'nosuch = 1\n'}),
    ('include-cycle', {'postgresql.conf': "include 'case_a.conf'\n",
                       'case_a.conf': "a.a = 1\ninclude 'case_b.conf'\n",
                       'case_b.conf': "b.b = 1\ninclude 'case_a.conf'\n"}),
    ('auto-basic', {'postgresql.conf': 'work_mem = 1MB\n', 'postgresql.auto.conf':
                    "# Do not edit this file manually!\nwork_mem = '2MB'\na.b = 'x'\n"}),
    ('auto-syntax', {'postgresql.conf': 'work_mem = 1MB\n', 'postgresql.auto.conf': 'work_mem = *\n'}),
    ('auto-after-main-error', {'postgresql.conf': 'work_mem = *\n', 'postgresql.auto.conf': 'a.b = 1\n'}),
    ('auto-include', {'postgresql.conf': '', 'postgresql.auto.conf': "include 'case_i.conf'\n",
                      'case_i.conf': 'a.b = 1\n'}),
    ('auto-unknown', {'postgresql.conf': 'a.b = 1\n', 'postgresql.auto.conf': 'nosuch = 1\n'}),
    ('postmaster-same', {'postgresql.conf': "max_connections = 10\nshared_buffers = '16MB'\nport = 5432\n"}),
    ('postmaster-max-backends', {'postgresql.conf': 'max_connections = 262130\nmax_worker_processes = 200\n'
                                                    'max_wal_senders = 10\n'}),
    ('postmaster-internal', {'postgresql.conf': 'block_size = 8192\nserver_version = 1\n'}),
    ('backend-invalid', {'postgresql.conf': 'log_connections = maybe\nignore_system_indexes = 7\n'}),
    ('config-file', {'postgresql.conf': "config_file = '/nonexistent.conf'\n"}),
]


def depth_cases() -> list[tuple[str, dict]]:
    out = []
    for levels in (9, 10, 11, 12):
        files = {'postgresql.conf': "include 'case_l1.conf'\n"}
        for i in range(1, levels + 1):
            nxt = f"include 'case_l{i + 1}.conf'\n" if i < levels else ''
            files[f'case_l{i}.conf'] = f'l.v{i} = {i}\n' + nxt
        out.append((f'depth-{levels}', files))
    # include_dir files count one level more than the directive's file
    files = {'postgresql.conf': "include 'case_l1.conf'\n"}
    for i in range(1, 10):
        files[f'case_l{i}.conf'] = f"include 'case_l{i + 1}.conf'\n"
    files['case_l10.conf'] = "include_dir 'case_dd'\n"
    files['case_dd/a.conf'] = 'd.d = 1\n'
    out.append(('depth-dir', files))
    return out


def write_files(r: Runner, files: dict) -> None:
    for rel, content in files.items():
        data = content.encode('utf-8') if isinstance(content, str) else content
        d = os.path.dirname(rel)
        if d:
            r.mkdir(d)
        r.c.write(rel, data)


def group_struct(r: Runner) -> None:
    for cid, files in STRUCT_CASES + depth_cases():
        r.reset()
        write_files(r, files)
        r.compare(f'struct-{cid}', cid)


VALUE_CASES: dict[str, list[str]] = {
    'enable_seqscan': ['on', 'off', 'of', 'o', "'TRU'", "'ye'", "'OFF'", 'maybe', "''", '2', '1', '0',
                       "'yes '", 'true', 'FALSE', 'n', 'y', "'on '"],
    'work_mem': ['8MB', '1.5GB', "'1.5GB'", '1e5', '1.0e5', '0x10', '0x100', '.', "'8 MB'", "' 8MB  '",
                 "'8mb'", "'8MBs'", "'8 M B'", "'-8MB'", "'nan'", '64', '63', '2147483647', '2147483648',
                 "'1TB'", "'3 kB'", '-1', "'0.5MB'"],
    'max_connections': ["'100kB'", '10', '100'],
    'random_page_cost': ["'inf'", "'NaN'", '-1', '4', '1.5', "'1e3'", '0'],
    'statement_timeout': ["'0.3ms'", '1s', '1min', '1h', '1d', "'1 d'", '5000', "'1.5s'", '-1'],
    'log_min_messages': ["'Warning '", "'debug'", 'warning', 'WARNING', 'loud', 'debug5', 'panic'],
    'wal_compression': ['on', 'off', 'pglz', 'lz4', 'zstd', 'yes', 'maybe'],
    'application_name': ['1abc', '-.', 'foo.', "'ü'"],
    'search_path': ['public', "'\"$user\", public'"],
    'timezone': ['Europe/Berlin', "'UTC'", 'Nowhere/Land'],
    'shared_buffers': ['16MB', '128MB', '2048'],
    'log_line_prefix': ["'%m [%p] '"],
    'checkpoint_completion_target': ['0.9', '1.5', '0'],
    'password_encryption': ['md5', 'scram-sha-256', 'on'],
}


def group_values(r: Runner) -> None:
    longest = max(len(v) for v in VALUE_CASES.values())
    for k in range(longest):
        r.reset()
        lines = [f'{name} = {vals[k]}' for name, vals in VALUE_CASES.items() if k < len(vals)]
        r.c.write('postgresql.conf', ('\n'.join(lines) + '\n').encode('utf-8'))
        r.compare(f'values-{k}', '; '.join(lines))


def group_corpus(r: Runner, shared: str) -> None:
    corpus = os.path.join(shared, 'corpus')
    for sub in ('conf', 'auto'):
        d = os.path.join(corpus, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), 'rb') as f:
                data = f.read()
            r.reset()
            if sub == 'conf':
                r.c.write('postgresql.conf', data)
            else:
                r.c.write('postgresql.auto.conf', data)
            r.compare(f'corpus-{sub}-{name}', name)
    trees = os.path.join(corpus, 'include-trees')
    mains = [('dalibo-pgtoolkit/tests/data', 'postgres.conf'),
             ('kagis-docker-postgres/conf', 'postgresql.on_migration.conf'),
             ('kagis-docker-postgres/conf', 'postgresql.on_migration_fail.conf')]
    for tree_dir, main in mains:
        src = os.path.join(trees, tree_dir)
        if not os.path.isdir(src):
            continue
        r.reset()
        dst = os.path.join(r.c.data, 'case_tree')
        shutil.copytree(src, dst)
        if r.c.as_root:
            subprocess.run(['chown', '-R', 'postgres:postgres', dst], check=True)
        r.c.write('postgresql.conf', f"include 'case_tree/{main}'\n")
        r.compare(f'corpus-tree-{tree_dir}-{main}', main)


# --------------------------------------------------------------------------- MAX_BACKENDS at start

BACKEND_VALUES = {
    'max_connections': ['100', '262000', '262100', '262121', '262122', '262130', '10'],
    'max_worker_processes': ['0', '8', '21', '22', '50', '200'],
    'max_wal_senders': ['0', '10', '11', '100'],
    'autovacuum_max_workers': ['1', '3', '4', '50'],
    'autovacuum_worker_slots': ['1', '16', '17', '100'],
}


def backends_cases(major: int, count: int, seed: int) -> list[tuple[str, dict]]:
    """The four MAX_BACKENDS parameters across the limit, in varying order, duplicated, and
    spread over postgresql.conf, an include file, an include_dir file and postgresql.auto.conf."""
    names = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'autovacuum_max_workers']
    if major >= 18:
        names.append('autovacuum_worker_slots')
    out: list[tuple[str, dict]] = [
        ('order-a', {'postgresql.conf': 'max_connections = 262000\nmax_worker_processes = 200\n'}),
        ('order-b', {'postgresql.conf': 'max_worker_processes = 200\nmax_connections = 262000\n'}),
        ('dup-last-wins', {'postgresql.conf': 'max_connections = 262000\nmax_worker_processes = 200\n'
                                              'max_connections = 100\n'}),
        ('include', {'postgresql.conf': "max_worker_processes = 200\ninclude 'case_inc.conf'\n",
                     'case_inc.conf': 'max_connections = 262000\n'}),
        ('rejected-keeps-boot', {'postgresql.conf': 'max_connections = 262100\nmax_wal_senders = 100\n'
                                                    'max_worker_processes = 50\n'}),
        ('lowered-first', {'postgresql.conf': 'max_wal_senders = 0\nmax_worker_processes = 0\n'
                                              'max_connections = 262130\n'}),
        ('auto', {'postgresql.conf': 'max_connections = 262100\n',
                  'postgresql.auto.conf': 'max_wal_senders = 100\n'}),
    ]
    rng = random.Random(seed)
    for n in range(count):
        files: dict[str, list[str]] = {'postgresql.conf': [], 'case_inc.conf': [], 'case_d/a.conf': [],
                                       'postgresql.auto.conf': []}
        for _ in range(rng.randint(1, 6)):
            name = rng.choice(names)
            files[rng.choice(list(files))].append(f'{name} = {rng.choice(BACKEND_VALUES[name])}')
        main = files['postgresql.conf']
        main.insert(rng.randint(0, len(main)), "include 'case_inc.conf'")
        main.insert(rng.randint(0, len(main)), "include_dir 'case_d'")
        out.append((f'gen-{n}', {k: ''.join(l + '\n' for l in v) for k, v in files.items()}))
    return out


def startup_messages(r: Runner) -> list[str] | str:
    """What the server says about the file when it starts: `postgres -C` reads the files as a
    start does, in a data directory of its own (the running cluster's lock file would stop
    the start-up checks of 18, which `-C shared_memory_size` reaches)."""
    param = 'shared_memory_size' if r.c.server.major >= 18 else 'max_connections'
    p = subprocess.run(r.c._cmd([os.path.join(r.c.bin, 'postgres'), '-D', r.start_data, '-C', param]),
                       capture_output=True, text=True)
    out: list[str] = []
    lines = p.stderr.splitlines()
    for i, line in enumerate(lines):
        if 'invalid value for parameter' in line or 'outside the valid range' in line:
            out.append(line.split('LOG:  ', 1)[-1])
        elif 'too many server processes configured' in line:
            detail = lines[i + 1].split('DETAIL:  ', 1)[-1] if i + 1 < len(lines) else ''
            out.append(f'too many server processes configured: {detail}')
        elif 'FATAL' in line and 'contains errors' not in line:
            return f'unexpected: {line}'
    return sorted(out)


def group_backends(r: Runner, count: int, seed: int) -> None:
    """MAX_BACKENDS checks of a start (12-17: check hooks in file order with the values in
    force; 18: after the file) against `pgconflint check`'s conf-invalid-value findings."""
    base = os.path.join(r.c.base, 'start')
    r.start_data = os.path.join(base, 'data')
    os.makedirs(base)
    if r.c.as_root:
        subprocess.run(['chown', 'postgres:postgres', base], check=True)
    subprocess.run(r.c._cmd([os.path.join(r.c.bin, 'initdb'), '-D', r.start_data, '-U', 'pgl', '--auth=trust',
                             '--no-sync', '-E', 'UTF8', '--locale=C']), check=True, capture_output=True)
    main_data = r.c.data
    rejected = 0
    cases = backends_cases(r.c.server.major, count, seed)
    for cid, files in cases:
        r.c.data = r.start_data
        try:
            r.reset()
            write_files(r, files)
            r.cases += 1
            server = startup_messages(r)
            rejected += bool(server)
            t = subprocess.run([r.binary, 'check', r.c.path('postgresql.conf'), '--data-dir', r.c.data,
                                '--pg-version', str(r.c.server.major), '--format', 'json', '--fail-on', 'never',
                                '--enable', 'conf-invalid-value'], capture_output=True, text=True)
        finally:
            r.c.data = main_data
        try:
            tool = sorted(d['message'] for d in json.loads(t.stdout)['diagnostics']
                          if d['rule'] == 'conf-invalid-value')
        except (ValueError, KeyError) as e:
            tool = f'tool failed ({e}): {t.stderr}'
        if server == tool:
            r.passed += 1
            continue
        r.failed += 1
        msg = f'MISMATCH backends-{cid}: {files}\n  server={server}\n  tool  ={tool}'
        r.failures.append(msg)
        print(msg, file=sys.stderr)
    print(f'backends: {len(cases)} start-ups, {rejected} rejected by the server')


def values_are_stub(r: Runner) -> bool:
    r.reset()
    r.c.write('postgresql.conf', 'enable_seqscan = maybe\n')
    rows = r.tool_rows()
    return isinstance(rows, list) and len(rows) == 1 and rows[0]['error'] is None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', default='.')
    ap.add_argument('--shared', default='../shared')
    ap.add_argument('--lines', type=int, default=3000)
    ap.add_argument('--seed', type=int, default=15)
    ap.add_argument('--backends', type=int, default=60, help='generated MAX_BACKENDS start-up cases')
    ap.add_argument('--only', default='', help='comma-separated groups')
    pgserver.add_server_argument(ap)
    args = ap.parse_args()
    srv = pgserver.Server(args.server)
    if not srv.available():
        print(f'conf differential: no server {args.server}, skipped')
        return 77
    groups = set(args.only.split(',')) if args.only else {'lex', 'valid', 'struct', 'values', 'backends',
                                                          'corpus'}
    with pgserver.Cluster(srv) as cluster:
        r = Runner(cluster, os.path.abspath(args.binary))
        r.load_running()
        r.stub_values = values_are_stub(r)
        if r.stub_values:
            print('note: value validation is a stub in this build; value-dependent results are not compared')
        good: list[str] = []
        if 'lex' in groups or 'valid' in groups:
            good = group_lex(r, args.lines, args.seed)
        if 'valid' in groups:
            group_valid(r, good)
        if 'struct' in groups:
            group_struct(r)
        if 'values' in groups and not r.stub_values:
            group_values(r)
        if 'backends' in groups:
            group_backends(r, args.backends, args.seed)
        if 'corpus' in groups:
            group_corpus(r, args.shared)
    lines_note = f' ({args.lines} generated lines)' if 'lex' in groups else ''
    print(f'conf differential, {srv.label()}{lines_note}: {r.cases} cases, {r.passed} passed, {r.failed} failed'
          f'{f", {r.quirks} documented quirks" if r.quirks else ""}'
          f', {r.build_dependent} build-dependent cases left out')
    return 1 if r.failed else 0


if __name__ == '__main__':
    sys.exit(main())
