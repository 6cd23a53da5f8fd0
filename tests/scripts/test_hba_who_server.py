"""Differential test: `pgconflint hba who` against PostgreSQL 15's own check_hba.

One throwaway cluster (Unix socket and 127.0.0.1, ssl = on with a generated certificate,
roles, groups and databases created for the test). For each generated pg_hba.conf the
server reloads it, and connections are attempted over the Unix socket and over TCP from
several 127.0.0.0/8 source addresses (the client binds its source address), with and
without SSL, normal and physical replication. Every line that can accept uses the
`password` method: the client answers with a wrong password, so the server's log names
the line it used ("Connection matched pg_hba.conf line N"). The server's outcome
(accepted by line N / rejected by a reject line / no matching line) is compared with
`pgconflint hba who ... --format json` for the same connection.
Exit: 0 all agree, 1 mismatch, 77 no server.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import ssl
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgserver  # noqa: E402

ROLES = {'r1': ['g1'], 'r2': ['g1', 'g2'], 'r3': [], 'r4': ['g2']}
GROUPS = ['g1', 'g2']
DATABASES = ['d1', 'd2', 'r1', 'g1']
SOURCES = ['127.0.0.1', '127.0.0.2', '127.0.1.5', '127.1.2.3']

DB_TOKENS = ['all', 'd1', 'd2', 'd1,d2', 'sameuser', 'samerole', 'replication', '"all"', '"sameuser"', 'g1',
             'r1', 'replication,d1', 'all,replication']
USER_TOKENS = ['all', 'r1', 'r2', 'r3', 'r1,r3', '+g1', '+g2', '"+g1"', '"all"', 'r4,+g1']
ADDRS = ['all', '127.0.0.1/32', '127.0.0.2/32', '127.0.0.0/24', '127.0.1.0/24', '127.0.0.0/8', '127.0.0.0/16',
         '127.1.0.0/16', '10.0.0.0/8', '127.0.0.1 255.255.255.255', '127.0.0.0 255.0.0.0', 'samenet', 'samehost',
         '::1/128']
TYPES = ['local', 'host', 'hostssl', 'hostnossl', 'host', 'hostssl']


def generate(rng: random.Random, n: int) -> str:
    lines = ['local all pgl trust']  # lets the test reload the server
    for _ in range(n):
        t = rng.choice(TYPES)
        db = rng.choice(DB_TOKENS)
        user = rng.choice(USER_TOKENS)
        method = 'reject' if rng.random() < 0.15 else 'password'
        if t == 'local':
            lines.append(f'{t} {db} {user} {method}')
        else:
            lines.append(f'{t} {db} {user} {rng.choice(ADDRS)} {method}')
    return '\n'.join(lines) + '\n'


def startup_packet(user: str, database: str, replication: bool) -> bytes:
    params = {'user': user, 'database': database}
    if replication:
        params = {'user': user, 'replication': 'true'}
    body = struct.pack('!I', 196608)
    for k, v in params.items():
        body += k.encode() + b'\0' + v.encode() + b'\0'
    body += b'\0'
    return struct.pack('!I', len(body) + 4) + body


def read_message(sock) -> tuple[bytes, bytes]:
    head = b''
    while len(head) < 5:
        chunk = sock.recv(5 - len(head))
        if not chunk:
            raise ConnectionError('closed')
        head += chunk
    kind, length = head[:1], struct.unpack('!I', head[1:])[0]
    body = b''
    while len(body) < length - 4:
        chunk = sock.recv(length - 4 - len(body))
        if not chunk:
            raise ConnectionError('closed')
        body += chunk
    return kind, body


def error_fields(body: bytes) -> dict[str, str]:
    out = {}
    for part in body.split(b'\0'):
        if part:
            out[chr(part[0])] = part[1:].decode(errors='replace')
    return out


def attempt(cluster, user, database, source, use_ssl, replication) -> tuple[str, str]:
    """Returns (outcome, text): outcome 'password' (a line asked for a password),
    'reject', 'no-match', 'ssl-refused' or 'other'."""
    if source is None:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(os.path.join(cluster.sock, f'.s.PGSQL.{cluster.port}'))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.connect(('127.0.0.1', cluster.port))
    s.settimeout(20)
    try:
        if use_ssl:
            s.sendall(struct.pack('!II', 8, 80877103))
            if s.recv(1) != b'S':
                return 'ssl-refused', ''
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(s)
        s.sendall(startup_packet(user, database, replication))
        kind, body = read_message(s)
        if kind == b'R':
            code = struct.unpack('!I', body[:4])[0]
            if code == 3:  # cleartext password: answer wrongly so that the log names the line
                pw = b'wrong\0'
                s.sendall(b'p' + struct.pack('!I', len(pw) + 4) + pw)
                try:
                    read_message(s)
                except ConnectionError:
                    pass
                return 'password', ''
            return 'other', f'auth request {code}'
        if kind == b'E':
            f = error_fields(body)
            msg = f.get('M', '')
            if 'no pg_hba.conf entry' in msg:
                return 'no-match', msg
            if 'pg_hba.conf rejects' in msg:
                return 'reject', msg
            return 'other', msg
        return 'other', repr(kind)
    finally:
        s.close()


def matched_line(log: str) -> int | None:
    found = re.findall(r'Connection matched pg_hba\.conf line (\d+)', log)
    return int(found[-1]) if found else None


def simulate(binary, path, user, database, source, use_ssl, replication) -> dict:
    argv = [binary, 'hba', 'who', path, '--user', user, '--database', database, '--format', 'json',
            '--pg-version', '15', '--local-address', '127.0.0.1/8']
    argv += ['--local'] if source is None else ['--address', source, '--ssl' if use_ssl else '--no-ssl']
    if replication:
        argv.append('--replication')
    groups = ROLES.get(user, [])
    argv += [x for g in groups for x in ('--member-of', g)] if groups else ['--no-groups']
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise RuntimeError(f'{argv}: exit {r.returncode}: {r.stderr}')
    return json.loads(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source')
    ap.add_argument('--shared')
    ap.add_argument('--sets', type=int, default=4)
    ap.add_argument('--seed', type=int, default=15)
    args = ap.parse_args()
    if not pgserver.available():
        print('no PostgreSQL 15 server; skipped')
        return 77
    rng = random.Random(args.seed)
    checked = 0
    failures = []
    outcomes: dict[str, int] = {}
    # The server's only non-loopback interfaces never see these clients: samenet and samehost
    # are decided by 127.0.0.1/8 alone.
    with pgserver.Cluster(tcp=True, ssl=True, settings={'log_connections': 'on'}) as c:
        setup = [f'create role {g}' for g in GROUPS]
        for role, groups in ROLES.items():
            setup.append(f"create role {role} login password 'right'")
            setup += [f'grant {g} to {role}' for g in groups]
        setup += [f'create database {d}' for d in DATABASES]
        for stmt in setup:
            subprocess.run(c._cmd([os.path.join(pgserver.PG_BIN, 'psql'), '-X', '-q', '-h', c.sock, '-p',
                                   str(c.port), '-U', 'pgl', '-d', 'postgres', '-c', stmt]), check=True,
                           capture_output=True)
        for n in range(args.sets):
            text = generate(rng, 14 + 4 * n)
            path = c.write('pg_hba.conf', text)
            c.reload()
            if 'was not reloaded' in c.log_text():
                print('the server did not reload a generated file:\n' + text)
                return 1
            conns = []
            for user in ROLES:
                for db in ['d1', 'd2', 'r1', 'g1']:
                    conns.append((user, db, None, False, False))
                    for src in SOURCES:
                        for use_ssl in (False, True):
                            conns.append((user, db, src, use_ssl, False))
                conns.append((user, 'd1', None, False, True))
                conns.append((user, 'd1', '127.0.0.2', True, True))
            for (user, db, src, use_ssl, repl) in conns:
                before = len(c.log_text())
                outcome, msg = attempt(c, user, db, src, use_ssl, repl)
                log = c.log_text()[before:]
                sim = simulate(args.binary, path, user, db, src, use_ssl, repl)
                checked += 1
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                label = f'user={user} db={db} src={src or "unix"} ssl={use_ssl} repl={repl}'
                if outcome == 'password':
                    line = matched_line(log)
                    ok = sim['decision'] == 'accept' and sim['match'] and sim['match']['line'] == line
                    server = f'accepted by line {line}'
                elif outcome == 'reject':
                    ok = sim['decision'] == 'reject'
                    server = 'rejected by a reject line'
                elif outcome == 'no-match':
                    ok = sim['decision'] == 'no-match'
                    server = 'no matching line'
                else:
                    ok = False
                    server = f'{outcome}: {msg}'
                if not ok:
                    failures.append(f'{label}: server {server}; pgconflint {json.dumps(sim)}\n{text}')
    for f in failures[:10]:
        print('MISMATCH', f)
    print(f'{checked} connections compared ({", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))}), '
          f'{len(failures)} mismatches')
    # Each kind of outcome must occur, or the comparison proves little.
    if any(outcomes.get(k, 0) == 0 for k in ('password', 'reject', 'no-match')):
        print('generated rule sets did not produce every kind of outcome')
        return 1
    return 1 if failures or checked == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
