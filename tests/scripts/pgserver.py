"""Throwaway PostgreSQL clusters for differential tests, on every supported major.

Servers: `debian` is Debian's PostgreSQL 15 (/usr/lib/postgresql/15/bin), the full build
(GSSAPI, LDAP, PAM, lz4, zstd, ICU, system time-zone data); 12 ... 18 are the builds that
scripts/test-servers.sh installs, one per major (latest minor), which lack those features.
psql and pg_isready are always Debian's (libpq talks to every major).

The cluster lives in its own temporary directory, listens on a Unix socket only
(listen_addresses = ''), and runs as the `postgres` user when we are root. With
Cluster(listen='127.0.0.1') or Cluster(tcp=True) it also listens on 127.0.0.1 on a free port
(loopback only, never any other address), and with ssl=True it has ssl = on with a generated
self-signed certificate. It is
started with an empty postgresql.conf and every needed setting on the command line,
so that tests can overwrite postgresql.conf, postgresql.auto.conf and pg_hba.conf and
read them back through pg_file_settings / pg_hba_file_rules / pg_ident_file_mappings,
which re-read the files on every query.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time

PG_BIN = '/usr/lib/postgresql/15/bin'   # Debian's full build; its psql is the client for all
MAJORS = (12, 13, 14, 15, 16, 17, 18)
FULL_BUILD = 'debian'


def server_cache() -> str:
    """Where scripts/test-servers.sh installs the per-major builds (same order of choice)."""
    if os.environ.get('PGL_SERVER_CACHE'):
        return os.environ['PGL_SERVER_CACHE']
    if os.path.isdir('/var/cache/pgconflint/servers'):
        return '/var/cache/pgconflint/servers'
    return os.path.join(os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'),
                        'pgconflint', 'servers')


class Server:
    """One server build: `name` is 'debian' or a major number as text."""

    def __init__(self, name: str = FULL_BUILD) -> None:
        self.name = str(name)
        self.full_build = self.name == FULL_BUILD
        if self.full_build:
            self.major = 15
            self.bin = PG_BIN
        else:
            self.major = int(self.name)
            if self.major not in MAJORS:
                raise ValueError(f'no such major: {name}')
            self.bin = os.path.join(server_cache(), self.name, 'bin')

    def available(self) -> bool:
        return os.path.exists(os.path.join(self.bin, 'postgres')) and \
            os.path.exists(os.path.join(PG_BIN, 'psql'))

    def version(self) -> str:
        r = subprocess.run([os.path.join(self.bin, 'postgres'), '--version'], capture_output=True, text=True)
        m = re.search(r'\(PostgreSQL\) (\S+)', r.stdout)
        return m.group(1) if m else '?'

    def label(self) -> str:
        return f'PostgreSQL {self.version()} ({"Debian" if self.full_build else "test build"})'


# --- The one rule for build-dependent outcomes --------------------------------------------
# The per-major test builds lack GSSAPI, LDAP, PAM, lz4, zstd, liburing and ICU, and carry
# their own time-zone data. A case whose outcome depends on that is compared against
# Debian's full build of 15 only (the `debian` server); on the test builds it is counted
# as "build-dependent" and left out. Every differential suite asks this function and no
# suite keeps a list of its own. A case is build-dependent when one of its texts (the
# server's error or message, a parameter value, a parameter name) is
#   * a server message that a feature is missing from the build, or a check that only a
#     build with the feature makes (12 and 13 test `hostgssenc` methods only with GSSAPI:
#     pgconflint's "GSSAPI encryption only supports ..." is what Debian's build says), or
#   * a value naming a compression method or I/O method these builds lack, or
#   * a time-zone parameter's name (the zone names the server knows come from its data), or
#   * the name of a parameter that only Debian's and PGDG's packages have (extension_destdir:
#     a Debian patch, noted so in data/gucs/<major>.tsv).
_MISSING_FEATURE = re.compile(r'not supported by this build|not supported on this platform|'
                              r'GSSAPI encryption only supports', re.I)
_MISSING_VALUE = re.compile(r'\b(lz4|zstd|io_uring)\b', re.I)
_TZ_PARAMETERS = {'timezone', 'log_timezone'}
_DEBIAN_PARAMETERS = {'extension_destdir'}


def build_dependent(server: 'Server', *texts: object) -> bool:
    if server.full_build:
        return False
    for t in texts:
        if not isinstance(t, str):
            if t is None:
                continue
            t = json.dumps(t)
        if _MISSING_FEATURE.search(t) or _MISSING_VALUE.search(t) or t.lower() in _TZ_PARAMETERS | _DEBIAN_PARAMETERS:
            return True
    return False


def add_server_argument(ap: argparse.ArgumentParser) -> None:
    ap.add_argument('--server', default=FULL_BUILD,
                    help="'debian' (Debian's PostgreSQL 15, full build) or a major 12-18 (test builds)")


def available() -> bool:
    return Server().available()


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, server: Server | None = None, listen: str = '', tcp: bool = False,
                 ssl: bool = False, settings: dict[str, str] | None = None) -> None:
        self.server = server or Server()
        self.bin = self.server.bin
        if tcp and not listen:
            listen = '127.0.0.1'
        if listen not in ('', '127.0.0.1', '::1'):
            raise ValueError('test clusters listen on loopback only')
        self.listen = listen
        self.tcp = bool(listen)
        self.ssl = ssl
        self.settings = dict(settings or {})
        self.base = tempfile.mkdtemp(prefix='pgl-pg-')
        self.data = os.path.join(self.base, 'data')
        self.sock = self.base
        self.port = free_loopback_port() if listen else 5400 + os.getpid() % 500
        self.as_root = os.getuid() == 0
        self.proc: subprocess.Popen | None = None
        if self.as_root:
            pw = pwd.getpwnam('postgres')
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
            os.chmod(self.base, 0o755)

    # -- process helpers
    def _cmd(self, argv: list[str]) -> list[str]:
        if self.as_root:
            return ['runuser', '-u', 'postgres', '--'] + argv
        return argv

    def start(self) -> 'Cluster':
        subprocess.run(self._cmd([os.path.join(self.bin, 'initdb'), '-D', self.data, '-U', 'pgl',
                                  '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.write('postgresql.conf', '')
        self.write('postgresql.auto.conf', '')
        self.write('pg_ident.conf', '')
        self.original_hba = 'local all all trust\n'
        self.write('pg_hba.conf', self.original_hba)
        extra: list[str] = []
        if self.ssl:
            self._make_certificate()
            extra += ['-c', 'ssl=on', '-c', 'ssl_cert_file=server.crt', '-c', 'ssl_key_file=server.key']
        for k, v in self.settings.items():
            extra += ['-c', f'{k}={v}']
        self.log_path = os.path.join(self.base, 'server.log')
        log = open(self.log_path, 'wb')
        self.proc = subprocess.Popen(
            self._cmd([os.path.join(self.bin, 'postgres'), '-D', self.data,
                       '-c', f"listen_addresses={self.listen}", '-c', f'unix_socket_directories={self.sock}',
                       '-c', f'port={self.port}', '-c', 'fsync=off', '-c', 'shared_buffers=16MB',
                       '-c', 'max_connections=10', '-c', 'logging_collector=off'] + extra),
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError('postgres exited: ' + open(log.name, errors='replace').read())
            r = subprocess.run(self._cmd([os.path.join(PG_BIN, 'pg_isready'), '-h', self.sock,
                                          '-p', str(self.port)]), capture_output=True)
            if r.returncode == 0:
                return self
            time.sleep(0.2)
        raise RuntimeError('postgres did not start')

    def _make_certificate(self) -> None:
        key, crt = self.path('server.key'), self.path('server.crt')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost',
                        '-days', '2', '-keyout', key, '-out', crt], check=True, capture_output=True)
        os.chmod(key, 0o600)
        if self.as_root:
            pw = pwd.getpwnam('postgres')
            for p in (key, crt):
                os.chown(p, pw.pw_uid, pw.pw_gid)

    def log_text(self) -> str:
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def reload(self) -> None:
        """Makes the server re-read its files (pg_hba.conf must let user pgl in locally)."""
        self.query_json('select pg_reload_conf()')
        time.sleep(0.3)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.base, ignore_errors=True)

    def reload(self) -> None:
        """pg_ctl reload: the server re-reads its files (SIGHUP)."""
        subprocess.run(self._cmd([os.path.join(self.bin, 'pg_ctl'), 'reload', '-s', '-D', self.data]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self) -> 'Cluster':
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- files
    def path(self, rel: str) -> str:
        return os.path.join(self.data, rel)

    def write(self, rel: str, content: str | bytes, mode: int = 0o644) -> str:
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'wb') as f:
            f.write(content.encode() if isinstance(content, str) else content)
        os.chmod(p, mode)
        if self.as_root:
            pw = pwd.getpwnam('postgres')
            os.chown(p, pw.pw_uid, pw.pw_gid)
        return p

    # -- queries
    def query_json(self, sql: str) -> list[dict]:
        q = f"select coalesce(json_agg(t), '[]'::json) from ({sql}) t"
        r = subprocess.run(self._cmd([os.path.join(PG_BIN, 'psql'), '-X', '-At', '-h', self.sock,
                                      '-p', str(self.port), '-U', 'pgl', '-d', 'postgres',
                                      '-v', 'ON_ERROR_STOP=1', '-c', q]),
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.strip())
        return json.loads(r.stdout)

    def hba_rules(self) -> list[dict]:
        return self.query_json('select * from pg_hba_file_rules')

    def file_settings(self) -> list[dict]:
        return self.query_json('select * from pg_file_settings')

    def ident_mappings(self) -> list[dict]:
        return self.query_json('select * from pg_ident_file_mappings')
