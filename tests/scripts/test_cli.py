#!/usr/bin/env python3
"""Runs the real pgconflint binary: exit codes 0/1/2, every output format, --quiet,
project configuration and usage errors of check, rules and explain."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Runner:
    def __init__(self, binary):
        self.binary = binary

    def __call__(self, *args, cwd=None):
        p = subprocess.run([self.binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr


CLEAN_HBA = "# TYPE DATABASE USER ADDRESS METHOD\nlocal all all peer\n"
DIRTY_HBA = (
    "local all all peer\n"
    "hostssl all app 10.0.0.0/8 ldap ldapserver=l ldapbasedn=\"dc=x\" ldaptls=1 ldapbindpasswd=hunter2"
    " # pgconflint: disable=hba-no-such-rule\n"
)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    args = ap.parse_args()
    run = Runner(os.path.abspath(args.binary))

    with tempfile.TemporaryDirectory(prefix="pgl-cli-") as tmp:
        clean = os.path.join(tmp, "clean")
        dirty = os.path.join(tmp, "dirty")
        write(os.path.join(clean, "pg_hba.conf"), CLEAN_HBA)
        write(os.path.join(dirty, "pg_hba.conf"), DIRTY_HBA)

        # --- the checked directory itself is named "." when it is the working directory
        write(os.path.join(clean, "PG_VERSION"), "16\n")
        rc, out, err = run("check", ".", cwd=clean)
        check(rc == 0 and "pgconflint: note: .: read as PostgreSQL 16 (from PG_VERSION)" in err,
              f"check . names the directory '.': rc {rc}, stderr {err!r}")
        os.unlink(os.path.join(clean, "PG_VERSION"))

        # --- exit codes and text output
        rc, out, err = run("check", clean, cwd=tmp)
        check(rc == 0, f"clean: exit 0, got {rc} ({err})")
        check(out.strip() == "no problems in 1 file", f"clean: summary, got {out!r}")

        rc, out, err = run("check", dirty, cwd=tmp)
        check(rc == 1, f"dirty: exit 1, got {rc} ({err})")
        check("dirty/pg_hba.conf:2:119: warning: suppression names unknown rule 'hba-no-such-rule' "
              "[lint-unused-suppression]" in out, f"dirty: compiler-style line, got {out!r}")
        check("   2 | hostssl all app" in out and "^~~~" in out, f"dirty: excerpt with gutter and caret, got {out!r}")
        check("hunter2" not in out and "ldapbindpasswd=***" in out, f"dirty: secret masked, got {out!r}")
        check(out.rstrip().endswith("0 errors, 1 warning, 0 notes in 1 file"), f"dirty: summary, got {out!r}")
        check("\033[" not in out, "no color when stdout is not a terminal")

        rc, out, _ = run("check", dirty, "--color", "always", cwd=tmp)
        check(rc == 1 and "\033[" in out, "--color always colors")

        # The default command is check.
        rc, out, _ = run(dirty, cwd=tmp)
        check(rc == 1 and "[lint-unused-suppression]" in out, "path without a command runs check")

        for fail_on, want in (("error", 0), ("warning", 1), ("note", 1), ("never", 0)):
            rc, _, err = run("check", dirty, "--fail-on", fail_on)
            check(rc == want, f"--fail-on {fail_on}: exit {want}, got {rc} ({err})")

        # Two paths: two nodes, findings of both.
        rc, out, _ = run("check", clean, dirty, cwd=tmp)
        check(rc == 1 and "in 2 files" in out, f"two paths, got {out!r}")

        # --- quiet
        rc, out, _ = run("check", "--quiet", clean)
        check(rc == 0 and out == "", f"--quiet clean prints nothing, got {out!r}")
        rc, out, _ = run("check", "--quiet", "--fail-on", "error", dirty)
        check(rc == 0 and out == "", f"--quiet hides findings below --fail-on, got {out!r}")
        rc, out, _ = run("check", "-q", dirty)
        check(rc == 1 and "[lint-unused-suppression]" in out, "--quiet shows findings at or above --fail-on")

        # --- formats
        rc, out, err = run("check", "--format", "json", dirty)
        check(rc == 1, f"json: exit 1, got {rc} ({err})")
        doc = json.loads(out)
        check(doc["version"] == 1, "json: version 1")
        d = doc["diagnostics"][0]
        check(set(d) == {"rule", "severity", "message", "file", "line", "column", "end_line", "end_column",
                         "related", "help"}, f"json: diagnostic keys, got {sorted(d)}")
        check((d["rule"], d["line"], d["column"]) == ("lint-unused-suppression", 2, 119), f"json: location {d}")
        check(doc["summary"] == {"errors": 0, "warnings": 1, "notes": 0, "files": 1}, f"json summary {doc['summary']}")
        check("hunter2" not in out, "json: no secret")

        rc, out, _ = run("check", "--format", "sarif", dirty, cwd=tmp)
        sarif = json.loads(out)
        check(sarif["version"] == "2.1.0", "sarif: version")
        res = sarif["runs"][0]["results"][0]
        check(res["ruleId"] == "lint-unused-suppression" and res["level"] == "warning", f"sarif result {res}")
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        check(uri == "dirty/pg_hba.conf", f"sarif: uri relative to the cwd, got {uri}")

        rc, out, _ = run("check", "--format", "github", dirty, cwd=tmp)
        check(rc == 1 and out.startswith("::warning file=dirty/pg_hba.conf,line=2,col=119,endColumn=135,"
                                         "title=lint-unused-suppression::"), f"github, got {out!r}")
        check(out.count("\n") == 1, "github: one line per finding")

        # --- project configuration
        proj = os.path.join(tmp, "proj")
        write(os.path.join(proj, ".pgconflint.toml"), '[severity]\n"lint-unused-suppression" = "note"\n')
        write(os.path.join(proj, "node", "pg_hba.conf"), DIRTY_HBA)
        rc, out, _ = run("check", os.path.join(proj, "node"))
        check(rc == 0 and ": note: " in out, f".pgconflint.toml found by walking up, got {rc} {out!r}")
        rc, out, _ = run("check", "--fail-on", "note", os.path.join(proj, "node"))
        check(rc == 1, "--fail-on note counts the lowered severity")

        other = os.path.join(tmp, "other.toml")
        write(other, 'disable = ["lint-unused-suppression"]\n')
        rc, out, _ = run("check", "--config", other, os.path.join(proj, "node"))
        check(rc == 0 and out.strip() == "no problems in 1 file", f"--config replaces the found file, got {out!r}")
        rc, out, _ = run("check", "--config", other, "--enable", "lint-unused-suppression", dirty)
        check(rc == 1, "--enable on the command line wins over disable in the file")

        bad = os.path.join(tmp, "bad", ".pgconflint.toml")
        write(bad, 'profile = "strict"\nfail_on = "sometimes"\n')
        write(os.path.join(tmp, "bad", "node", "pg_hba.conf"), CLEAN_HBA)
        rc, out, err = run("check", os.path.join(tmp, "bad", "node"))
        check(rc == 2 and f"{bad}:2:11: unknown fail_on 'sometimes'" in err, f"bad project config, got {rc} {err!r}")
        write(bad, 'profile = "strict"\n[rules.\n')
        rc, _, err = run("check", os.path.join(tmp, "bad", "node"))
        check(rc == 2 and f"{bad}:2" in err, f"toml syntax error names file and line, got {err!r}")

        # --- usage and input errors: exit 2
        for argv, needle in (
            (["check"], "PATH"),
            (["check", clean, "--format", "xml"], "--format"),
            (["check", clean, "--fail-on", "sometimes"], "--fail-on"),
            (["check", clean, "--bogus"], "bogus"),
            (["check", clean, "--enable", "lint-unused-supression"], "did you mean 'lint-unused-suppression'"),
            (["check", clean, "--disable", "nope-nope"], "unknown rule id 'nope-nope'"),
            (["check", clean, "--now", "yesterday"], "--now"),
            (["check", clean, "--pg-version", "9"], "--pg-version"),
            (["check", os.path.join(tmp, "missing")], "missing"),
            (["check", clean, "--config", os.path.join(tmp, "nope.toml")], "nope.toml"),
            (["explain", "lint-unused-supression"], "did you mean 'lint-unused-suppression'"),
            (["explain"], "usage"),
            (["rules", "--format", "xml"], "--format"),
        ):
            rc, out, err = run(*argv)
            check(rc == 2, f"{argv}: exit 2, got {rc}")
            check(needle in err, f"{argv}: stderr mentions {needle!r}, got {err!r}")
            check(out == "", f"{argv}: nothing on stdout, got {out!r}")

        rc, out, _ = run("check", "--help")
        check(rc == 0 and "--fail-on" in out, "check --help")

        # --- rules and explain
        rc, out, _ = run("rules")
        check(rc == 0 and out.startswith("ID") and "lint-unused-suppression" in out, f"rules table, got {out!r}")
        # the README lists the rules as `pgconflint rules` prints them, every rule
        with open(os.path.join(args.source, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        start = readme.find("```\n$ pgconflint rules\n")
        listed = readme[start:].split("\n", 2)[2].split("```", 1)[0] if start >= 0 else ""
        check(listed == out, "README.md's `pgconflint rules` listing is the command's output (regenerate it)")
        rc, out, _ = run("rules", "--format", "json")
        rules = json.loads(out)
        check(rc == 0 and any(r["id"] == "lint-unused-suppression" and r["severity"] == "warning"
                              and r["profile"] == "default" for r in rules), "rules --format json")
        check([r["id"] for r in rules] == sorted(r["id"] for r in rules), "rules sorted by id")
        rc, out, _ = run("explain", "lint-unused-suppression")
        check(rc == 0 and "## What it does" in out, "explain prints the doc page")

        # --- repository mode: a certificate that is not in the copy is a note, not an error
        repo = os.path.join(tmp, "repo")
        write(os.path.join(repo, "postgresql.conf"),
              "ssl = on\nssl_cert_file = '/etc/ssl/certs/db.crt'\nssl_key_file = '/etc/ssl/private/db.key'\n")
        rc, out, _ = run("check", "--format", "json", "--fail-on", "warning", repo)
        found = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "ssl-file-missing"]
        check(rc == 1 and found and all(d["severity"] == "error" for d in found),
              f"without --repo a missing certificate is an error, got {found}")
        rc, out, _ = run("check", "--repo", "--format", "json", "--fail-on", "warning", repo)
        found = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "ssl-file-missing"]
        check(len(found) == 2 and all(d["severity"] == "note" and "could not be checked" in d["message"]
                                      for d in found), f"--repo: one note per missing file, got {found}")
        write(os.path.join(repo, ".pgconflint.toml"), "repo = true\n")
        rc, out, _ = run("check", "--format", "json", repo)
        found = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "ssl-file-missing"]
        check(len(found) == 2 and all(d["severity"] == "note" for d in found),
              f"repo = true in .pgconflint.toml, got {found}")

    # The README's examples: the hardened samples are clean (their keys copied to a
    # temporary directory at mode 0600, since git does not keep file modes), careless is not.
    samples = os.path.join(args.source, "samples")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("hardened-primary", "replica", "careless"):
            subprocess.run(["cp", "-r", os.path.join(samples, name), tmp], check=True)
            for f in os.listdir(os.path.join(tmp, name)):
                if f.endswith(".key"):
                    os.chmod(os.path.join(tmp, name, f), 0o600)
        rc, out, err = run("check", os.path.join(tmp, "hardened-primary"), os.path.join(tmp, "replica"))
        check(rc == 0 and out.startswith("no problems"), f"samples hardened-primary and replica are clean: {out}{err}")
        rc, out, _ = run("check", os.path.join(tmp, "careless"))
        check(rc == 1 and "[hba-trust-over-network]" in out, f"samples/careless has findings: {out}")

    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed", file=sys.stderr)
        return 1
    print("test_cli: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
