#!/usr/bin/env python3
"""Regenerates rules/ssl/<id>.fixtures/ (certificates, keys, CRLs and configurations).

Validity windows are fixed dates around the fixtures' reference time 2026-01-01T00:00:00Z
(case.toml `now`, the driver's default), so no fixture depends on the wall clock.
Run: python3 rules/ssl/gen_fixtures.py   (needs python3-cryptography)
"""
import datetime as dt
import os
import shutil

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
DAY = dt.timedelta(days=1)


def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(cn, key, issuer=None, issuer_key=None, ca=False, dns=(), before=NOW - 365 * DAY,
         after=NOW + 500 * DAY, serial=1000, digest=hashes.SHA256()):
    b = (x509.CertificateBuilder().subject_name(name(cn))
         .issuer_name(issuer.subject if issuer else name(cn))
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(before).not_valid_after(after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=ca))
    if dns:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]), critical=False)
    return b.sign(issuer_key or key, digest)


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(k, password=None):
    enc = (serialization.BestAvailableEncryption(password.encode()) if password
           else serialization.NoEncryption())
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc).decode()


def sha1_resign(c, rsa_issuer_key):
    """The library refuses SHA-1 signatures: swap the (same-length) algorithm OID and re-sign."""
    from cryptography.hazmat.primitives.asymmetric import padding
    import base64
    sha256_rsa = bytes.fromhex("06092a864886f70d01010b")
    sha1_rsa = bytes.fromhex("06092a864886f70d010105")
    der = c.public_bytes(serialization.Encoding.DER).replace(sha256_rsa, sha1_rsa)
    tbs = x509.load_der_x509_certificate(der).tbs_certificate_bytes
    sig = rsa_issuer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    der = der.replace(c.signature, sig)
    b64 = base64.encodebytes(der).decode().replace("\n", "")
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)) + \
        "\n-----END CERTIFICATE-----\n"


def crl(issuer, issuer_key, revoked, last, nxt):
    b = (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
         .last_update(last).next_update(nxt))
    for c in revoked:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder()
                                      .serial_number(c.serial_number).revocation_date(last).build())
    return b.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


# One PKI shared by the cases: root -> server CA -> db.example.com.
ROOT_KEY, INTER_KEY, LEAF_KEY = ec_key(), ec_key(), ec_key()
ROOT = cert("Fixture root CA", ROOT_KEY, ca=True, serial=1, after=NOW + 3650 * DAY)
INTER = cert("Fixture server CA", INTER_KEY, ROOT, ROOT_KEY, ca=True, serial=2, after=NOW + 3000 * DAY)
LEAF = cert("db.example.com", LEAF_KEY, INTER, INTER_KEY, dns=["db.example.com"])

GOOD_CONF = """listen_addresses = '*'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_ca_file = 'root.crt'
"""


def write_case(rule, case, files, conf=GOOD_CONF, toml=None, expected=None):
    d = os.path.join(HERE, rule + ".fixtures", case)
    os.makedirs(d, exist_ok=True)
    files = dict({"server.crt": pem(LEAF) + pem(INTER), "server.key": key_pem(LEAF_KEY),
                  "root.crt": pem(ROOT)}, **files)
    for n, text in files.items():
        if text is None:
            continue
        with open(os.path.join(d, n), "w") as f:
            f.write(text)
    with open(os.path.join(d, "postgresql.conf"), "w") as f:
        f.write(conf)
    with open(os.path.join(d, "PG_VERSION"), "w") as f:
        f.write("16\n")
    if toml:
        with open(os.path.join(d, "case.toml"), "w") as f:
            f.write(toml)
    if expected:
        with open(os.path.join(d, "expected.txt"), "w") as f:
            f.write(expected)


