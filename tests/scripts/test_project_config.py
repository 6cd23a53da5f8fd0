#!/usr/bin/env python3
"""`.pgconflint.toml` validated against the rules' declared options, through the real binary:
a network that is not a CIDR, a mistyped option name (did-you-mean), a value of the wrong
type, several errors in one file all printed (file:line:column, in file order, exit 2), in
`check` and in `diff`; a good file is accepted and its options change what the rules report;
`explain` lists a rule's options."""
import argparse
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)

    def run(*args, cwd=None):
        p = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    with tempfile.TemporaryDirectory(prefix="pgl-projcfg-") as tmp:
        node = os.path.join(tmp, "node")
        write(os.path.join(node, "pg_hba.conf"),
              "local all all peer\n"
              "host all all 10.99.1.0/24 trust\n"
              "host all dba 10.0.0.0/8 scram-sha-256\n")
        toml = os.path.join(tmp, ".pgconflint.toml")

        def lint(text, *extra):
            write(toml, text)
            return run("check", node, "--format", "gcc", *extra)

        # --- no configuration: the defaults
        if os.path.exists(toml):
            os.remove(toml)
        rc, out, err = run("check", node, "--format", "gcc")
        check(rc == 1 and "[hba-trust-over-network]" in out, f"trust from 10.99.1.0/24 reported: {rc} {out!r} {err!r}")
        check("dba" not in out, f"dba is not a superuser by default: {out!r}")

        # --- a good file: the options take effect
        rc, out, err = lint('[rules."hba-trust-over-network"]\ntrusted_networks = ["10.99.0.0/16", "::1"]\n'
                            '[rules."hba-superuser-from-network"]\nsuperusers = ["dba"]\n')
        check(rc in (0, 1) and "error:" not in err, f"good file accepted: {rc} {err!r}")
        check("[hba-trust-over-network]" not in out, f"trusted_networks takes effect: {out!r}")
        check("[hba-superuser-from-network]" in out and "`dba`" in out, f"superusers takes effect: {out!r}")
        rc, out, err = lint('[rules."hba-trust-over-network"]\ntrusted_networks = ["10.98.0.0/16"]\n')
        check("[hba-trust-over-network]" in out, f"a network that does not cover the line: still reported: {out!r}")

        # --- one error each
        cases = [
            ('[rules."hba-trust-over-network"]\ntrusted_networks = ["10.99.0.0/33"]\n',
             f'{toml}:2:21: \'hba-trust-over-network.trusted_networks\': invalid CIDR mask in address "10.99.0.0/33"'),
            ('[rules."hba-trust-over-network"]\ntrusted_networks = ["10.99.0.0/16", "intranet"]\n',
             f'{toml}:2:37: \'hba-trust-over-network.trusted_networks\': "intranet" is not an IP address'),
            ('[rules."hba-trust-over-network"]\ntrusted_networks = ["10.256.0.0/16"]\n',
             f'{toml}:2:21: \'hba-trust-over-network.trusted_networks\': "10.256.0.0" is not an IP address'),
            ('[rules."hba-trust-over-network"]\ntrusted_network = ["10.99.0.0/16"]\n',
             f"{toml}:2:1: unknown option 'trusted_network' of rule hba-trust-over-network "
             "(did you mean 'trusted_networks'?)"),
            ('[rules."hba-superuser-from-network"]\nsuperusers = "dba"\n',
             f"{toml}:2:14: 'hba-superuser-from-network.superusers' must be an array of strings"),
            ('[rules."hba-md5"]\nstrict = true\n', f"{toml}:2:1: unknown option 'strict': rule hba-md5 has no options"),
            ('[rules."hba-trust-over-netwrk"]\n',
             f"{toml}:1:8: unknown rule id 'hba-trust-over-netwrk' (did you mean 'hba-trust-over-network'?)"),
            ('disable = ["hba-md6"]\n', f"{toml}:1:12: unknown rule id 'hba-md6' (did you mean 'hba-md5'?)"),
            ('[severity]\n"hba-md6" = "error"\n', f"{toml}:2:1: unknown rule id 'hba-md6' (did you mean 'hba-md5'?)"),
        ]
        for text, needle in cases:
            rc, out, err = lint(text)
            check(rc == 2 and needle in err and out == "", f"{text!r}: exit 2 with {needle!r}, got {rc} {err!r}")

        # --- several errors in one file: all of them, in file order, one per line
        text = ('profil = "strict"\n'
                '[rules."hba-trust-over-network"]\n'
                'trusted_networks = ["10.0.0.0/8", "10.0.0.0/40", 10]\n'
                'trusted_network = []\n'
                '[rules."hba-superuser-from-network"]\n'
                'superusers = [1]\n'
                '[severity]\n'
                '"hba-md5" = "fatal"\n')
        rc, out, err = lint(text)
        lines = err.splitlines()
        expected = [
            f"pgconflint: error: {toml}: 6 errors",
            f"{toml}:1:1: unknown key 'profil' (did you mean 'profile'?)",
            f"{toml}:3:35: 'hba-trust-over-network.trusted_networks': invalid CIDR mask in address \"10.0.0.0/40\"",
            f"{toml}:3:50: 'hba-trust-over-network.trusted_networks' must be an array of CIDRs (e.g. [\"10.0.0.0/8\"])",
            f"{toml}:4:1: unknown option 'trusted_network' of rule hba-trust-over-network "
            "(did you mean 'trusted_networks'?)",
            f"{toml}:6:15: 'hba-superuser-from-network.superusers' must be an array of strings",
            f"{toml}:8:13: unknown severity 'fatal' for 'hba-md5' (expected error, warning or note)",
        ]
        check(rc == 2 and lines == expected, f"all errors at once: {rc}\n" + "\n".join(lines))

        # --- the same validation in diff (it reads the same file)
        other = os.path.join(tmp, "node2")
        write(os.path.join(other, "pg_hba.conf"), "local all all peer\n")
        write(toml, '[rules."hba-trust-over-network"]\ntrusted_networks = ["nope"]\n')
        rc, _, err = run("diff", node, other, "--config", toml)
        check(rc == 2 and f"{toml}:2:21:" in err and '"nope" is not an IP address' in err, f"diff: {rc} {err!r}")

        # --- explain shows the options from the page
        rc, out, _ = run("explain", "hba-trust-over-network")
        check(rc == 0 and "`trusted_networks` (list of CIDRs" in out and '[rules."hba-trust-over-network"]' in out,
              f"explain lists trusted_networks: {out!r}")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
