#!/usr/bin/env python3
"""Regenerates the certificates and keys of the drift-tls / drift-weaker-security fixtures.

Certificates are valid from 2025-01-01 to dates in 2099 (UTC), so no fixture expires by
itself; the drift comparison does not depend on the current time anyway.
Run: python3 rules/drift/gen_tls_fixtures.py   (needs python3-cryptography)
"""
import datetime as dt
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = dt.timezone.utc
BEFORE = dt.datetime(2025, 1, 1, tzinfo=UTC)


def name(cn, org='Example'):
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def rsa_key(bits):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def cert(subject, key, issuer_name, issuer_key, after, digest=hashes.SHA256(), ca=False, serial=1000):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(BEFORE).not_valid_after(after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=ca))
    return b.sign(issuer_key, digest)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(data)


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(k):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption()).decode()


def node(case_dir, node_name, c, k):
    write(os.path.join(case_dir, node_name, 'server.crt'), pem(c))
    write(os.path.join(case_dir, node_name, 'server.key'), key_pem(k))


def main():
    ca_key = rsa_key(2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'Example Root CA')])
    other_ca_key = rsa_key(2048)
    other_ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'Other Root CA')])
    june = dt.datetime(2099, 6, 1, 10, 0, tzinfo=UTC)
    june_evening = dt.datetime(2099, 6, 1, 18, 30, tzinfo=UTC)
    september = dt.datetime(2099, 9, 1, 10, 0, tzinfo=UTC)
    primary_key = rsa_key(2048)
    primary = cert(name('db1.example.com'), primary_key, ca_name, ca_key, june)

    tls = os.path.join(HERE, 'drift-tls.fixtures')
    # Every property differs on replica1, the subject beyond the CN on replica2.
    case = os.path.join(tls, 'server-certificates-differ')
    node(case, 'primary', primary, primary_key)
    r1_key = ec.generate_private_key(ec.SECP256R1())
    node(case, 'replica1', cert(name('db2.example.com'), r1_key, other_ca_name, other_ca_key, september), r1_key)
    r2_key = rsa_key(2048)
    node(case, 'replica2', cert(name('db3.example.com', 'Example Staging'), r2_key, ca_name, ca_key, june), r2_key)

    # Same CA, key type and size, expiry day (other time of day); only the CN differs.
    case = os.path.join(tls, 'per-node-certificates-are-silent')
    node(case, 'primary', primary, primary_key)
    r_key = rsa_key(2048)
    node(case, 'replica1', cert(name('db2.example.com'), r_key, ca_name, ca_key, june_evening), r_key)

    # A smaller key and a weaker signature digest on the replica.
    weak = os.path.join(HERE, 'drift-weaker-security.fixtures', 'weaker-server-key-and-signature')
    strong_key = rsa_key(3072)
    node(weak, 'primary', cert(name('db1.example.com'), strong_key, ca_name, ca_key, june, hashes.SHA384()),
         strong_key)
    small_key = rsa_key(2048)
    node(weak, 'replica1', cert(name('db2.example.com'), small_key, ca_name, ca_key, june, hashes.SHA256()),
         small_key)


if __name__ == '__main__':
    main()
