"""TLS material and an SSL-enabled throwaway PostgreSQL 15 for the probe tests.

SslCluster is a pgserver.Cluster listening on 127.0.0.1 only (a free port) as well as on
its Unix socket, with ssl = on and certificates generated here (needs python3-cryptography).
Settings and pg_hba.conf are rewritten and reloaded between cases (ssl, the protocol range
and pg_hba.conf are all reloadable), so one server serves every case.
"""
from __future__ import annotations

import datetime as dt
import os
import time

import pgserver

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    HAVE_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover
    HAVE_CRYPTOGRAPHY = False

DAY = dt.timedelta(days=1)


def available() -> bool:
    return pgserver.available() and HAVE_CRYPTOGRAPHY


class Material:
    """A key and its certificate, as PEM."""

    def __init__(self, key, cert) -> None:
        self.key = key
        self.cert = cert

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())


def _name(cn: str):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(cn: str, now: dt.datetime) -> Material:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - 10 * DAY).not_valid_after(now + 3650 * DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return Material(key, cert)


def make_server(cn: str, issuer: Material, now: dt.datetime, days: int = 365,
                dns: tuple[str, ...] = ('localhost',), ips: tuple[str, ...] = ('127.0.0.1',)) -> Material:
    import ipaddress
    key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    builder = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(issuer.cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - DAY).not_valid_after(now + days * DAY))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return Material(key, builder.sign(issuer.key, hashes.SHA256()))


class SslCluster(pgserver.Cluster):
    """PostgreSQL 15 on 127.0.0.1 with ssl = on."""

    def __init__(self, server: Material, ca: Material) -> None:
        super().__init__(listen='127.0.0.1')
        self.ca = ca
        self.first = server

    def install(self, m: Material) -> None:
        """Writes server.crt/server.key (no reload)."""
        self.write('server.crt', m.cert_pem() + self.ca.cert_pem())
        self.write('server.key', m.key_pem(), mode=0o600)

    def start(self) -> 'SslCluster':
        super().start()
        self.install(self.first)
        self.configure({})
        return self

    def configure(self, settings: dict[str, str], hba: str | None = None) -> None:
        """postgresql.conf = ssl on + `settings`, pg_hba.conf = local trust + `hba`; reloads
        and waits until new connections see it."""
        conf = {'ssl': 'on', 'ssl_cert_file': 'server.crt', 'ssl_key_file': 'server.key'}
        conf.update(settings)
        self.write('postgresql.conf', ''.join(f"{k} = '{v}'\n" for k, v in conf.items()))
        hba_text = 'local all all trust\n' + (hba if hba is not None else
                                              'host all all 127.0.0.1/32 scram-sha-256\n')
        self.write('pg_hba.conf', hba_text)
        self.reload_and_wait()

    def load_time(self) -> str:
        return self.query_json('select pg_conf_load_time()::text as loaded')[0]['loaded']

    def reload_and_wait(self) -> None:
        before = self.load_time()
        self.reload()
        deadline = time.time() + 30
        while time.time() < deadline:
            time.sleep(0.1)
            if self.load_time() != before:
                return
        raise RuntimeError('the server did not reload')

    def log(self) -> str:
        with open(os.path.join(self.base, 'server.log'), errors='replace') as f:
            return f.read()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


