#!/usr/bin/env python3
"""pgconflint probe against a live PostgreSQL 15 on 127.0.0.1 (ssl = on, certificates
generated here), and against fake servers on 127.0.0.1 (no answer, not PostgreSQL, TLS that
never completes, a password request).

These are the cases of the probe-* rules (they need a running server, so they have no
fixture directories: tests/unit/rule_fixtures_test.cpp checks that every probe rule has a
`fires(...)` and a `silent(...)` case here). Only loopback addresses are ever used.
Skips (77) without /usr/lib/postgresql/15 or python3-cryptography.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtls  # noqa: E402

FAILURES: list[str] = []
BINARY = ''


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f'FAIL: {what}', file=sys.stderr)


class Run:
    def __init__(self, argv, p):
        self.argv = argv
        self.rc = p.returncode
        self.out = p.stdout
        self.err = p.stderr
        self.doc = None
        if '--format' in argv and argv[argv.index('--format') + 1] == 'json' and p.stdout.strip():
            self.doc = json.loads(p.stdout)

    @property
    def diagnostics(self):
        return self.doc['diagnostics'] if self.doc else []

    def __str__(self):
        return f"{' '.join(self.argv)} -> rc {self.rc}\n{self.out}{self.err}"


def run(*args, fmt='json', timeout=120):
    argv = [BINARY, *args] + (['--format', fmt] if fmt else [])
    return Run(argv, subprocess.run(argv, capture_output=True, text=True, timeout=timeout))


def probe(server, *args, fmt='json'):
    return run('probe', server, *args, fmt=fmt)


def fires(r, rule, substring='', where=None):
    """Exactly one finding of `rule` whose message contains `substring`, at the server."""
    hits = [d for d in r.diagnostics if d['rule'] == rule and substring in d['message']]
    check(len(hits) == 1, f'{rule} should fire once with "{substring}": {r}')
    for d in hits:
        if where:
            check(d['file'] == where and d['line'] == 0, f'{rule} located at {d["file"]}:{d["line"]}, not {where}')
        check(d['help'] != '', f'{rule} without help')


def silent(r, rule):
    hits = [d for d in r.diagnostics if d['rule'] == rule]
    check(not hits, f'{rule} should stay silent: {r}')


# --- fake servers on 127.0.0.1 -------------------------------------------------------------

class Fake:
    """Accepts connections on 127.0.0.1 and hands each to `handler` in a thread."""

    def __init__(self, handler):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.handler = handler
        self.stop = False
        self.conns = []
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            self.conns.append(c)
            threading.Thread(target=self.handler, args=(c,), daemon=True).start()

    def close(self):
        self.stop = True
        self.thread.join()
        for c in self.conns:
            try:
                c.close()
            except OSError:
                pass
        self.sock.close()


def recv_exact(c, n, timeout=10):
    c.settimeout(timeout)
    data = b''
    while len(data) < n:
        chunk = c.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


SHARED = ''


def sarif_valid(r):
    """The SARIF of a probe (locations HOST:PORT, no line) is valid SARIF 2.1.0."""
    try:
        import jsonschema
    except ImportError:
        return
    schema_path = os.path.join(SHARED, 'reference', 'sarif-schema-2.1.0.json')
    if not os.path.exists(schema_path):
        return
    with open(schema_path, encoding='utf-8') as f:
        schema = json.load(f)
    doc = json.loads(r.out)
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(doc))
    check(not errors, f'probe SARIF: {[e.message for e in errors[:3]]}')
    check(any(res['ruleId'] == 'probe-plaintext-accepted' for res in doc['runs'][0]['results']), f'sarif: {r}')


def fake_cases():
    # A socket that accepts and never answers: exit 2 naming it, within the timeout.
    silent_fake = Fake(lambda c: time.sleep(30))
    try:
        start = time.monotonic()
        r = probe(f'127.0.0.1:{silent_fake.port}', '--timeout', '1', fmt=None)
        took = time.monotonic() - start
        check(r.rc == 2, f'no answer: exit 2: {r}')
        check(f'127.0.0.1:{silent_fake.port} did not answer the SSLRequest within 1 s' in r.err, f'no answer: {r}')
        check(took < 30, f'no answer: the probe returned before the server gave up ({took:.1f} s)')
    finally:
        silent_fake.close()

    # Not PostgreSQL: an HTTP-like answer.
    http = Fake(lambda c: (recv_exact(c, 8), c.sendall(b'HTTP/1.1 400 Bad Request\r\n\r\n')))
    try:
        r = probe(f'127.0.0.1:{http.port}', '--timeout', '2', fmt=None)
        check(r.rc == 2 and 'not a PostgreSQL server' in r.err and f'127.0.0.1:{http.port}' in r.err,
              f'http: {r}')
    finally:
        http.close()

    # 'S' and then silence: every handshake times out, the probe still ends.
    def ssl_then_nothing(c):
        head = recv_exact(c, 8)
        if head == b'\x00\x00\x00\x08\x04\xd2\x16\x2f':
            c.sendall(b'S')
        time.sleep(30)
    stall = Fake(ssl_then_nothing)
    try:
        r = probe(f'127.0.0.1:{stall.port}', '--timeout', '0.5')
        fires(r, 'probe-ssl-refused', 'timed out during the TLS handshake', where=f'127.0.0.1:{stall.port}')
        check(r.rc == 1, f'stall: exit 1: {r}')
    finally:
        stall.close()

    # A password request: the probe closes without sending anything more.
    after_request = []

    def password_request(c):
        head = recv_exact(c, 8)
        if head == b'\x00\x00\x00\x08\x04\xd2\x16\x2f':
            c.sendall(b'N')
            return
        if head[4:8] != b'\x00\x03\x00\x00':
            return  # the direct TLS attempt (a ClientHello): not a StartupMessage
        n = int.from_bytes(head[:4], 'big')
        startup = head + recv_exact(c, n - 8)
        c.sendall(b'R' + (8).to_bytes(4, 'big') + (3).to_bytes(4, 'big'))  # AuthenticationCleartextPassword
        rest = b''
        c.settimeout(10)
        try:
            while True:
                chunk = c.recv(4096)
                if not chunk:
                    break
                rest += chunk
        except OSError:
            rest += b'<no close>'
        after_request.append((startup, rest))
    pw = Fake(password_request)
    try:
        r = probe(f'127.0.0.1:{pw.port}', '--user', 'alice', '--database', 'app')
        fires(r, 'probe-plaintext-accepted', 'authentication request (password)')
        fires(r, 'probe-ssl-refused', "answered 'N'")
        time.sleep(0.5)
        check(len(after_request) == 1, f'password request: one plain StartupMessage ({len(after_request)})')
        for startup, rest in after_request:
            check(b'user\x00alice\x00database\x00app\x00' in startup, f'startup message: {startup!r}')
            check(rest == b'', f'the probe sent {rest!r} after the password request')
        sarif_valid(probe(f'127.0.0.1:{pw.port}', fmt='sarif'))
    finally:
        pw.close()

    # A closed port: exit 2 naming it.
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    r = probe(f'127.0.0.1:{port}', fmt=None)
    check(r.rc == 2 and f'cannot connect to 127.0.0.1:{port}' in r.err, f'closed port: {r}')
    r = probe('127.0.0.1:notaport', fmt=None)
    check(r.rc == 2 and 'invalid port' in r.err, f'bad port: {r}')

    # cluster.toml: probe must be a string "host:port".
    with tempfile.TemporaryDirectory(prefix='pgl-probe-') as tmp:
        os.makedirs(os.path.join(tmp, 'db1'))
        with open(os.path.join(tmp, 'db1', 'postgresql.conf'), 'w') as f:
            f.write('')
        toml = os.path.join(tmp, 'cluster.toml')
        with open(toml, 'w') as f:
            f.write('[[node]]\nname = "db1"\nconfig_dir = "db1"\nprobe = 5432\n')
        r = run('check', '--cluster', toml, fmt=None)
        check(r.rc == 2 and "node 'db1': probe must be a string" in r.err, f'cluster probe = 5432: {r}')
        with open(toml, 'w') as f:
            f.write('[[node]]\nname = "db1"\nconfig_dir = "db1"\nprobe = "127.0.0.1:0"\n')
        r = run('check', '--cluster', toml, fmt=None)
        check(r.rc == 2 and "node 'db1'" in r.err and 'invalid port' in r.err, f'cluster probe port 0: {r}')


# --- a live PostgreSQL 15 ------------------------------------------------------------------

def live_cases(tmp):
    now = pgtls.now_utc()
    ca = pgtls.make_ca('pgl probe CA', now)
    other_ca = pgtls.make_ca('pgl other CA', now)
    good = pgtls.make_server('localhost', ca, now)
    ca_file = os.path.join(tmp, 'ca.pem')
    with open(ca_file, 'wb') as f:
        f.write(ca.cert_pem())
    cluster = pgtls.SslCluster(good, ca)
    try:
        cluster.start()
        server = f'127.0.0.1:{cluster.port}'
        user = ('--user', 'pgl')

        # ssl = on, good certificate, `host` scram line: plaintext accepted.
        r = probe(server, *user, '--ca', ca_file, '--expect-host', 'localhost', '--expect-host', '127.0.0.1')
        p = r.doc['probe'] if r.doc else {}
        check(r.rc == 1, f'good: exit 1 (a warning): {r}')
        check(p.get('ssl') == 'accepted' and p['handshake']['protocol'] == 'TLSv1.3', f'good: handshake: {r}')
        check(p['handshake']['cipher'] != '' and p['handshake']['cipher_bits'] >= 128, f'good: cipher: {r}')
        check(len(p['chain']) == 2 and p['chain'][0]['subject'] == 'CN=localhost', f'good: chain: {r}')
        check(p['chain'][0]['days_left'] in (364, 365), f'good: days left: {r}')
        check(p['chain'][0]['key'].startswith('EC prime256v1'), f'good: key: {r}')
        check(p['versions']['TLSv1']['outcome'] == 'refused' and p['versions']['TLSv1.1']['outcome'] == 'refused'
              and p['versions']['TLSv1.2']['outcome'] == 'accepted'
              and p['versions']['TLSv1.3']['outcome'] == 'accepted', f'good: versions: {r}')
        check(p['direct_tls'] is False, f'PostgreSQL 15 offers no direct TLS: {r}')
        check(p['plaintext']['outcome'] == 'auth_requested' and p['plaintext']['auth_method'] == 'SCRAM-SHA-256',
              f'good: plaintext: {r}')
        fires(r, 'probe-plaintext-accepted', 'user "pgl", database "pgl"', where=server)
        for rule in ('probe-ssl-refused', 'probe-old-protocol-accepted', 'ssl-cert-hostname', 'ssl-cert-chain',
                     'ssl-cert-expiring', 'ssl-cert-expired', 'ssl-weak-key', 'ssl-weak-protocol'):
            silent(r, rule)
        check(len(r.diagnostics) == 1, f'good: one finding: {r}')
        t = probe(server, *user, '--ca', ca_file, fmt='text')
        check('negotiated: TLSv1.3' in t.out and 'chain against --ca: verifies against' in t.out
              and 'TLS 1.0 only: refused' in t.out and 'without SSL: accepted' in t.out, f'text: {t}')
        for fmt in ('sarif', 'github'):
            t = probe(server, *user, fmt=fmt)
            check(t.rc == 1 and 'probe-plaintext-accepted' in t.out, f'{fmt}: {t}')
        t = probe(server, *user, '--disable', 'probe-plaintext-accepted')
        check(t.rc == 0 and t.diagnostics == [], f'--disable: {t}')
        t = probe(server, *user, '--fail-on', 'error')
        check(t.rc == 0, f'--fail-on error: {t}')

        # Host names as verify-full.
        r = probe(server, *user, '--expect-host', 'db.example.com')
        fires(r, 'ssl-cert-hostname', 'does not match host name "db.example.com"', where=server)

        # hba variants.
        cluster.configure({}, 'hostssl all all 127.0.0.1/32 scram-sha-256\n')
        r = probe(server, *user)
        silent(r, 'probe-plaintext-accepted')
        silent(r, 'probe-ssl-refused')
        check(r.doc['probe']['plaintext']['outcome'] == 'refused'
              and 'no encryption' in r.doc['probe']['plaintext']['message'], f'hostssl only: {r}')
        check(r.rc == 0 and r.diagnostics == [], f'hostssl only: clean: {r}')
        cluster.configure({}, 'hostnossl all all 127.0.0.1/32 reject\nhost all all 127.0.0.1/32 scram-sha-256\n')
        r = probe(server, *user)
        silent(r, 'probe-plaintext-accepted')
        check('rejects connection' in r.doc['probe']['plaintext']['message'], f'hostnossl reject: {r}')
        cluster.configure({}, 'host all all 127.0.0.1/32 trust\n')
        r = probe(server, *user)
        fires(r, 'probe-plaintext-accepted', 'no password needed (trust)')

        # Protocol ranges. The server's OpenSSL (security level) refuses TLS 1.0/1.1 even with
        # ssl_min_protocol_version = 'TLSv1' unless ssl_ciphers lowers it.
        hostssl = 'hostssl all all 127.0.0.1/32 scram-sha-256\n'
        cluster.configure({'ssl_min_protocol_version': 'TLSv1', 'ssl_ciphers': 'DEFAULT:@SECLEVEL=0'}, hostssl)
        r = probe(server, *user)
        fires(r, 'probe-old-protocol-accepted', 'accepts TLS 1.0 handshakes', where=server)
        fires(r, 'probe-old-protocol-accepted', 'accepts TLS 1.1 handshakes', where=server)
        silent(r, 'ssl-weak-protocol')
        cluster.configure({'ssl_min_protocol_version': 'TLSv1'}, hostssl)
        r = probe(server, *user)
        silent(r, 'probe-old-protocol-accepted')
        check(r.doc['probe']['versions']['TLSv1']['outcome'] == 'refused', f'TLSv1 at the default level: {r}')
        cluster.configure({'ssl_min_protocol_version': 'TLSv1.3'}, hostssl)
        r = probe(server, *user)
        v = r.doc['probe']['versions']
        check(v['TLSv1.2']['outcome'] == 'refused' and v['TLSv1.3']['outcome'] == 'accepted', f'TLSv1.3 only: {r}')
        silent(r, 'probe-old-protocol-accepted')
        cluster.configure({'ssl_min_protocol_version': 'TLSv1', 'ssl_max_protocol_version': 'TLSv1.1',
                           'ssl_ciphers': 'DEFAULT:@SECLEVEL=0'}, hostssl)
        r = probe(server, *user)
        fires(r, 'ssl-weak-protocol', 'negotiated TLSv1.1', where=server)
        check(r.doc['probe']['versions']['TLSv1.3']['outcome'] == 'refused', f'max TLSv1.1: {r}')

        # Certificates: expiring soon, not matching the host, an untrusted chain.
        cluster.install(pgtls.make_server('localhost', ca, now, days=5))
        cluster.configure({}, hostssl)
        r = probe(server, *user)
        fires(r, 'ssl-cert-expiring', 'server certificate "localhost" presented by', where=server)
        check(any(re.search(r'\(in [45] days\)', d['message']) for d in r.diagnostics), f'expiring: days: {r}')
        r = probe(server, *user, '--expiry-days', '3')
        silent(r, 'ssl-cert-expiring')
        later = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() + 10 * 86400))
        r = probe(server, *user, '--now', later)
        fires(r, 'ssl-cert-expired', 'expired on')
        silent(r, 'ssl-cert-expiring')

        cluster.install(pgtls.make_server('db.example.com', ca, now, dns=('db.example.com',), ips=()))
        cluster.configure({}, hostssl)
        r = probe(server, *user, '--expect-host', 'localhost', '--ca', ca_file)
        fires(r, 'ssl-cert-hostname', 'server certificate for "db.example.com" does not match host name "localhost"')
        silent(r, 'ssl-cert-chain')

        untrusted = pgtls.make_server('localhost', other_ca, now)
        cluster.write('server.crt', untrusted.cert_pem() + other_ca.cert_pem())
        cluster.write('server.key', untrusted.key_pem(), mode=0o600)
        cluster.configure({}, hostssl)
        r = probe(server, *user, '--ca', ca_file)
        fires(r, 'ssl-cert-chain', f'does not verify against the CA certificates in "{ca_file}"', where=server)

        # The files change, the server is not reloaded: the certificate served differs.
        r = probe(server, *user, '--config-dir', cluster.data)
        silent(r, 'probe-cert-differs-from-files')
        cluster.install(good)  # no reload
        r = probe(server, *user, '--config-dir', cluster.data)
        fires(r, 'probe-cert-differs-from-files', 'the server has not reloaded its certificate', where=server)
        r = probe(server, *user, '--config', cluster.data)  # a directory given to --config
        fires(r, 'probe-cert-differs-from-files', 'not the one in ssl_cert_file "server.crt"')
        cluster.reload_and_wait()
        r = probe(server, *user, '--config-dir', cluster.data)
        silent(r, 'probe-cert-differs-from-files')

        # check --cluster: a node's `probe` adds the running node's findings.
        cluster.configure({}, 'host all all 127.0.0.1/32 scram-sha-256\n')
        toml = os.path.join(tmp, 'cluster.toml')
        with open(toml, 'w') as f:
            f.write(f'[[node]]\nname = "db1"\nrole = "primary"\nconfig_dir = "{cluster.data}"\n'
                    f'probe = "{server}"\n')
        r = run('check', '--cluster', toml)
        found = [d for d in r.diagnostics if d['file'] == server]
        check(any(d['rule'] == 'probe-plaintext-accepted' for d in found), f'check --cluster probe: {r}')
        check(r.rc in (0, 1), f'check --cluster probe: exit: {r}')
        with open(toml, 'w') as f:
            f.write(f'[[node]]\nname = "db1"\nconfig_dir = "{cluster.data}"\nprobe = "127.0.0.1:{free_port()}"\n')
        r = run('check', '--cluster', toml, fmt=None)
        check(r.rc == 2 and "node 'db1'" in r.err and 'cannot connect' in r.err, f'check --cluster unreachable: {r}')

        # ssl = off.
        cluster.configure({'ssl': 'off'}, 'host all all 127.0.0.1/32 scram-sha-256\n')
        r = probe(server, *user)
        fires(r, 'probe-ssl-refused', "answered 'N' to the SSLRequest", where=server)
        fires(r, 'probe-plaintext-accepted', 'SCRAM-SHA-256')
        check(r.doc['probe']['ssl'] == 'refused' and r.doc['probe']['chain'] == [], f'ssl off: {r}')
        check(r.rc == 1, f'ssl off: exit 1: {r}')
        r = probe(server, *user, '--config-dir', cluster.data)
        silent(r, 'probe-cert-differs-from-files')  # nothing presented, nothing to compare
    finally:
        log = cluster.log() if os.path.exists(os.path.join(cluster.base, 'server.log')) else ''
        cluster.stop()
    # Never a password: the server saw no password message from the probe.
    check('password authentication failed' not in log, 'the server logged a password attempt')


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    global BINARY, SHARED
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared', required=True)
    args = ap.parse_args()
    BINARY = os.path.abspath(args.binary)
    SHARED = args.shared
    fake_cases()
    if not pgtls.available():
        print('skip: PostgreSQL 15 or python3-cryptography not available', file=sys.stderr)
        return 77 if not FAILURES else 1
    with tempfile.TemporaryDirectory(prefix='pgl-probe-') as tmp:
        live_cases(tmp)
    if FAILURES:
        print(f'{len(FAILURES)} failure(s)', file=sys.stderr)
        return 1
    print('ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
