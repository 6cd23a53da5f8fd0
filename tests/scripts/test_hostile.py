#!/usr/bin/env python3
"""Hostile input: every case gives a clear diagnostic or error with the right exit code,
within resource limits (address space and CPU time, set on the child: a loop or an
unbounded read fails the limit instead of taking the machine), and leaves every input
file as it was (content hash, modification and change times, for special files the times
alone).

A wall-clock limit only catches a process that blocks without using CPU (a FIFO opened
or read without O_NONBLOCK); it is generous and is not a speed assertion."""
import argparse
import hashlib
import json
import os
import resource
import stat
import subprocess
import sys
import tempfile
import threading
import time

FAILURES = []
CASES = 0
MEMORY_LIMIT = 3 << 30   # bytes of address space
CPU_LIMIT = 120          # seconds of CPU time
BLOCK_LIMIT = 300        # seconds of wall time (a blocked process uses no CPU)


def check(cond, what):
    global CASES
    CASES += 1
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def limits(user=None, nproc=None):
    def apply():
        # AddressSanitizer reserves terabytes of shadow address space, so a sanitized binary
        # (scripts/test-sanitizers.sh sets ASAN_OPTIONS) runs without the address-space cap;
        # the normal build's run of this suite keeps it.
        if 'ASAN_OPTIONS' not in os.environ:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if user is not None:
            os.setgid(user)
            os.setuid(user)
        if nproc is not None:
            # after setuid: the limit counts the user's tasks, so no thread can be started
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    return apply


def run(binary, *args, cwd=None, user=None, nproc=None):
    try:
        p = subprocess.run([binary, *args], cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL,
                           timeout=BLOCK_LIMIT, preexec_fn=limits(user, nproc))
        return p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace')
    except subprocess.TimeoutExpired:
        return 'blocked', '', ''


def write(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data.encode() if isinstance(data, str) else data)
    os.chmod(path, mode)
    return path


