#!/usr/bin/env python3
"""Runs the real `pre-commit try-repo <source> pgconflint --all-files` in a throwaway git
repository, offline (PRE_COMMIT_HOME in a temporary directory): the hook must fail on a bad
pg_hba.conf and show the diagnostic, and pass on a clean one."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    source = os.path.abspath(args.source)
    if shutil.which("pre-commit") is None or shutil.which("git") is None:
        print("pre-commit or git is not installed", file=sys.stderr)
        return 77
    if not os.path.exists(os.path.join(source, ".pre-commit-hooks.yaml")):
        print("FAIL: no .pre-commit-hooks.yaml at the repository root", file=sys.stderr)
        return 1

    failures = 0
    with tempfile.TemporaryDirectory(prefix="pgl-precommit-") as tmp:
        bindir = os.path.join(tmp, "bin")
        os.makedirs(bindir)
        os.symlink(binary, os.path.join(bindir, "pgconflint"))
        env = dict(os.environ)
        env.update({
            "PRE_COMMIT_HOME": os.path.join(tmp, "cache"),
            "PATH": bindir + os.pathsep + env.get("PATH", ""),
            "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "GIT_CONFIG_NOSYSTEM": "1", "HOME": tmp, "NO_COLOR": "1",
        })
        env.pop("PGCONFLINT", None)
        env.pop("GIT_DIR", None)
        env.pop("GIT_WORK_TREE", None)

        def make_repo(name, files):
            repo = os.path.join(tmp, name)
            os.makedirs(repo)
            subprocess.run(["git", "init", "-q", repo], check=True, env=env)
            for rel, text in files.items():
                path = os.path.join(repo, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
            return repo

        def try_repo(repo):
            p = subprocess.run(["pre-commit", "try-repo", source, "pgconflint", "--all-files"],
                               cwd=repo, env=env, capture_output=True, text=True, timeout=300)
            return p.returncode, p.stdout + p.stderr

        bad = make_repo("bad", {
            "servers/db1/pg_hba.conf": "local all postgres peer\n"
                                       "host all all 0.0.0.0/0 trust  # pgconflint: disable=hba-no-such-rule\n",
            "servers/db1/conf.d/extra.conf": "# nothing here\n",
            "README": "not a configuration file\n",
        })
        rc, out = try_repo(bad)
        if rc == 0:
            print(f"FAIL: hook passed on a bad pg_hba.conf:\n{out}", file=sys.stderr)
            failures += 1
        if "servers/db1/pg_hba.conf:2:" not in out or "[lint-unused-suppression]" not in out:
            print(f"FAIL: diagnostic not shown:\n{out}", file=sys.stderr)
            failures += 1

        clean = make_repo("clean", {
            "servers/db1/pg_hba.conf": "# TYPE DATABASE USER ADDRESS METHOD\nlocal all postgres peer\n",
            "README": "not a configuration file\n",
        })
        rc, out = try_repo(clean)
        if rc != 0 or "Passed" not in out:
            print(f"FAIL: hook did not pass on a clean pg_hba.conf (exit {rc}):\n{out}", file=sys.stderr)
            failures += 1

        # Only configuration files are passed: a repository without any is skipped.
        none = make_repo("none", {"README": "nothing\n"})
        rc, out = try_repo(none)
        if rc != 0 or "no files to check" not in out.lower():
            print(f"FAIL: repository without configuration files (exit {rc}):\n{out}", file=sys.stderr)
            failures += 1

    if failures:
        return 1
    print("test_precommit: hook fails on a bad configuration and passes on a clean one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
