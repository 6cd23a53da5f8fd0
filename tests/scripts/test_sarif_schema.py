#!/usr/bin/env python3
"""Validates `pgconflint check --format sarif` output against the SARIF 2.1.0 schema
(<shared>/reference/sarif-schema-2.1.0.json), for a clean run, a run with findings and
the sample configurations."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:  # python3-jsonschema
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    args = ap.parse_args()
    args.binary = os.path.abspath(args.binary)
    args.source = os.path.abspath(args.source)
    schema_path = os.path.join(args.shared, "reference", "sarif-schema-2.1.0.json")
    if not os.path.exists(schema_path):
        print(f"missing {schema_path}", file=sys.stderr)
        return 77
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    failures = 0
    with tempfile.TemporaryDirectory(prefix="pgl-sarif-") as tmp:
        clean = os.path.join(tmp, "clean")
        dirty = os.path.join(tmp, "dir with space")
        os.makedirs(clean)
        os.makedirs(dirty)
        with open(os.path.join(clean, "pg_hba.conf"), "w") as f:
            f.write("local all all peer\n")
        with open(os.path.join(dirty, "pg_hba.conf"), "w") as f:
            f.write("local sales all peer # pgconflint: disable=nope\n# pgconflint: what\nlocal all all peer\n")
        targets = [[clean], [dirty], [clean, dirty]]
        samples = os.path.join(args.source, "samples")
        if os.path.isdir(samples):
            targets += [[d] for d, _, files in sorted(os.walk(samples))
                        if "postgresql.conf" in files or "pg_hba.conf" in files]
        for target in targets:
            for cwd in (tmp, "/"):
                p = subprocess.run([args.binary, "check", "--format", "sarif", "--fail-on", "never", *target],
                                   cwd=cwd, capture_output=True, text=True, timeout=120)
                if p.returncode != 0:
                    print(f"FAIL: {target}: exit {p.returncode}: {p.stderr}", file=sys.stderr)
                    failures += 1
                    continue
                doc = json.loads(p.stdout)
                errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
                for e in errors[:5]:
                    print(f"FAIL: {target} (cwd {cwd}): {'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
                failures += len(errors) > 0
                if target == [dirty]:
                    results = doc["runs"][0]["results"]
                    if len(results) != 2:
                        print(f"FAIL: expected 2 results, got {len(results)}", file=sys.stderr)
                        failures += 1
                    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    want = "dir%20with%20space/pg_hba.conf" if cwd == tmp else "tmp"
                    if (cwd == tmp and uri != want) or (cwd == "/" and not uri.startswith("tmp/")):
                        print(f"FAIL: uri {uri!r} (cwd {cwd})", file=sys.stderr)
                        failures += 1
    if failures:
        return 1
    print("test_sarif_schema: all outputs valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
