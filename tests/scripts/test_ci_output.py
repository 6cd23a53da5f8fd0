#!/usr/bin/env python3
"""The command line as CI systems and configuration management use it: validator mode
(--type, standard input, --conf), base-relative paths from any working directory, the
SARIF fields code scanning needs (validated against the SARIF 2.1.0 schema), the gcc,
checkstyle and gitlab formats, per-directory .pgconflint.toml, the Debian-path version,
help, -V and did-you-mean."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

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

    def __call__(self, *args, cwd=None, stdin=None):
        p = subprocess.run([self.binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                           input=stdin if stdin is not None else "")
        return p.returncode, p.stdout, p.stderr


TRUST_HBA = "local all all peer\nhost all all 0.0.0.0/0 trust\n"


def project_version(source):
    with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(pgconflint VERSION ([0-9.]+)", f.read()).group(1)


def test_cli_basics(run, source):
    version = project_version(source)
    for flag in ("-V", "--version"):
        rc, out, _ = run(flag)
        check(rc == 0 and out.strip() == f"pgconflint {version}", f"{flag} says the project version, got {out!r}")
    rc, out, _ = run("--help")
    check(rc == 0 and all(c in out for c in ("check", "dump", "diff", "rules", "explain", "help")),
          f"--help lists the commands, got {out!r}")
    rc, out_help, _ = run("help", "check")
    rc2, out_check, _ = run("check", "--help")
    check(rc == 0 and rc2 == 0 and out_help == out_check and "--type" in out_help, "help check == check --help")
    check("=text" in out_check, f"defaults shown in --help, got {out_check!r}")
    rc, out, _ = run("help", "dump")
    check(rc == 0 and "hba" in out and "conf" in out, f"help dump lists the kinds, got {out!r}")
    rc, out, _ = run("dump", "hba", "--help")
    check(rc == 0 and "--ssl" in out, f"dump hba --help through CLI11, got {out!r}")
    rc, out, _ = run("explain", "--help")
    check(rc == 0 and "RULE-ID" in out, f"explain --help through CLI11, got {out!r}")
    with tempfile.TemporaryDirectory(prefix="pgl-ci-") as tmp:
        rc, _, err = run("chek", cwd=tmp)
        check(rc == 2 and "did you mean 'check'" in err and "cannot read" not in err,
              f"chek: did-you-mean, no file read; got {rc} {err!r}")
        rc, _, err = run("check", "--formt", "json", ".", cwd=tmp)
        check(rc == 2 and "'--formt'" in err and "did you mean '--format'" in err, f"--formt: {err!r}")
        rc, _, err = run("rules", "--formt", "json")
        check(rc == 2 and "did you mean '--format'" in err, f"rules --formt: {err!r}")
        rc, _, err = run("dump", "hab", "x")
        check(rc == 2 and "did you mean 'hba'" in err, f"dump hab: {err!r}")
        rc, _, err = run("help", "chek")
        check(rc == 2 and "chek" in err, f"help chek names the argument: {err!r}")


def test_validator(run):
    with tempfile.TemporaryDirectory(prefix="pgl-ci-") as tmp:
        # A random name, as Ansible's validate gives: linted as postgresql.conf by default.
        rnd = os.path.join(tmp, "tmpk3j2x9")
        write(rnd, TRUST_HBA)
        rc, out, _ = run("check", "--format", "json", rnd)
        rules = {d["rule"] for d in json.loads(out)["diagnostics"]}
        check("hba-trust-over-network" not in rules, f"without --type a random name is a conf file: {rules}")
        rc, out, err = run("check", "--type", "hba", "--format", "json", rnd)
        doc = json.loads(out)
        rules = {d["rule"] for d in doc["diagnostics"]}
        check(rc == 1 and "hba-trust-over-network" in rules, f"--type hba reads it as pg_hba.conf: {rules} {err}")
        check("without its postgresql.conf" in err and "--conf" in err, f"lone hba says what is unknown: {err!r}")
        # --type conf: only that file, no neighbour pulled in.
        d = os.path.join(tmp, "server")
        write(os.path.join(d, "postgresql.conf"), "port = 5432\n")
        write(os.path.join(d, "pg_hba.conf"), TRUST_HBA)
        write(os.path.join(d, "postgresql.auto.conf"), "max_connections = 'many'\n")
        rc, out, _ = run("check", "--type", "conf", "--format", "json", os.path.join(d, "postgresql.conf"))
        doc = json.loads(out)
        files = {x["file"] for x in doc["diagnostics"]}
        check(rc == 0 and not doc["diagnostics"] and doc["summary"]["files"] == 1,
              f"--type conf reads the file alone: {files} {doc['summary']}")
        rc, out, _ = run("check", "--format", "json", d)
        check(rc == 1, "the directory itself has findings (pg_hba.conf, auto.conf)")
        # --type auto
        rc, out, _ = run("check", "--type", "auto", "--format", "json", os.path.join(d, "postgresql.auto.conf"))
        rules = {x["rule"] for x in json.loads(out)["diagnostics"]}
        check("conf-invalid-value" in rules, f"--type auto: {rules}")
        # --type ident
        ident = os.path.join(tmp, "mapfile")
        write(ident, "map1 alice\n")
        rc, out, _ = run("check", "--type", "ident", "--format", "json", ident)
        rules = {x["rule"] for x in json.loads(out)["diagnostics"]}
        check(rc == 1 and "ident-invalid-line" in rules, f"--type ident: {rules}")
        # Standard input
        rc, out, err = run("check", "--type", "hba", "--stdin-filename", "etc/pg_hba.conf", "--format", "json", "-",
                           stdin=TRUST_HBA)
        doc = json.loads(out)
        check(rc == 1 and doc["diagnostics"] and all(x["file"] == "etc/pg_hba.conf" for x in doc["diagnostics"]),
              f"stdin named by --stdin-filename: {out} {err}")
        rc, out, _ = run("check", "--type", "hba", "-", stdin=TRUST_HBA)
        check(rc == 1 and "<stdin>:2:" in out and "host all all 0.0.0.0/0 trust" in out,
              f"stdin text output with excerpt: {out!r}")
        rc, _, err = run("check", "-", stdin=TRUST_HBA)
        check(rc == 2 and "--type" in err, f"'-' without --type: {err!r}")
        rc, _, err = run("check", "--type", "hba", rnd, rnd)
        check(rc == 2 and "exactly one" in err, f"--type with two files: {err!r}")
        # --conf: the postgresql.conf a lone pg_hba.conf goes with.
        hba = os.path.join(tmp, "h", "candidate")
        write(hba, "hostssl app app 10.0.0.0/8 scram-sha-256\n")
        conf = os.path.join(tmp, "c", "postgresql.conf")
        write(conf, "ssl = off\nmax_connections = 'lots'\n")
        rc, out, _ = run("check", "--type", "hba", "--format", "json", hba)
        rules = {x["rule"] for x in json.loads(out)["diagnostics"]}
        check("hba-hostssl-while-ssl-off" not in rules, f"without --conf ssl is unknown: {rules}")
        rc, out, err = run("check", "--type", "hba", "--conf", conf, "--format", "json", hba)
        doc = json.loads(out)
        rules = {x["rule"] for x in doc["diagnostics"]}
        check(rc == 1 and rules == {"hba-hostssl-while-ssl-off"},
              f"--conf: ssl known, the conf's own findings left out: {rules} {err}")
        check("without its postgresql.conf" not in err, "--conf: no note about unknown settings")


def test_paths_and_config(run):
    with tempfile.TemporaryDirectory(prefix="pgl-ci-") as tmp:
        repo = os.path.join(tmp, "repo")
        os.makedirs(os.path.join(repo, ".git"))
        a = os.path.join(repo, "clusters", "a")
        b = os.path.join(repo, "clusters", "b")
        write(os.path.join(a, "pg_hba.conf"), "host all all 10.0.0.0/8 md5\n" + TRUST_HBA)
        write(os.path.join(b, "pg_hba.conf"), "host all all 10.0.0.0/8 md5\n" + TRUST_HBA)
        write(os.path.join(a, ".pgconflint.toml"), 'disable = ["hba-md5"]\n')
        write(os.path.join(b, ".pgconflint.toml"), 'disable = ["hba-trust-over-network"]\n')
        elsewhere = os.path.join(tmp, "elsewhere")
        os.makedirs(elsewhere)
        for cwd in (repo, os.path.join(repo, "clusters"), elsewhere):
            rc, out, _ = run("check", "--format", "json", a, b, cwd=cwd)
            doc = json.loads(out)
            got = {(x["file"], x["rule"]) for x in doc["diagnostics"]}
            check(("clusters/a/pg_hba.conf", "hba-trust-over-network") in got and
                  ("clusters/a/pg_hba.conf", "hba-md5") not in got and
                  ("clusters/b/pg_hba.conf", "hba-md5") in got and
                  ("clusters/b/pg_hba.conf", "hba-trust-over-network") not in got,
                  f"per-directory config and git-top-relative paths from {cwd}: {sorted(got)}")
            rc, out, _ = run("check", a, cwd=cwd)
            check("clusters/a/pg_hba.conf:3:" in out, f"text paths relative to the top from {cwd}: {out!r}")
            rc, out, _ = run("check", "--format", "github", a, cwd=cwd)
            check("file=clusters/a/pg_hba.conf," in out, f"github paths from {cwd}: {out!r}")
            rc, out, _ = run("check", "--format", "gcc", a, cwd=cwd)
            lines = out.splitlines()
            check(lines and all(re.match(r"^clusters/a/pg_hba\.conf:\d+:\d+: (error|warning|note): .* \[[a-z0-9-]+\]$", l)
                                for l in lines) and any(l.endswith("[hba-trust-over-network]") for l in lines),
                  f"gcc lines from {cwd}: {out!r}")
            check(len(lines) == len([x for x in doc["diagnostics"] if x["file"].startswith("clusters/a/")]),
                  "gcc: one line per finding")
        rc, out, _ = run("check", "--base-dir", os.path.join(repo, "clusters"), "--format", "json", a, cwd=elsewhere)
        check({x["file"] for x in json.loads(out)["diagnostics"]} == {"a/pg_hba.conf"}, f"--base-dir: {out}")
        # Outside any git repository: relative to the current directory.
        plain = os.path.join(tmp, "plain")
        write(os.path.join(plain, "x", "pg_hba.conf"), TRUST_HBA)
        rc, out, _ = run("check", "--format", "json", "x", cwd=plain)
        check({x["file"] for x in json.loads(out)["diagnostics"]} == {"x/pg_hba.conf"}, f"cwd-relative: {out}")
        # Unknown key: file:line and a did-you-mean.
        bad = os.path.join(tmp, "bad")
        write(os.path.join(bad, "pg_hba.conf"), "local all all peer\n")
        write(os.path.join(bad, ".pgconflint.toml"), 'fail_on = "error"\nprofil = "strict"\n')
        rc, _, err = run("check", bad)
        check(rc == 2 and ".pgconflint.toml:2" in err and "did you mean 'profile'" in err, f"unknown key: {err!r}")
        # Checkstyle and GitLab Code Quality.
        rc, out, _ = run("check", "--format", "checkstyle", a, b, cwd=elsewhere)
        root = ET.fromstring(out)
        names = [f.get("name") for f in root.findall("file")]
        check(root.tag == "checkstyle" and names == ["clusters/a/pg_hba.conf", "clusters/b/pg_hba.conf"],
              f"checkstyle files: {names}")
        errs = root.findall("file/error")
        check(len(errs) >= 2 and all(e.get("line") and e.get("severity") and e.get("source", "").startswith("pgconflint.")
                                     for e in errs), f"checkstyle errors: {out}")
        rc, out, _ = run("check", "--format", "gitlab", a, b, cwd=elsewhere)
        issues = json.loads(out)
        check(len(issues) >= 2 and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
                                       for i in issues), f"gitlab fields: {out}")
        check(len({i["fingerprint"] for i in issues}) == len(issues), f"gitlab fingerprints are distinct: {issues}")
        check({i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}, "gitlab severities")
        trust = [i for i in issues if i["check_name"] == "hba-trust-over-network"]
        check(len(trust) == 1 and trust[0]["location"] == {"path": "clusters/a/pg_hba.conf", "lines": {"begin": 3, "end": 3}}
              and trust[0]["severity"] == "critical" and trust[0]["categories"] == ["Security"], f"gitlab location: {trust}")


def test_version(run):
    with tempfile.TemporaryDirectory(prefix="pgl-ci-") as tmp:
        main = os.path.join(tmp, "etc", "postgresql", "13", "main")
        # wal_keep_size is new in 13, so a version-12 read would report it as unknown.
        write(os.path.join(main, "postgresql.conf"), "wal_keep_size = '1GB'\n")
        rc, out, err = run("check", "--format", "json", main)
        doc = json.loads(out)
        check(doc["targets"][0]["pg_version"] == 13 and doc["targets"][0]["version_source"] == "path",
              f"Debian path version: {doc.get('targets')}")
        rc, out, err = run("check", main)
        check("read as PostgreSQL 13" in err, f"text says the version: {err!r}")
        rc, out, err = run("check", "--pg-version", "12", "--format", "json", main)
        doc = json.loads(out)
        check(doc["targets"][0]["pg_version"] == 12 and any(d["rule"] == "conf-unknown-parameter" for d in doc["diagnostics"]),
              f"--pg-version wins over the path: {doc}")
        other = os.path.join(tmp, "cfg")
        write(os.path.join(other, "postgresql.conf"), "port = 5432\n")
        rc, out, err = run("check", other)
        check("read as PostgreSQL 18 (the default" in err, f"default version said: {err!r}")
        rc, out, _ = run("check", "--format", "sarif", other)
        props = json.loads(out)["runs"][0]["properties"]["targets"]
        check(props[0]["pg_version"] == 18 and props[0]["version_source"] == "default", f"sarif targets: {props}")


def sarif_run(run, *args, cwd=None):
    rc, out, err = run("check", "--format", "sarif", *args, cwd=cwd)
    return rc, json.loads(out), err


def test_sarif(run, shared):
    validator = None
    schema_path = os.path.join(shared, "reference", "sarif-schema-2.1.0.json")
    try:
        import jsonschema  # noqa: F401
        if os.path.exists(schema_path):
            with open(schema_path, encoding="utf-8") as f:
                schema = json.load(f)
            validator = jsonschema.Draft7Validator(schema) if hasattr(jsonschema, "Draft7Validator") else None
    except ImportError:
        print("python3-jsonschema is not installed: SARIF not validated against the schema", file=sys.stderr)

    def validate(doc, what):
        if validator is None:
            return
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        check(not errors, f"{what}: schema errors: {[e.message for e in errors[:3]]}")

    with tempfile.TemporaryDirectory(prefix="pgl-ci-") as tmp:
        repo = os.path.join(tmp, "repo")
        os.makedirs(os.path.join(repo, ".git"))
        srv = os.path.join(repo, "srv")
        hba_lines = ["local all all peer", "host all all 0.0.0.0/0 trust", "host all all 10.0.0.0/8 md5",
                     "host all all 10.1.0.0/16 md5"]
        write(os.path.join(srv, "pg_hba.conf"), "\n".join(hba_lines) + "\n")
        # A key the server refuses (mode 0644) and a file-level finding; a UTF-8 line.
        write(os.path.join(srv, "postgresql.conf"),
              "cluster_name = 'ünïcode'    # é\nssl = on\nssl_cert_file = 'nope.crt'\nssl_key_file = 'nope.key'\n"
              "password_encryption = md5\n")
        rc, doc, err = sarif_run(run, srv, cwd=tmp)
        validate(doc, "sarif")
        r = doc["runs"][0]
        check(r.get("columnKind") == "unicodeCodePoints", "columnKind stated")
        check(r.get("automationDetails", {}).get("id", "").startswith("pgconflint/"), "automationDetails.id")
        inv = r.get("invocations", [])
        check(len(inv) == 1 and inv[0].get("executionSuccessful") is True, f"invocations: {inv}")
        check(r.get("originalUriBaseIds", {}).get("SRCROOT", {}).get("uri") == "file://" + repo + "/",
              f"originalUriBaseIds: {r.get('originalUriBaseIds')}")
        rules = r["tool"]["driver"]["rules"]
        check(r["tool"]["driver"]["version"] == project_version(SOURCE), "driver version")
        for rule in rules:
            check(rule.get("helpUri", "").endswith(f"/{rule['id']}.md") and "/rules/" in rule["helpUri"],
                  f"helpUri of {rule['id']}: {rule.get('helpUri')}")
            tags = rule.get("properties", {}).get("tags", [])
            check(len(tags) == 1 and tags[0] in ("security", "correctness", "performance"), f"tags of {rule['id']}")
            sev = rule["properties"].get("security-severity")
            if tags == ["security"]:
                check(sev is not None and 0.0 < float(sev) <= 10.0, f"security-severity of {rule['id']}: {sev}")
            else:
                check(sev is None, f"no security-severity on non-security rule {rule['id']}")
        by_id = {x["id"]: x for x in rules}
        check(by_id["ident-invalid-line"]["helpUri"].endswith("/rules/hba/ident-invalid-line.md"),
              "helpUri uses the page's real folder")
        results = r["results"]
        check(len(results) >= 4, f"findings: {[x['ruleId'] for x in results]}")
        for res in results:
            loc = res["locations"][0]["physicalLocation"]
            check(loc["artifactLocation"].get("uriBaseId") == "SRCROOT" and
                  loc["artifactLocation"]["uri"].startswith("srv/"), f"relative uri: {loc['artifactLocation']}")
            check(loc.get("region", {}).get("startLine", 0) >= 1, f"region.startLine on {res['ruleId']}")
            check(isinstance(res.get("partialFingerprints", {}).get("pgconflint/v1"), str), "partialFingerprints")
        fps = [x["partialFingerprints"]["pgconflint/v1"] for x in results]
        check(len(set(fps)) == len(fps), f"fingerprints distinct: {fps}")
        # Code point columns: the comment after a two-byte character.
        utf = [x for x in results if x["ruleId"] == "conf-password-encryption-md5"]
        # Lines move: add lines on top of both files, the fingerprints stay.
        write(os.path.join(srv, "pg_hba.conf"), "# moved\n\n" + "\n".join(hba_lines) + "\n")
        with open(os.path.join(srv, "postgresql.conf"), encoding="utf-8") as f:
            conf = f.read()
        write(os.path.join(srv, "postgresql.conf"), "# a comment\n" + conf)
        rc, doc2, _ = sarif_run(run, srv, cwd=tmp)
        res2 = doc2["runs"][0]["results"]
        check(sorted(fps) == sorted(x["partialFingerprints"]["pgconflint/v1"] for x in res2),
              "fingerprints stable when lines move")
        moved = {x["partialFingerprints"]["pgconflint/v1"]: x for x in res2}
        for res in results:
            fp = res["partialFingerprints"]["pgconflint/v1"]
            old = res["locations"][0]["physicalLocation"]["region"]["startLine"]
            new = moved[fp]["locations"][0]["physicalLocation"]["region"]["startLine"]
            check(new > old or old == 1, f"{res['ruleId']} moved from {old} to {new}")
        # Notices printed on stderr are invocation notifications.
        lone = os.path.join(repo, "lone", "pg_hba.conf")
        write(lone, hba_lines[1] + "\n")
        rc, doc3, err = sarif_run(run, lone, cwd=tmp)
        validate(doc3, "sarif lone hba")
        notes = [n["message"]["text"] for n in doc3["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])]
        check(any("without its postgresql.conf" in n for n in notes) and "without its postgresql.conf" in err,
              f"notifications: {notes}")
        # A unicode column: startColumn counts code points.
        uni = os.path.join(repo, "uni", "pg_hba.conf")
        write(uni, "host \"é\u00e9\" all 0.0.0.0/0 trust\n")
        rc, doc4, _ = sarif_run(run, uni, cwd=tmp)
        validate(doc4, "sarif unicode")
        trust = [x for x in doc4["runs"][0]["results"] if x["ruleId"] == "hba-trust-over-network"]
        col = trust[0]["locations"][0]["physicalLocation"]["region"].get("startColumn") if trust else None
        check(col == "host \"éé\" all 0.0.0.0/0 ".__len__() + 1, f"startColumn in code points: {col}")
        # --rule-url and rule_url
        rc, doc5, _ = sarif_run(run, "--rule-url", "https://x.example/{area}/{id}?v={version}", uni, cwd=tmp)
        uri = {x["id"]: x["helpUri"] for x in doc5["runs"][0]["tool"]["driver"]["rules"]}["hba-md5"]
        check(uri == f"https://x.example/hba/hba-md5?v={project_version(SOURCE)}", f"--rule-url: {uri}")
        write(os.path.join(repo, ".pgconflint.toml"), 'rule_url = "https://y.example/{path}"\n')
        rc, doc6, _ = sarif_run(run, uni, cwd=tmp)
        uri = {x["id"]: x["helpUri"] for x in doc6["runs"][0]["tool"]["driver"]["rules"]}["hba-md5"]
        check(uri == "https://y.example/rules/hba/hba-md5.md", f"rule_url in .pgconflint.toml: {uri}")
        del utf


SOURCE = ""


def main():
    global SOURCE
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    SOURCE = args.source
    run = Runner(os.path.abspath(args.binary))
    test_cli_basics(run, args.source)
    test_validator(run)
    test_paths_and_config(run)
    test_version(run)
    test_sarif(run, args.shared)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
