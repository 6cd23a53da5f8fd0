#!/usr/bin/env python3
"""Checks the parameter tables data/gucs/<major>.tsv against pg_settings of real servers.

For each server (the test build of every major 12-18, at its latest minor, and Debian's 15),
every row of pg_settings must be a row of the table with the same type, context, unit,
min, max, boot value and enum values; and every row of the table must be in pg_settings,
except:
  * parameters the server hides from pg_settings (flag GUC_NO_SHOW_ALL),
  * parameters of debug builds only (build_condition NOT IN STANDARD BUILD),
  * rows whose notes say `Debian` (Debian's and PGDG's packages add them) on the test
    builds, which are plain upstream builds.
Boot values (and ranges) that the build decides (paths, version numbers, locale, platform)
are listed in BUILD_BOOT_VALUES with the reason and are not compared. Enum values of
libraries the test builds lack (lz4, zstd, io_uring) are expected on Debian's build only
(pgserver.build_dependent).
Exit: 0 every table agrees, 1 a difference, 77 no server.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgserver  # noqa: E402

# Boot values decided by the build or the platform, not by the parameter's definition.
BUILD_BOOT_VALUES = {
    'server_version': 'the minor release', 'server_version_num': 'the minor release',
    'unix_socket_directories': 'DEFAULT_PGSOCKET_DIR (Debian: /var/run/postgresql)',
    'krb_server_keyfile': 'PG_KRB_SRVTAB, set by configure (Debian: FILE:/etc/postgresql-common/krb5.keytab)',
    'ssl_library': 'empty without OpenSSL', 'debug_io_direct': 'platform',
    'dynamic_shared_memory_type': 'DEFAULT_DYNAMIC_SHARED_MEMORY_TYPE, platform',
    'wal_sync_method': 'DEFAULT_SYNC_METHOD, platform', 'huge_pages_status': 'platform',
    'data_directory_mode': 'the data directory', 'shared_memory_size': 'computed at start',
    'shared_memory_size_in_huge_pages': 'computed at start', 'wal_segment_size': 'initdb --wal-segsize',
    'lc_collate': 'initdb locale', 'lc_ctype': 'initdb locale', 'server_encoding': 'initdb encoding',
    'data_checksums': 'initdb', 'default_locale_provider': 'initdb', 'num_os_semaphores': 'computed at start',
    'max_stack_depth': 'boot 100 kB is raised to the stack rlimit at start',
    'ssl_groups': 'OpenSSL version', 'ssl_ecdh_curve': 'OpenSSL version',
}


def norm_num(s: str) -> str:
    try:
        return repr(float(s))
    except ValueError:
        return s


def compare(srv: pgserver.Server, table: list[dict], rows: list[dict]) -> list[str]:
    problems: list[str] = []
    by_name = {r['name'].lower(): r for r in table}
    seen = set()
    for s in rows:
        name = s['name']
        t = by_name.get(name.lower())
        seen.add(name.lower())
        if t is None:
            problems.append(f'{name}: in pg_settings, not in the table')
            continue
        checks = [('type', t['type'], s['vartype']), ('context', t['context'], s['context']),
                  ('unit', t['unit'], s['unit'] or '')]
        if t['type'] in ('integer', 'real') and name.lower() not in BUILD_BOOT_VALUES:
            checks += [('min', norm_num(t['min']), norm_num(s['min_val'] or '')),
                       ('max', norm_num(t['max']), norm_num(s['max_val'] or ''))]
        if name.lower() not in BUILD_BOOT_VALUES:
            boot_t, boot_s = t['boot_val'], s['boot_val'] if s['boot_val'] is not None else ''
            if t['type'] in ('integer', 'real'):
                boot_t, boot_s = norm_num(boot_t), norm_num(boot_s)
            elif t['type'] == 'bool':
                boot_t = {'true': 'on', 'false': 'off'}.get(boot_t, boot_t)
            elif boot_t == '(null)':  # a NULL boot value shows as ''
                boot_t = ''
            checks.append(('boot_val', boot_t, boot_s))
        if t['type'] == 'enum':
            # values of libraries the test builds lack (lz4, zstd, liburing): pgserver's rule
            want = [v for v in t['enum_values'].split(',') if not pgserver.build_dependent(srv, v)]
            checks.append(('enum_values', want, list(s['enumvals'] or [])))
        for what, ours, theirs in checks:
            if ours != theirs:
                problems.append(f'{name}: {what}: table {ours!r}, server {theirs!r}')
    for t in table:
        n = t['name'].lower()
        if n in seen or 'NO_SHOW_ALL' in t['flags'] or 'NOT IN STANDARD BUILD' in t['build_condition']:
            continue
        if not srv.full_build and 'Debian' in t['notes']:
            continue
        problems.append(f'{t["name"]}: in the table, not in pg_settings')
    return problems


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary')
    ap.add_argument('--source', required=True)
    ap.add_argument('--shared')
    args = ap.parse_args()
    servers = [pgserver.Server(m) for m in [pgserver.FULL_BUILD, *map(str, pgserver.MAJORS)]]
    servers = [s for s in servers if s.available()]
    if not servers:
        print('guc tables: no server, skipped')
        return 77
    failed = 0
    for srv in servers:
        with open(os.path.join(args.source, 'data', 'gucs', f'{srv.major}.tsv'), newline='', encoding='utf-8') as f:
            table = list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
        with pgserver.Cluster(srv) as c:
            rows = c.query_json('select name, vartype, context, unit, min_val, max_val, boot_val, enumvals '
                                'from pg_settings')
        problems = compare(srv, table, rows)
        for p in problems:
            print(f'{srv.label()}: {p}')
        print(f'guc tables, {srv.label()}: {len(rows)} parameters, {len(problems)} differences')
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