def snapshot(root):
    """Every entry under root: (type, size, mtime_ns, sha256 of regular files)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            digest = None
            if stat.S_ISREG(st.st_mode) and os.access(p, os.R_OK):
                with open(p, 'rb') as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            # ctime too: it changes with any write, chmod, chown or rename of the entry
            out[p] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns, st.st_ctime_ns, digest)
    return out


class Case:
    def __init__(self, binary, tmp):
        self.b = binary
        self.tmp = tmp

    def dir(self, name):
        d = os.path.join(self.tmp, name)
        os.makedirs(d, exist_ok=True)
        return d

    def expect(self, label, args, rc, needle=None, where='any', user=None, absent=None, root=None, nproc=None):
        # root: the directory whose files must stay unchanged (default: all of them; a case
        # run many times names its own directory, not to hash the large files of others)
        before = snapshot(root or self.tmp)
        got, out, err = run(self.b, *args, user=user, nproc=nproc)
        after = snapshot(root or self.tmp)
        text = out + err
        check(got == rc, f"{label}: exit {rc}, got {got} (stderr {err.strip()[:400]!r}, stdout {out[:400]!r})")
        if needle is not None:
            hay = {'out': out, 'err': err}.get(where, text)
            check(needle in hay, f"{label}: output has {needle!r}, got {text[:600]!r}")
        if absent is not None:
            check(absent not in text, f"{label}: output has no {absent!r}, got {text[:600]!r}")
        for bad in ('internal error', 'terminate called', 'Sanitizer', 'runtime error:', 'bad_alloc'):
            check(bad not in text, f"{label}: no {bad!r} in output ({text[:300]!r})")
        check(before == after, f"{label}: input files unchanged")
        return out, err


def nested(n, opener='(', closer=')'):
    return opener * n + 'a' + closer * n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared', required=True)
    args = ap.parse_args()
    b = os.path.abspath(args.binary)

    with tempfile.TemporaryDirectory(prefix='pgl-hostile-') as tmp:
        os.chmod(tmp, 0o755)
        c = Case(b, tmp)

        # --- the crash: a deeply nested /regex
        d = c.dir('regex-hba')
        write(f'{d}/pg_hba.conf', f'local all /{nested(26000)} peer\n')
        c.expect('26,000 nested ( in a pg_hba.conf /regex', ['check', d, '--pg-version', '16'], 1,
                 'regular expression is too complex')
        c.expect('the same through dump hba', ['dump', 'hba', f'{d}/pg_hba.conf', '--pg-version', '16'], 0,
                 'too complex')
        d = c.dir('regex-ident')
        write(f'{d}/pg_ident.conf', f'm /{nested(26000, "(?:")} postgres\n')
        write(f'{d}/pg_hba.conf', 'local all all peer map=m\n')
        c.expect('26,000 nested (?: in a pg_ident.conf /regex', ['check', d, '--pg-version', '16'], 1,
                 'regular expression is too complex')

        # --- FIFOs never block
        d = c.dir('fifo-hba-given')
        os.mkfifo(f'{d}/pg_hba.conf')
        c.expect('pg_hba.conf given that is a FIFO', ['check', f'{d}/pg_hba.conf'], 2, 'FIFO', 'err')
        c.expect('dump hba of a FIFO', ['dump', 'hba', f'{d}/pg_hba.conf'], 2, 'FIFO', 'err')
        c.expect('dump ident of a FIFO', ['dump', 'ident', f'{d}/pg_hba.conf'], 2, 'FIFO', 'err')
        c.expect('pg_hba.conf that is a FIFO in a checked directory', ['check', d], 2, 'FIFO', 'err')
        for v in ('12', '16'):
            d = c.dir(f'fifo-at-{v}')
            os.mkfifo(f'{d}/users.txt')
            write(f'{d}/pg_hba.conf', 'local all @users.txt peer\n')
            c.expect(f'@file that is a FIFO ({v})', ['check', d, '--pg-version', v], 1, 'would wait on it')
        d = c.dir('fifo-include')
        os.mkfifo(f'{d}/more.conf')
        write(f'{d}/pg_hba.conf', 'local all all peer\ninclude more.conf\n')
        c.expect('hba include of a FIFO', ['check', d, '--pg-version', '16'], 1, 'would wait on it')
        d = c.dir('fifo-include-dir')
        os.makedirs(f'{d}/hba.d')
        os.mkfifo(f'{d}/hba.d/a.conf')
        write(f'{d}/pg_hba.conf', 'local all all peer\ninclude_dir hba.d\n')
        c.expect('hba include_dir holding a FIFO', ['check', d, '--pg-version', '16'], 1, 'would wait on it')
        d = c.dir('fifo-hba-file')
        os.mkfifo(f'{d}/hba.fifo')
        write(f'{d}/postgresql.conf', f"hba_file = '{d}/hba.fifo'\n")
        out, _ = c.expect('hba_file naming a FIFO', ['check', d], 1, 'would wait on it')
        check('postgresql.conf:1' in out, f"hba_file naming a FIFO: finding at the hba_file line, got {out[:400]!r}")
        d = c.dir('fifo-ident-file')
        os.mkfifo(f'{d}/ident.fifo')
        write(f'{d}/postgresql.conf', f"ident_file = '{d}/ident.fifo'\n")
        write(f'{d}/pg_hba.conf', 'local all all peer map=m\n')
        c.expect('ident_file naming a FIFO', ['check', d], 1, 'would wait on it')
        d = c.dir('fifo-conf-include')
        os.mkfifo(f'{d}/tuning.conf')
        write(f'{d}/postgresql.conf', "include 'tuning.conf'\n")
        c.expect('postgresql.conf include of a FIFO', ['check', d], 1, 'FIFO')
        d = c.dir('fifo-auto')
        write(f'{d}/postgresql.conf', 'port = 5432\n')
        os.mkfifo(f'{d}/postgresql.auto.conf')
        c.expect('postgresql.auto.conf that is a FIFO', ['check', d], 1, 'FIFO')
        d = c.dir('fifo-ssl')
        os.mkfifo(f'{d}/server.crt')
        os.makedirs(f'{d}/crl')
        os.mkfifo(f'{d}/crl/x.r0')
        write(f'{d}/postgresql.conf', f"ssl = on\nssl_cert_file = '{d}/server.crt'\nssl_crl_dir = '{d}/crl'\n")
        c.expect('ssl_cert_file and ssl_crl_dir entry that are FIFOs', ['check', d], 1, 'FIFO')
        c.expect('--ca naming a FIFO', ['check', d, '--ca', f'{d}/server.crt'], 1)
        d = c.dir('fifo-ssl-others')
        for name in ('server.key', 'root.crt', 'root.crl', 'dh.pem'):
            os.mkfifo(f'{d}/{name}')
        write(f'{d}/postgresql.conf', f"ssl = on\nssl_key_file = '{d}/server.key'\nssl_ca_file = '{d}/root.crt'\n"
                                      f"ssl_crl_file = '{d}/root.crl'\nssl_dh_params_file = '{d}/dh.pem'\n")
        out, _ = c.expect('ssl_key_file, ssl_ca_file, ssl_crl_file, ssl_dh_params_file that are FIFOs', ['check', d], 1,
                          'FIFO')
        for name in ('server.key', 'root.crt', 'root.crl', 'dh.pem'):
            check(name in out, f"ssl_* FIFOs: {name} is reported ({out[:600]!r})")
        d = c.dir('fifo-ident-include')
        os.mkfifo(f'{d}/more.conf')
        write(f'{d}/pg_ident.conf', 'm alice alice\ninclude more.conf\n')
        write(f'{d}/pg_hba.conf', 'local all all peer map=m\n')
        c.expect('pg_ident.conf include of a FIFO (16)', ['check', d, '--pg-version', '16'], 1, 'more.conf')
        d = c.dir('fifo-config')
        write(f'{d}/postgresql.conf', 'port = 5432\n')
        os.mkfifo(f'{d}/project.toml')
        c.expect('--config naming a FIFO', ['check', d, '--config', f'{d}/project.toml'], 2, 'project.toml', 'err')
        c.expect('--config /dev/zero', ['check', d, '--config', '/dev/zero'], 2, '/dev/zero', 'err')

        # --- devices and unbounded reads
        d = c.dir('dev-at')
        write(f'{d}/pg_hba.conf', 'local all @/dev/zero peer\nlocal all @/dev/urandom peer\n')
        c.expect('@/dev/zero and @/dev/urandom', ['check', d, '--pg-version', '16'], 1, 'device')
        d = c.dir('dev-include')
        write(f'{d}/pg_hba.conf', 'local all all peer\ninclude /dev/zero\n')
        c.expect('hba include /dev/zero', ['check', d, '--pg-version', '16'], 1, 'device')
        d = c.dir('dev-hba-file')
        write(f'{d}/postgresql.conf', "hba_file = '/dev/zero'\nident_file = '/dev/urandom'\n")
        c.expect('hba_file = /dev/zero', ['check', d], 1, 'device')
        d = c.dir('dev-conf-include')
        write(f'{d}/postgresql.conf', "include '/dev/zero'\n")
        c.expect('postgresql.conf include /dev/zero', ['check', d], 1, 'device')
        d = c.dir('big-hba')
        with open(write(f'{d}/pg_hba.conf', ''), 'wb') as f:
            f.truncate(100 << 20)  # sparse: 100 MiB of NUL bytes
        c.expect('a 100 MiB pg_hba.conf', ['check', f'{d}/pg_hba.conf'], 2, 'too large', 'err')
        c.expect('a 100 MiB pg_hba.conf (dump)', ['dump', 'hba', f'{d}/pg_hba.conf'], 2, 'too large', 'err')

        # --- fan-out: eleven small files, each naming the next twenty times
        # (nine levels: 16+ stop at a nesting depth of 10, as they should)
        d = c.dir('fanout')
        for i in range(10):
            body = ' '.join([f'@f{i + 1}.txt'] * 20) + '\n' if i < 9 else 'alice bob carol\n'
            write(f'{d}/f{i}.txt', body)
        write(f'{d}/pg_hba.conf', 'local all @f0.txt peer\n')
        for v in ('13', '16'):
            _, err = c.expect(f'@file fan-out ({v})', ['check', d, '--pg-version', v], 2, 'in this run', 'err')
            check('->' in err, f"@file fan-out ({v}): the chain is named, got {err[:300]!r}")
        d = c.dir('fanout-include')
        for i in range(10):
            body = ''.join([f'include i{i + 1}.conf\n'] * 20) if i < 9 else 'local all all peer\n'
            write(f'{d}/i{i}.conf', body)
        write(f'{d}/pg_hba.conf', 'include i0.conf\n')
        c.expect('include fan-out', ['check', d, '--pg-version', '16'], 2, 'in this run', 'err')

        # --- loops and depth
        d = c.dir('self-at')
        write(f'{d}/pg_hba.conf', 'local all @self.txt peer\n')
        write(f'{d}/self.txt', 'a @self.txt\n')
        for v in ('12', '15', '16', '18'):
            c.expect(f'self-including @file ({v})', ['check', d, '--pg-version', v], 1)
        d = c.dir('hba-include-cycle')
        write(f'{d}/pg_hba.conf', 'include a.conf\n')
        write(f'{d}/a.conf', 'include pg_hba.conf\n')
        c.expect('hba include cycle', ['check', d, '--pg-version', '16'], 1, 'maximum nesting depth')
        d = c.dir('conf-include-cycle')
        write(f'{d}/postgresql.conf', "include 'a.conf'\n")
        write(f'{d}/a.conf', "include 'postgresql.conf'\n")
        c.expect('postgresql.conf include cycle', ['check', d], 1, 'nesting depth')
        d = c.dir('conf-deep')
        for i in range(30):
            write(f'{d}/c{i}.conf', f"include 'c{i + 1}.conf'\n")
        write(f'{d}/c30.conf', 'port = 5432\n')
        write(f'{d}/postgresql.conf', "include 'c0.conf'\n")
        c.expect('a 30-deep include chain', ['check', d], 1, 'nesting depth')
        d = c.dir('symlink-loop-include')
        os.symlink('loop.conf', f'{d}/loop.conf')
        write(f'{d}/postgresql.conf', "include 'loop.conf'\n")
        write(f'{d}/pg_hba.conf', 'local all @loop.conf peer\n')
        c.expect('include of a symlink loop', ['check', d], 1, 'loop.conf')
        d = c.dir('dirs-named-like-files')
        os.makedirs(f'{d}/pg_hba.conf')
        os.makedirs(f'{d}/postgresql.auto.conf')
        write(f'{d}/postgresql.conf', 'port = 5432\n')
        # read as the server reads them: its message, a finding for each
        out, _ = c.expect('pg_hba.conf and postgresql.auto.conf that are directories', ['check', d], 1,
                          'Is a directory')
        check('postgresql.auto.conf' in out, f"postgresql.auto.conf that is a directory is reported: {out[:300]!r}")
        d = c.dir('ident-dir')
        os.makedirs(f'{d}/pg_ident.conf')
        write(f'{d}/postgresql.conf', 'port = 5432\n')
        c.expect('pg_ident.conf that is a directory', ['check', d], 1, 'pg_ident.conf')
        d = c.dir('conf-include-dir-as-file')
        os.makedirs(f'{d}/conf.d')
        write(f'{d}/postgresql.conf', "include 'conf.d'\n")
        c.expect('include of a directory', ['check', d], 1, 'conf.d')

        # --- the parser's problems are reported (no silent pass)
        d = c.dir('conf-nul')
        write(f'{d}/postgresql.conf', "include 'nul.conf'\n")
        write(f'{d}/nul.conf', b'port = 5432\x00\n')
        c.expect('include of a file with NUL bytes', ['check', d], 1, 'NUL')
        d = c.dir('conf-huge-include')
        write(f'{d}/postgresql.conf', "include 'huge.conf'\n")
        with open(write(f'{d}/huge.conf', ''), 'wb') as f:
            f.truncate(65 << 20)
        c.expect('include of a file over 64 MiB', ['check', d], 1, 'too large')
        d = c.dir('conf-many-files')
        os.makedirs(f'{d}/conf.d')
        for i in range(5001):
            write(f'{d}/conf.d/{i:05}.conf', '')
        write(f'{d}/postgresql.conf', "include_dir 'conf.d'\n")
        c.expect('more than 5,000 configuration files', ['check', d], 1, '5000')

        # --- bytes the parsers must take as the server does
        d = c.dir('bytes')
        write(f'{d}/pg_hba.conf', b'local all all peer\x00 junk\nhost all all 127.0.0.1/32 scram-sha-256\n')
        c.expect('NUL bytes in pg_hba.conf (check)', ['check', f'{d}/pg_hba.conf', '--pg-version', '16'], 0)
        c.expect('NUL bytes in pg_hba.conf (dump)', ['dump', 'hba', f'{d}/pg_hba.conf', '--pg-version', '16'], 0)
        d = c.dir('utf8')
        write(f'{d}/postgresql.conf', b"application_name = '\xff\xfe\xc3('\ncluster_name = '\xed\xa0\x80'\n")
        write(f'{d}/pg_hba.conf', b'local \xff\xfe all peer\n')
        for fmt in ('json', 'sarif'):
            out, _ = c.expect(f'invalid UTF-8 ({fmt})', ['check', d, '--format', fmt], 0)
            try:
                json.loads(out)
                valid = True
            except ValueError:
                valid = False
            check(valid, f"invalid UTF-8 ({fmt}): the output is valid JSON")
        write(f'{d}/postgresql.conf', b"work_mem = '\xff\xfeMB'\n")
        c.expect('invalid UTF-8 in a value', ['check', d, '--format', 'json'], 1, 'work_mem')
        d = c.dir('crlf')
        write(f'{d}/postgresql.conf', 'port = 5432\r\nwork_mem = 4MB\r\n')
        write(f'{d}/pg_hba.conf', 'local all all peer\r\nhost all all 127.0.0.1/32 scram-sha-256\r\n')
        c.expect('CRLF line ends', ['check', d], 0)
        d = c.dir('lone-cr')
        write(f'{d}/postgresql.conf', 'port = 5432\rwork_mem = 4MB\r')
        write(f'{d}/pg_hba.conf', 'local all all peer\rhost all all 127.0.0.1/32 md5\r')
        c.expect('lone CR line ends', ['check', d], 1)

        # --- files that vanish or change between listing and reading
        d = c.dir('dangling')
        os.makedirs(f'{d}/conf.d')
        os.symlink('gone.conf', f'{d}/conf.d/a.conf')
        write(f'{d}/postgresql.conf', "include_dir 'conf.d'\n")
        c.expect('include_dir entry that disappeared (dangling link)', ['check', d], 1, 'could not stat')

        # A file that changes between listing and reading: another process flips an
        # include_dir entry (postgresql.conf; pg_hba.conf for 16) between a regular file and
        # a FIFO, a directory, a file grown past the 64 MiB cap, and a truncated file, while
        # `check` runs again and again. Whichever state a run meets, it ends in bounded time
        # with exit 0 (the regular file was read) or 1 with a finding naming the file in the
        # wording of that state; never blocked, never an internal error or a crash.
        for kind in ('fifo', 'directory', 'grown', 'truncated'):
            for area in ('conf', 'hba'):
                d = c.dir(f'changing-{kind}-{area}')
                os.makedirs(f'{d}/conf.d', exist_ok=True)
                entry = f'{d}/conf.d/a.conf'
                if area == 'conf':
                    write(f'{d}/postgresql.conf', "include_dir 'conf.d'\nport = 5432\n")
                    write(f'{d}/pg_hba.conf', 'local all all peer\n')
                    body = 'work_mem = 8MB\n'
                    args = ['check', d]
                else:
                    write(f'{d}/postgresql.conf', 'port = 5432\n')
                    write(f'{d}/pg_hba.conf', 'local db1 all peer\ninclude_dir conf.d\n')
                    body = 'local all all peer\n'
                    args = ['check', d, '--pg-version', '16']
                write(entry, body)
                expected = {
                    'fifo': ('FIFO',),
                    'directory': ('is a directory', 'flex scanner', 'could not open', 'could not stat',
                                  'No such file', 'Is a directory'),
                    'grown': ('too large', '64 MiB'),
                    'truncated': (),
                }[kind] + ('could not open', 'could not stat', 'No such file')
                stop = threading.Event()

                def flip(kind=kind, entry=entry, body=body, stop=stop):
                    tmp_entry = entry + '.tmp'
                    while not stop.is_set():
                        if kind == 'fifo':
                            os.mkfifo(tmp_entry)
                            os.replace(tmp_entry, entry)
                            time.sleep(0.002)
                            write(tmp_entry, body)
                            os.replace(tmp_entry, entry)
                        elif kind == 'directory':
                            os.unlink(entry)
                            os.mkdir(entry)
                            time.sleep(0.002)
                            os.rmdir(entry)
                            write(entry, body)
                        elif kind == 'grown':
                            os.truncate(entry, (64 << 20) + 4096)  # sparse: no disk used
                            time.sleep(0.002)
                            os.truncate(entry, len(body))
                        else:
                            os.truncate(entry, 0)
                            time.sleep(0.002)
                            write(entry, body)
                        time.sleep(0.002)

                flipper = threading.Thread(target=flip)
                flipper.start()
                outcomes = []
                try:
                    for _ in range(12):
                        started = time.monotonic()
                        got, out, err = run(b, *args)
                        outcomes.append(got)
                        text = out + err
                        label = f'include_dir entry replaced by {kind} while read ({area}): exit {got}'
                        check(got in (0, 1), f'{label} (0 or 1); {text[:400]!r}')
                        check(time.monotonic() - started < 60, f'{label}: bounded time')
                        for bad in ('internal error', 'terminate called', 'Sanitizer', 'runtime error:',
                                    'bad_alloc'):
                            check(bad not in text, f'{label}: no {bad!r} ({text[:300]!r})')
                        if got == 1 and 'a.conf' in text and kind != 'truncated':
                            check(any(w in text for w in expected),
                                  f'{label}: the finding says what the file was ({text[:600]!r})')
                finally:
                    stop.set()
                    flipper.join()
                # The end state (a regular file again) reads cleanly.
                write(entry, body)
                c.expect(f'include_dir entry after it changed back ({kind}, {area})', args, 0, root=d)

        # --- linear paths (bounded by the CPU limit, not timed)
        d = c.dir('continuations')
        write(f'{d}/pg_hba.conf', 'local all ' + 'u,\\\n' * 100000 + 'u peer\n')
        c.expect('100,000 continuation lines', ['check', f'{d}/pg_hba.conf', '--pg-version', '16'], 0)

        # --- .pgconflint.toml that reaches toml++'s internal checks
        d = c.dir('toml')
        write(f'{d}/postgresql.conf', 'port = 5432\n')
        for i, text in enumerate([b'a=1979-05-27T', b'a=00:00:0', b'[a.', b'a=[', b"a='''", b'a="\\u', b'=',
                                  b'a=1_', b'a=0x', b'a=inf_', b'a=1e', b'a=2000-01-01 00:',
                                  # the two checks fuzz_toml reaches (parse_key, parse_time): exit 2
                                  b'[ ."x"]\n', b'a = 1979-06-27T\x01\x00\x002\x00\x00\x00\x00\x00\x00\x0032:00\n',
                                  # a check in a noexcept function (step_back): was an abort
                                  b'a = 1' + b'_' * 117 + b'979-05-27 12\n']):
            write(f'{d}/t{i}.toml', text)
            _, err = c.expect(f'malformed .pgconflint.toml {text!r}', ['check', d, '--config', f'{d}/t{i}.toml'],
                              2, f't{i}.toml:', 'err')

        # toml++ bounds nested arrays and inline tables (256), not the parts of a dotted key:
        # `a.a.a...=1` with 50,000 parts overflowed the stack of its parser (SIGSEGV)
        for i, text in enumerate(['a' + '.a' * 100000 + '=1\n', '[' + 'a.' * 100000 + 'a]\n',
                                  'a=' + '[' * 100000 + '\n', 'a=' + '{b=' * 100000 + '\n']):
            write(f'{d}/deep{i}.toml', text)
            c.expect(f'deeply nested .pgconflint.toml ({text[:12]!r}...)',
                     ['check', d, '--config', f'{d}/deep{i}.toml'], 2, f'deep{i}.toml:1:', 'err')

        # --- secrets: masked from the parsed structure in every output. Each case is a
        # directory whose secret sits on a line some rule reports, so that `check --format
        # text` prints that line as an excerpt (asserted: the excerpt is there, masked).
        conf_ok = "port = 5432\n"
        hba_ok = "local all all peer\n"
        secret_cases = [
            ('uri-hash', "primary_conninfo = 'postgresql://u:pa#SECRETa@h/db?sslmode=bogus'\n", hba_ok),
            ('uri-question', "primary_conninfo = 'postgresql://u:pa?SECRETq@h/db?sslmode=bogus'\n", hba_ok),
            ('uri-quote', "primary_conninfo = 'postgresql://u:pa''SECRETr@h/db?sslmode=bogus'\n", hba_ok),
            ('uri-encoded-key', "primary_conninfo = 'postgresql://h/db?pass%77ord=SECRETk&sslmode=bogus'\n", hba_ok),
            # conf '' and \\ -> conninfo password='a\'SECRETs' (an escaped quote inside), a\ SECRETt
            ('kv-escaped-quote', "primary_conninfo = 'host=h password=''a\\\\''SECRETs'' sslmode=bogus'\n", hba_ok),
            # ''a\'' is '', a, an escaped quote, the end of the string: a syntax error near SECRETy
            ('syntax-error', "primary_conninfo = 'host=h password=''a\\''SECRETy'' sslmode=bogus'\n", hba_ok),
            ('kv-escaped-blank', "primary_conninfo = 'host=h password=a\\\\ SECRETt sslmode=bogus'\n", hba_ok),
            ('passphrase', "ssl = on\nssl_passphrase_command = 'echo SECRETb'\nssl_passphrase_command = 'x SECRETb'\n",
             hba_ok),
            ('ldap-double-quote', conf_ok,
             'host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=""SECRETc ldapbasedn=dc=x\n'),
            ('ldap-mid-quote', conf_ok,
             'host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=ab"c d"SECRETu ldapbasedn=dc=x\n'),
            ('radius-comma-blank', conf_ok,
             'host all all 0.0.0.0/0 radius radiusservers=x radiussecrets=a, SECRETd\n'),
            ('radius-comma', conf_ok, 'host all all 0.0.0.0/0 radius radiusservers=x radiussecrets=a,SECRETv\n'),
            ('ldap-blank', conf_ok, 'host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=a SECRETw ldapbasedn=x\n'),
            ('ldap-continuation', conf_ok,
             'host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=ab\\\n SECRETe ldapbasedn=x\n'),
            ('ldap-continued-token', conf_ok,
             'host all all 0.0.0.0/0 ldap ldapserver=x ldapbasedn=x ldapbindpasswd=ab\\\nSECRETx\n'),
        ]
        for name, conf, hba in secret_cases:
            d = c.dir(f'secrets-{name}')
            write(f'{d}/postgresql.conf', conf)
            write(f'{d}/pg_hba.conf', hba)
            write(f'{d}/PG_VERSION', '17\n')
            for fmt in ('text', 'json', 'sarif', 'github', 'gcc', 'checkstyle', 'gitlab'):
                out, _ = c.expect(f'secret {name} in check --format {fmt}',
                                  ['check', d, '--format', fmt, '--fail-on', 'never', '--color', 'never'], 0,
                                  absent='SECRET', root=d)
                if fmt == 'text':
                    excerpts = [line for line in out.splitlines() if ' | ' in line and '*' in line]
                    check(excerpts, f'secret {name}: the masked line is shown as an excerpt ({out[:600]!r})')
            for kind, file in (('conf', 'postgresql.conf'), ('hba', 'pg_hba.conf')):
                c.expect(f'secret {name} in dump {kind}', ['dump', kind, f'{d}/{file}'], 0, absent='SECRET', root=d)
            write(f'{d}/replica/postgresql.conf', "ssl_passphrase_command = 'echo SECRETg'\n")
            write(f'{d}/replica/pg_hba.conf', 'host all all 0.0.0.0/0 ldap ldapserver=y ldapbindpasswd=SECRETh\n')
            for fmt in ('text', 'json', 'markdown', 'table', 'sarif', 'github'):
                before = snapshot(d)
                got, out, err = run(b, 'diff', d, f'{d}/replica', '--format', fmt)
                check(got in (0, 1) and 'SECRET' not in out + err,
                      f"secret {name} in diff --format {fmt}: exit {got}, {(out + err)[:300]!r}")
                check(snapshot(d) == before, f"secret {name} in diff --format {fmt}: input files unchanged")
        d = c.dir('secrets-ldap-double-quote')
        write(f'{d}/pg_ident.conf', 'm alice alice\n')
        c.expect('dump ident --show-secrets (the one gate of every dump)',
                 ['dump', 'ident', f'{d}/pg_ident.conf', '--show-secrets'], 0, 'alice')
        for kind, file in (('conf', 'postgresql.conf'), ('hba', 'pg_hba.conf')):
            c.expect(f'dump {kind} --show-secrets', ['dump', kind, f'{d}/{file}', '--show-secrets'], 0,
                     'SECRET' if kind == 'hba' else 'port')

        # --- permission denied: the linter's own failure
        if os.getuid() == 0:
            d = c.dir('private')
            os.chmod(d, 0o755)
            write(f'{d}/postgresql.conf', 'port = 5432\n', mode=0o600)
            write(f'{d}/pg_hba.conf', 'local all all peer\n', mode=0o600)
            nobody = 65534
            c.expect('postgresql.conf not readable by the linter', ['check', d], 2, 'server\'s operating system user',
                     'err', user=nobody)
            c.expect('pg_hba.conf not readable by the linter', ['check', f'{d}/pg_hba.conf'], 2,
                     'server\'s operating system user', 'err', user=nobody)
            d = c.dir('private-ident')
            os.chmod(d, 0o755)
            write(f'{d}/postgresql.conf', 'port = 5432\n')
            write(f'{d}/pg_hba.conf', 'local all all peer map=m\n')
            write(f'{d}/pg_ident.conf', 'm alice alice\n', mode=0o600)
            c.expect('pg_ident.conf not readable by the linter', ['check', d], 2, 'server\'s operating system user',
                     'err', user=nobody)
            d = c.dir('private-dir')
            write(f'{d}/postgresql.conf', 'port = 5432\n')
            os.chmod(d, 0o000)
            c.expect('a directory the linter may not search', ['check', d], 2, 'Permission denied', 'err',
                     user=nobody, absent='contains no')
            os.chmod(d, 0o755)

        # --- no thread to be had (RLIMIT_NPROC reached): a large pg_hba.conf, whose model
        # and template search would use other threads, is read on the caller's alone, with
        # the same answers. Not under the sanitizers: LeakSanitizer needs a thread of its
        # own at exit, and aborts without one.
        if os.getuid() == 0 and 'ASAN_OPTIONS' not in os.environ:
            nobody = 65534
            d = c.dir('no-threads')
            os.chmod(d, 0o755)
            lines = ['local all all peer', 'host all all 0.0.0.0/0 scram-sha-256']
            lines += [f'host db{i} u{i} 10.{i // 250 % 250}.{i % 250}.1/32 md5' for i in range(12000)]
            write(f'{d}/pg_hba.conf', '\n'.join(lines) + '\n')
            for what in (['check', f'{d}/pg_hba.conf', '--pg-version', '15', '--format', 'json'],
                         ['check', f'{d}/pg_hba.conf', '--pg-version', '15'],
                         ['hba', 'exposure', f'{d}/pg_hba.conf', '--pg-version', '15', '--format', 'json']):
                want = run(c.b, *what, user=nobody)
                got = c.expect(f'{what[0]} {what[1]} without threads', what, want[0], user=nobody, nproc=1)
                check(got == (want[1], want[2]) and want[0] in (0, 1),
                      f'{what[0]} {what[1]} without threads: the same output as with them (exit {want[0]})')

    print(f"hostile input: {CASES - len(FAILURES)} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
