"""A throwaway PostgreSQL 15 cluster for differential tests.

The cluster lives in its own temporary directory, listens on a Unix socket only
(listen_addresses = ''), and runs as the `postgres` user when we are root. With
Cluster(tcp=True) it also listens on 127.0.0.1 (loopback only), and with ssl=True it has
ssl = on with a generated self-signed certificate. It is
started with an empty postgresql.conf and every needed setting on the command line,
so that tests can overwrite postgresql.conf, postgresql.auto.conf and pg_hba.conf and
read them back through pg_file_settings / pg_hba_file_rules / pg_ident_file_mappings,
which re-read the files on every query.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time

PG_BIN = '/usr/lib/postgresql/15/bin'


def available() -> bool:
    return os.path.exists(os.path.join(PG_BIN, 'postgres'))


class Cluster:
    def __init__(self, tcp: bool = False, ssl: bool = False, settings: dict[str, str] | None = None) -> None:
        self.tcp = tcp
        self.ssl = ssl
        self.settings = dict(settings or {})
        self.base = tempfile.mkdtemp(prefix='pgl-pg-')
        self.data = os.path.join(self.base, 'data')
        self.sock = self.base
        self.port = 5400 + os.getpid() % 500
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
        subprocess.run(self._cmd([os.path.join(PG_BIN, 'initdb'), '-D', self.data, '-U', 'pgl',
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
            self._cmd([os.path.join(PG_BIN, 'postgres'), '-D', self.data,
                       '-c', "listen_addresses=" + ('127.0.0.1' if self.tcp else ''),
                       '-c', f'unix_socket_directories={self.sock}',
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
