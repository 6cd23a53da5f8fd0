#!/usr/bin/env python3
"""The install tree (`cmake --install`), the man pages (rendered by `man -l`), the bash and
zsh completions (loaded and run by the shells), and the Debian package (built by CPack,
unpacked into a throwaway root, its binary run)."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


EXPECTED = [
    "bin/pgconflint",
    "share/man/man1/pgconflint.1",
    "share/man/man7/pgconflint-rules.7",
    "share/bash-completion/completions/pgconflint",
    "share/zsh/site-functions/_pgconflint",
    "share/fish/vendor_completions.d/pgconflint.fish",
]


def rule_ids(binary):
    out = sh([binary, "rules"]).stdout.splitlines()[1:]
    return [line.split()[0] for line in out if line.strip()]


def bash_complete(script, words, env_dir):
    """COMPREPLY for the words typed so far (the last one is being completed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    prog = (f"source '{script}'\nCOMP_WORDS=({quoted})\nCOMP_CWORD={len(words) - 1}\n"
            "_pgconflint\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    p = sh(["bash", "--norc", "--noprofile", "-c", prog], cwd=env_dir)
    check(p.returncode == 0, f"bash completion ran: {p.stderr}")
    return p.stdout.split()


def zsh_complete(site_functions, words, env_dir):
    """What _pgconflint offers, with compadd/_describe/_files standing in for the completion
    system (their arguments are printed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    prog = ("compadd() { local a; if [[ $1 == -a ]]; then print -l -- ${(P)2}; else shift $(( ${@[(i)--]} )); print -l -- \"$@\"; fi }\n"
            "_describe() { print -l -- ${(P)4%%:*}; }\n"
            "_files() { print -- __files__; }\n"
            f"fpath=('{site_functions}' $fpath)\nautoload -Uz _pgconflint\n"
            f"words=({quoted})\nCURRENT={len(words)}\n_pgconflint\n")
    p = sh(["zsh", "-f", "-c", prog], cwd=env_dir)
    check(p.returncode == 0, f"zsh completion ran: {p.stderr}")
    return p.stdout.split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", default="")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    build = os.path.dirname(binary)
    with open(os.path.join(args.source, "CMakeLists.txt"), encoding="utf-8") as f:
        version = re.search(r"project\(pgconflint VERSION ([0-9.]+)", f.read()).group(1)
    ids = rule_ids(binary)
    check(len(ids) > 30, f"rule ids: {ids[:5]}")

    # The man pages and completions are part of the default build (target pgl_docs, ALL): the
    # test installs what was built and never rebuilds, since the other suites running beside it
    # execute build/pgconflint (a relink would make them fail with "Permission denied").

    with tempfile.TemporaryDirectory(prefix="pgl-install-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        p = sh(["cmake", "--install", build, "--prefix", prefix])
        check(p.returncode == 0, f"cmake --install: {p.stderr}")
        tree = sorted(os.path.relpath(os.path.join(d, f), prefix) for d, _, fs in os.walk(prefix) for f in fs)
        print("install tree:\n  " + "\n  ".join(tree))
        for e in EXPECTED:
            check(e in tree, f"installed {e}")
        installed = os.path.join(prefix, "bin", "pgconflint")
        p = sh([installed, "--version"])
        check(p.stdout.strip() == f"pgconflint {version}", f"installed binary runs: {p.stdout!r}")

        # Man pages, rendered by man -l.
        if shutil.which("man"):
            env = dict(os.environ, MANWIDTH="100", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
            p = sh(["man", "-l", "-P", "cat", os.path.join(prefix, "share/man/man1/pgconflint.1")], env=env)
            page = re.sub(r".\x08", "", p.stdout)
            check(p.returncode == 0 and "SYNOPSIS" in page and "pgconflint check" in page, f"man -l pgconflint.1: {p.stderr}")
            # Every option of check --help is in the man page.
            help_text = sh([binary, "check", "--help"]).stdout
            for opt in sorted(set(re.findall(r"(--[a-z][a-z-]+)", help_text))):
                check(opt in page, f"man page has {opt}")
            check("--stdin-filename" in page and "one of: text, json, sarif" in page, "man page option details")
            check(re.search(r"warnings?\s+at or above|findings at or above", page) is not None, "exit status section")
            p = sh(["man", "-l", "-P", "cat", os.path.join(prefix, "share/man/man7/pgconflint-rules.7")], env=env)
            page7 = re.sub(r".\x08", "", p.stdout)
            check(p.returncode == 0, f"man -l pgconflint-rules.7: {p.stderr}")
            missing = [i for i in ids if i not in page7]
            check(not missing, f"rule pages in pgconflint-rules(7): missing {missing[:5]}")
            check("Why is this bad" in page7, "rule page sections in pgconflint-rules(7)")
            warn = sh(["groff", "-man", "-Tutf8", "-ww", "-z", os.path.join(prefix, "share/man/man7/pgconflint-rules.7")])
            # Long unbreakable words (paths, URLs) only make lines that cannot be justified.
            real = [w for w in warn.stderr.splitlines()
                    if "cannot adjust line" not in w and "can't break line" not in w and "cannot break line" not in w]
            check(warn.returncode == 0 and not real, f"groff warnings: {real[:5]}")
        else:
            print("man is not installed: man pages not rendered", file=sys.stderr)

        # bash completion
        script = os.path.join(prefix, "share/bash-completion/completions/pgconflint")
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        open(os.path.join(work, "pg_hba.conf"), "w").close()
        got = bash_complete(script, ["pgconflint", "ch"], work)
        check("check" in got, f"bash: commands: {got}")
        got = bash_complete(script, ["pgconflint", "check", "--format", ""], work)
        check({"text", "json", "sarif", "github", "gcc", "checkstyle", "gitlab"} <= set(got), f"bash: --format values: {got}")
        got = bash_complete(script, ["pgconflint", "check", "--ty"], work)
        check(got == ["--type"], f"bash: options: {got}")
        got = bash_complete(script, ["pgconflint", "explain", "hba-m"], work)
        check("hba-md5" in got and all(g.startswith("hba-m") for g in got), f"bash: rule ids: {got}")
        got = bash_complete(script, ["pgconflint", "check", "--disable", "ssl-cert-ex"], work)
        check(set(got) == {"ssl-cert-expired", "ssl-cert-expiring"}, f"bash: --disable rule ids: {got}")
        got = bash_complete(script, ["pgconflint", "dump", ""], work)
        check(set(got) == {"hba", "conf", "ident"}, f"bash: dump kinds: {got}")
        got = bash_complete(script, ["pgconflint", "dump", "hba", "--s"], work)
        check("--ssl" in got and "--show-secrets" in got, f"bash: dump hba options: {got}")
        got = bash_complete(script, ["pgconflint", "check", "pg_h"], work)
        check(got == ["pg_hba.conf"], f"bash: files: {got}")

        # zsh completion
        if shutil.which("zsh"):
            site = os.path.join(prefix, "share/zsh/site-functions")
            p = sh(["zsh", "-n", os.path.join(site, "_pgconflint")])
            check(p.returncode == 0, f"zsh -n: {p.stderr}")
            p = sh(["zsh", "-f", "-c", f"fpath=('{site}' $fpath); autoload -Uz compinit; compinit -u -d {tmp}/zcd; "
                    "print ${_comps[pgconflint]}"])
            check(p.stdout.strip() == "_pgconflint", f"zsh compinit registers _pgconflint: {p.stdout!r} {p.stderr!r}")
            got = zsh_complete(site, ["pgconflint", ""], work)
            check("check" in got and "explain" in got and "__files__" in got, f"zsh: commands: {got}")
            got = zsh_complete(site, ["pgconflint", "check", "--format", ""], work)
            check({"text", "sarif", "gitlab"} <= set(got), f"zsh: --format values: {got}")
            got = zsh_complete(site, ["pgconflint", "explain", ""], work)
            check(set(ids) <= set(got), f"zsh: rule ids: {got[:5]}")
            got = zsh_complete(site, ["pgconflint", "check", "-"], work)
            check("--type" in got and "--stdin-filename" in got, f"zsh: options: {got}")
        else:
            print("zsh is not installed (scripts/setup.sh installs it): zsh completion not run", file=sys.stderr)
        if shutil.which("fish"):
            p = sh(["fish", "--no-config", "-c",
                    f"source {prefix}/share/fish/vendor_completions.d/pgconflint.fish; complete -C 'pgconflint check --format '"])
            check(p.returncode == 0 and "sarif" in p.stdout, f"fish: --format values: {p.stdout!r} {p.stderr!r}")

        # Debian package
        if shutil.which("dpkg-deb") and shutil.which("cpack"):
            out = os.path.join(tmp, "deb")
            p = sh(["cpack", "-G", "DEB", "-B", out, "--config", os.path.join(build, "CPackConfig.cmake")], cwd=build)
            debs = [f for f in os.listdir(out) if f.endswith(".deb")] if os.path.isdir(out) else []
            check(p.returncode == 0 and len(debs) == 1, f"cpack: {p.stdout[-1500:]} {p.stderr[-1500:]}")
            if debs:
                deb = os.path.join(out, debs[0])
                check(debs[0].startswith(f"pgconflint_{version}_"), f"package name: {debs[0]}")
                depends = sh(["dpkg-deb", "-f", deb, "Depends"]).stdout
                for lib in ("libssl3", "libfmt9", "libldap-2.5-0", "libstdc++6", "libc6"):
                    check(lib in depends, f"Depends has {lib}: {depends!r}")
                # The Docker image's runtime stage installs exactly these libraries (the
                # base image has libc6, libstdc++6 and libgcc-s1).
                with open(os.path.join(args.source, "Dockerfile"), encoding="utf-8") as f:
                    runtime = f.read().split("FROM debian:12-slim\n", 1)[1]
                image_libs = set(re.findall(r"\b(lib[a-z0-9.+-]+)\b", runtime.split("rm -rf")[0])) - {"libs"}
                deb_libs = {d.strip().split()[0] for d in depends.split(",")} - {"libc6", "libstdc++6", "libgcc-s1"}
                check(image_libs == deb_libs, f"Dockerfile runtime libraries {sorted(image_libs)} == Depends {sorted(deb_libs)}")
                contents = sh(["dpkg-deb", "-c", deb]).stdout
                for e in EXPECTED:
                    check("./usr/" + e in contents, f"package has /usr/{e}")
                root = os.path.join(tmp, "root")
                p = sh(["dpkg-deb", "-x", deb, root])
                check(p.returncode == 0, f"dpkg-deb -x: {p.stderr}")
                b = os.path.join(root, "usr", "bin", "pgconflint")
                p = sh([b, "--version"])
                check(p.returncode == 0 and p.stdout.strip() == f"pgconflint {version}", f"packaged binary: {p.stdout!r}")
                hba = os.path.join(tmp, "pg_hba.conf")
                with open(hba, "w") as f:
                    f.write("host all all 0.0.0.0/0 trust\n")
                p = sh([b, "check", hba])
                check(p.returncode == 1 and "hba-trust-over-network" in p.stdout, f"packaged binary checks: {p.stdout}")
        else:
            print("dpkg-deb or cpack missing: package not built", file=sys.stderr)

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
