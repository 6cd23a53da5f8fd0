"""Shared steps of the differential tests that compare `pgconflint dump hba|ident` with
the server's pg_hba_file_rules / pg_ident_file_mappings, row by row."""
from __future__ import annotations

import json
import os
import subprocess
from typing import Callable

import pgserver

MAX_REPORTED = 30  # mismatching rows described in full


def corpus_cases(shared: str, kind: str) -> list[tuple[str, str]]:
    """Every file of <shared>/corpus/<kind> as a case (name, text)."""
    corpus = os.path.join(shared, 'corpus', kind)
    cases = []
    for name in sorted(os.listdir(corpus)) if os.path.isdir(corpus) else []:
        with open(os.path.join(corpus, name), 'rb') as f:
            cases.append((f'corpus/{name}', f.read().decode('utf-8', 'replace')))
    return cases


def run_dump(binary: str, kind: str, path: str, *options: str) -> tuple[int, list, str]:
    """`pgconflint dump <kind> <path> <options>`: (exit code, rows, stderr)."""
    r = subprocess.run([binary, 'dump', kind, path, *options], capture_output=True, text=True)
    if r.returncode != 0:
        return r.returncode, [], r.stderr
    return 0, json.loads(r.stdout), ''


class Counts:
    """Rows compared, rows that differ, rows left out as build-dependent (pgserver.build_dependent)."""

    def __init__(self) -> None:
        self.total = self.failed = self.build_dependent = 0


def compare(name: str, server: list, ours: list, text: str, report: list,
            srv: pgserver.Server | None = None, counts: Counts | None = None) -> tuple[int, int]:
    """Compares the rows of one file: (rows compared, rows that differ); describes the
    differences in `report`. On a test build, a server row with a build-dependent error is
    left out (counted in `counts.build_dependent`)."""
    lines = max(len(server), len(ours))
    failed = 0
    src = text.split('\n')
    shift = 0  # rule/map numbers that build-dependent rows took on our side only
    for i in range(lines):
        s = server[i] if i < len(server) else None
        o = ours[i] if i < len(ours) else None
        if s is not None and srv is not None and pgserver.build_dependent(srv, s.get('error'), (o or {}).get('error')):
            lines -= 1
            if counts is not None:
                counts.build_dependent += 1
            for key in ('rule_number', 'map_number'):
                if (o or {}).get(key) is not None and s.get(key) is None:
                    shift += 1
            continue
        if shift and o is not None:
            o = dict(o)
            for key in ('rule_number', 'map_number'):
                if o.get(key) is not None:
                    o[key] -= shift
        if s != o:
            failed += 1
            if len(report) < MAX_REPORTED:
                ln = (s or o or {}).get('line_number', 0)
                report.append(f'{name}: line {ln}: {src[ln - 1][:200] if 0 < ln <= len(src) else ""!r}\n'
                              f'  server: {json.dumps(s)}\n  ours:   {json.dumps(o)}')
    return lines, failed


def compare_cases(c: pgserver.Cluster, cases: list[tuple[str, str]], file_name: str,
                  view: Callable[[], list[dict]], ours: Callable[[], tuple[int, list, str]],
                  report: list, counts: Counts | None = None) -> tuple[int, int]:
    """Writes each case to <data>/<file_name>, then compares `view()` with `ours()` (a
    run_dump): (rows compared, rows that differ). When pgconflint fails, every row of the
    server's counts as differing."""
    total = failed = 0
    for name, text in cases:
        c.write(file_name, text)
        server = view()
        rc, rows, err = ours()
        if rc != 0:
            report.append(f'{name}: pgconflint failed ({rc}): {err.strip()}')
            failed += len(server)
            total += len(server)
            continue
        n, f = compare(name, server, rows, text, report, c.server, counts)
        total += n
        failed += f
    return total, failed