def main():
    for entry in os.listdir(HERE):
        if entry.startswith("ssl-") and entry.endswith(".fixtures"):
            shutil.rmtree(os.path.join(HERE, entry))

    # Silent everywhere: the working setup.
    for rule in ["ssl-ca-file-missing", "ssl-cert-chain", "ssl-cert-expired", "ssl-cert-expiring",
                 "ssl-cert-hostname", "ssl-cert-not-yet-valid", "ssl-cert-revoked", "ssl-cert-self-signed",
                 "ssl-crl-expired", "ssl-disabled", "ssl-file-missing", "ssl-key-encrypted", "ssl-key-mismatch",
                 "ssl-weak-ciphers", "ssl-weak-key", "ssl-weak-protocol", "ssl-weak-signature"]:
        extra = {}
        conf = GOOD_CONF
        toml = None
        if rule in ("ssl-cert-revoked", "ssl-crl-expired"):
            extra["server.crl"] = crl(INTER, INTER_KEY, [], NOW - 10 * DAY, NOW + 20 * DAY)
            conf += "ssl_crl_file = 'server.crl'\n"
        if rule == "ssl-cert-hostname":
            toml = 'expect_hosts = ["db.example.com", "DB.EXAMPLE.COM"]\n'
        if rule == "ssl-cert-chain":
            toml = 'ca = ["root.crt"]\n'
        write_case(rule, "working-setup", extra, conf, toml)

    write_case("ssl-disabled", "ssl-off-listening-everywhere", {},
               "listen_addresses = '*'\nssl = off\n# expect: warning [ssl-disabled] ssl is off while listen_addresses\n")
    write_case("ssl-key-permissions", "ssl-off", {}, "listen_addresses = 'localhost'\nssl = off\n")
    # git checks files out 0644: owned by the tester (root: group/world access; other users:
    # not the server user). Both messages name the file.
    write_case("ssl-key-permissions", "world-readable-key", {},
               "ssl = on\nssl_ca_file = 'root.crt'\nssl_key_file = 'server.key'\n"
               "# expect: error [ssl-key-permissions] private key file \"server.key\"\n",
               toml='server_user = "postgres"\n')
    write_case("ssl-file-missing", "missing-files", {"server.crt": None, "server.key": None},
               "ssl = on\n# expect: error [ssl-file-missing] could not access private key file \"server.key\": No such file or directory\n"
               "ssl_cert_file = 'missing.crt'\n# expect: error [ssl-file-missing] could not load server certificate file \"missing.crt\": No such file or directory\n"
               "ssl_ca_file = 'notpem.crt'\n# expect: error [ssl-file-missing] could not load root certificate file \"notpem.crt\"\n")
    with open(os.path.join(HERE, "ssl-file-missing.fixtures", "missing-files", "notpem.crt"), "w") as f:
        f.write("not a certificate\n")
    write_case("ssl-weak-protocol", "tls11", {},
               GOOD_CONF + "ssl_min_protocol_version = 'TLSv1.1'\n# expect: warning [ssl-weak-protocol] allows TLS versions below 1.2\n")
    write_case("ssl-weak-protocol", "empty-range", {},
               GOOD_CONF + "ssl_min_protocol_version = 'TLSv1.3'\nssl_max_protocol_version = 'TLSv1.2'\n"
               "# expect: error [ssl-weak-protocol] could not set SSL protocol version range\n")
    write_case("ssl-weak-ciphers", "all-ciphers", {},
               GOOD_CONF + "ssl_ciphers = 'ALL'\n# expect: warning [ssl-weak-ciphers] no authentication (aNULL)\n")
    write_case("ssl-weak-ciphers", "no-cipher", {},
               GOOD_CONF + "ssl_ciphers = 'NOSUCHCIPHER'\n# expect: error [ssl-weak-ciphers] could not set the cipher list (no valid ciphers available)\n")
    write_case("ssl-ca-file-missing", "no-ca-file", {"root.crt": None},
               "listen_addresses = '*'\nssl = on\n# expect: note [ssl-ca-file-missing] ssl_ca_file is not set\n")
    write_case("ssl-key-mismatch", "other-key", {"server.key": key_pem(ec_key())},
               "ssl = on\nssl_ca_file = 'root.crt'\nssl_key_file = 'server.key'\n"
               "# expect: error [ssl-key-mismatch] check of private key failed: key values mismatch\n")
    write_case("ssl-key-encrypted", "no-passphrase-command", {"server.key": key_pem(LEAF_KEY, "secret1")},
               "ssl = on\nssl_key_file = 'server.key'\n# expect: error [ssl-key-encrypted] ssl_passphrase_command is not set\n")
    write_case("ssl-key-encrypted", "command-without-reload", {"server.key": key_pem(LEAF_KEY, "secret1")},
               "ssl = on\nssl_passphrase_command = 'echo secret1'\nssl_key_file = 'server.key'\n"
               "# expect: note [ssl-key-encrypted] cannot be reloaded because it requires a passphrase\n")

    expired = cert("db.example.com", LEAF_KEY, INTER, INTER_KEY, dns=["db.example.com"],
                   before=NOW - 400 * DAY, after=NOW - 3 * DAY)
    write_case("ssl-cert-expired", "expired-leaf", {"server.crt": pem(expired) + pem(INTER)},
               expected='server.crt:1: error [ssl-cert-expired] server certificate "db.example.com" in "server.crt" '
                        'expired on 2025-12-29 00:00:00 UTC (3 days ago)\n')
    future = cert("db.example.com", LEAF_KEY, INTER, INTER_KEY, dns=["db.example.com"],
                  before=NOW + 2 * DAY, after=NOW + 400 * DAY)
    write_case("ssl-cert-not-yet-valid", "future-leaf", {"server.crt": pem(future) + pem(INTER)},
               expected='server.crt:1: error [ssl-cert-not-yet-valid] is not valid before 2026-01-03 00:00:00 UTC (in 2 days)\n')
    soon = cert("db.example.com", LEAF_KEY, INTER, INTER_KEY, dns=["db.example.com"],
                before=NOW - 80 * DAY, after=NOW + 10 * DAY)
    write_case("ssl-cert-expiring", "ten-days-left", {"server.crt": pem(soon) + pem(INTER)},
               expected='server.crt:1: warning [ssl-cert-expiring] expires on 2026-01-11 00:00:00 UTC (in 10 days)\n')
    write_case("ssl-cert-expiring", "outside-window", {"server.crt": pem(soon) + pem(INTER)},
               toml="expiry_days = 5\n")
    write_case("ssl-cert-chain", "missing-intermediate", {"server.crt": pem(LEAF)},
               toml='ca = ["root.crt"]\n',
               expected='server.crt:1: error [ssl-cert-chain] unable to get local issuer certificate\n')
    selfsigned = cert("db.example.com", LEAF_KEY, dns=["db.example.com"])
    write_case("ssl-cert-self-signed", "self-signed", {"server.crt": pem(selfsigned)},
               expected='server.crt:1: note [ssl-cert-self-signed] is self-signed\n')
    write_case("ssl-cert-revoked", "revoked-leaf",
               {"server.crl": crl(INTER, INTER_KEY, [LEAF], NOW - 10 * DAY, NOW + 20 * DAY)},
               GOOD_CONF + "ssl_crl_file = 'server.crl'\n",
               expected='server.crt:1: error [ssl-cert-revoked] is revoked by the certificate revocation list in "server.crl"\n')
    write_case("ssl-crl-expired", "outdated-crl",
               {"server.crl": crl(INTER, INTER_KEY, [], NOW - 40 * DAY, NOW - 10 * DAY)},
               GOOD_CONF + "ssl_crl_file = 'server.crl'\n# expect: warning [ssl-crl-expired] next update was due 2025-12-22 00:00:00 UTC (10 days ago)\n")
    write_case("ssl-cert-hostname", "other-host", {}, toml='expect_hosts = ["db2.example.com"]\n',
               expected='server.crt:1: error [ssl-cert-hostname] server certificate for "db.example.com" does not match host name "db2.example.com"\n')
    weak_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    weak = cert("db.example.com", weak_key, INTER, INTER_KEY, dns=["db.example.com"])
    write_case("ssl-weak-key", "rsa-1024", {"server.crt": pem(weak) + pem(INTER), "server.key": key_pem(weak_key)},
               expected='server.crt:1: warning [ssl-weak-key] has a weak RSA 1024-bit key\n')
    rsa_ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_ca = cert("Fixture RSA server CA", rsa_ca_key, ROOT, ROOT_KEY, ca=True, serial=3)
    sha1 = sha1_resign(cert("db.example.com", LEAF_KEY, rsa_ca, rsa_ca_key, dns=["db.example.com"]), rsa_ca_key)
    write_case("ssl-weak-signature", "sha1-leaf", {"server.crt": sha1 + pem(rsa_ca)},
               expected='server.crt:1: warning [ssl-weak-signature] is signed with SHA-1\n')


if __name__ == "__main__":
    main()
