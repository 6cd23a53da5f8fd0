#!/usr/bin/env python3
"""Bad input never crashes or hangs: missing, unreadable, binary, huge or looping input
gives a clear message naming the file and exit code 2 (check and dump alike)."""
import argparse
import os
import subprocess
import sys
import tempfile

FAILURES = []
CASES = 0


def check(cond, what):
    global CASES
    CASES += 1
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def run(binary, *args, cwd=None, timeout=60):
    try:
        p = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                           errors='replace')
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return 'timeout', '', ''


def write(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data.encode() if isinstance(data, str) else data)
    os.chmod(path, mode)
    return path


def expect_error(binary, label, path_shown, *args):
    rc, out, err = run(binary, *args)
    check(rc == 2, f"{label}: exit 2, got {rc} (stderr {err.strip()!r})")
    check(path_shown in err, f"{label}: message names {path_shown!r}, got {err.strip()!r}")
    check('internal error' not in err and 'terminate' not in err, f"{label}: no internal error, got {err!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared', required=True)
    args = ap.parse_args()
    b = os.path.abspath(args.binary)

    with tempfile.TemporaryDirectory(prefix='pgl-bad-') as tmp:
        missing = os.path.join(tmp, 'no-such-dir')
        expect_error(b, 'missing path', 'no-such-dir', 'check', missing)
        expect_error(b, 'dump conf missing file', 'nope.conf', 'dump', 'conf', os.path.join(tmp, 'nope.conf'))
        expect_error(b, 'dump hba missing file', 'nope_hba.conf', 'dump', 'hba', os.path.join(tmp, 'nope_hba.conf'))

        empty_dir = os.path.join(tmp, 'empty')
        os.makedirs(empty_dir)
        expect_error(b, 'directory without configuration', 'empty', 'check', empty_dir)

        binary_dir = os.path.join(tmp, 'binary')
        write(os.path.join(binary_dir, 'postgresql.conf'), bytes(range(256)) * 64)
        expect_error(b, 'binary postgresql.conf', 'postgresql.conf', 'check', binary_dir)
        # pg_hba.conf with NUL bytes: read as the server reads it (each line ends at its first
        # NUL), by dump as by check: the rows, not a refusal.
        write(os.path.join(tmp, 'bin_hba.conf'), b'\x7fELF\x02\x01\x01\x00' + bytes(1000))
        rc, out, err = run(b, 'dump', 'hba', os.path.join(tmp, 'bin_hba.conf'))
        check(rc == 0 and out.lstrip().startswith('['), f"binary pg_hba.conf (dump): rows, got {rc} {err.strip()!r}")

        huge_dir = os.path.join(tmp, 'huge')
        line = b'work_mem = 4MB  # padding padding padding padding padding padding padding\n'
        with open(write(os.path.join(huge_dir, 'postgresql.conf'), b''), 'wb') as f:
            f.write(line * (100 * 1024 * 1024 // len(line) + 1))
        expect_error(b, '100 MB postgresql.conf', 'postgresql.conf', 'check', huge_dir)

        if os.getuid() != 0:
            unreadable = os.path.join(tmp, 'unreadable')
            write(os.path.join(unreadable, 'postgresql.conf'), 'work_mem = 4MB\n', mode=0o000)
            expect_error(b, 'unreadable postgresql.conf', 'postgresql.conf', 'check', unreadable)
        else:
            # root reads everything; use a file that cannot be opened for reading instead.
            unreadable = os.path.join(tmp, 'unreadable')
            os.makedirs(unreadable)
            os.mkfifo(os.path.join(unreadable, 'postgresql.conf'))
            expect_error(b, 'postgresql.conf that is a FIFO', 'postgresql.conf', 'check', unreadable)

        loop_dir = os.path.join(tmp, 'symlink-loop')
        os.makedirs(loop_dir)
        os.symlink('postgresql.conf', os.path.join(loop_dir, 'postgresql.conf'))
        expect_error(b, 'symlink loop', 'postgresql.conf', 'check', loop_dir)

        # An include cycle is a finding in the configuration (the server stops at depth 10),
        # not a hang: exit 1 with the server's message, within the time limit.
        cycle = os.path.join(tmp, 'cycle')
        write(os.path.join(cycle, 'postgresql.conf'), "include 'a.conf'\n")
        write(os.path.join(cycle, 'a.conf'), "include 'b.conf'\n")
        write(os.path.join(cycle, 'b.conf'), "include 'a.conf'\n")
        rc, out, err = run(b, 'check', cycle, timeout=30)
        check(rc == 1, f"include cycle: exit 1, got {rc} ({err.strip()!r})")
        check('nesting depth exceeded' in out or 'maximum nesting depth' in out,
              f"include cycle: depth message, got {out[:300]!r}")

        hba_loop = os.path.join(tmp, 'hba-loop')
        write(os.path.join(hba_loop, 'pg_hba.conf'), 'local @loop.txt all trust\n')
        write(os.path.join(hba_loop, 'loop.txt'), '@loop.txt\n')
        rc, out, err = run(b, 'check', hba_loop, '--pg-version', '16', timeout=30)
        check(rc == 1, f"@file loop: exit 1, got {rc} ({err.strip()!r})")

    print(f"bad input: {CASES} passed, {len(FAILURES)} failed" if not FAILURES else
          f"bad input: {CASES - len(FAILURES)} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
