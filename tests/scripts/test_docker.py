#!/usr/bin/env python3
"""The Dockerfile, checked without a container engine (none runs where the tests run; the
image itself is not built here). What can be known from the files and this Debian 12 system:

- every shared library the built binary loads (ldd) belongs to a package (dpkg -S) that the
  runtime stage installs, or that the installed packages' Depends pull in, or that the
  debian:12-slim base has (its Essential and required packages, apt, and what they depend
  on, computed from this system's package database: an approximation of the image);
  every package the runtime stage names owns one of those libraries (runtime libraries only);
- the build stage installs the build dependencies the README names, and nothing that is not a
  Debian 12 package known here;
- every COPY source exists: in the build context (not excluded by .dockerignore), or made by
  the named stage (the cmake build directory and target of its RUN);
- the final stage runs as a non-root user it creates;
- the ENTRYPOINT and the pre-commit `docker_image` hook's `--entrypoint` are files the final
  stage copies in, the hook script's interpreter is in the base, and the image tag of the hook
  and of the Dockerfile's usage comment is the project version."""
import argparse
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def sh(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


# --- Dockerfile ------------------------------------------------------------------------------

def instructions(text):
    """(instruction, arguments) in order, continuation lines joined, comments dropped."""
    out = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        word, _, rest = current.partition(" ")
        out.append((word.upper(), rest.strip()))
        current = ""
    return out


def stages(instrs):
    """[{'name', 'base', 'instrs'}] per FROM."""
    out = []
    for ins, args in instrs:
        if ins == "FROM":
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?$", args, re.I)
            out.append({"base": m.group(1), "name": m.group(2), "instrs": []})
        elif out:
            out[-1]["instrs"].append((ins, args))
    return out


def apt_packages(run_args):
    """Package names of the `apt-get install` commands in a RUN."""
    pkgs = []
    for cmd in re.split(r"&&|;", run_args):
        words = shlex.split(cmd)
        while words and "=" in words[0]:  # DEBIAN_FRONTEND=noninteractive
            words = words[1:]
        if len(words) >= 2 and words[0] in ("apt-get", "apt") and words[1] == "install":
            pkgs += [w for w in words[2:] if not w.startswith("-")]
    return pkgs


def copies(stage):
    """(from_stage or None, sources, destination) of each COPY."""
    out = []
    for ins, args in stage["instrs"]:
        if ins != "COPY":
            continue
        words = shlex.split(args)
        frm = None
        rest = []
        for w in words:
            if w.startswith("--from="):
                frm = w.split("=", 1)[1]
            elif not w.startswith("--"):
                rest.append(w)
        out.append((frm, rest[:-1], rest[-1]))
    return out


def dockerignored(path, patterns):
    ignored = False
    for p in patterns:
        neg = p.startswith("!")
        pat = p[1:] if neg else p
        parts = path.split("/")
        # A pattern matches the path or one of its parent directories.
        if any(fnmatch.fnmatch("/".join(parts[:i]), pat) for i in range(1, len(parts) + 1)):
            ignored = not neg
    return ignored


# --- Debian packages ---------------------------------------------------------------------------

def owner(path):
    """The package owning a library path (usrmerge: /lib and /usr/lib are the same place)."""
    real = os.path.realpath(path)
    candidates = [path, real]
    for p in (path, real):
        if p.startswith("/usr/"):
            candidates.append(p[4:])
        else:
            candidates.append("/usr" + p)
    for c in candidates:
        p = sh(["dpkg", "-S", c])
        if p.returncode == 0:
            return p.stdout.split(":", 1)[0].strip()
    return None


_FIELDS = {}


def fields(pkg):
    if pkg not in _FIELDS:
        p = sh(["dpkg-query", "-W", "-f", "${db:Status-Status}\t${Depends}\t${Pre-Depends}\t${Provides}", pkg])
        _FIELDS[pkg] = p.stdout.split("\t") if p.returncode == 0 and p.stdout.startswith("installed") else None
    return _FIELDS[pkg]


def depends_closure(roots):
    """Installed packages reached from roots through Depends and Pre-Depends (for each
    alternative group the first installed alternative)."""
    seen = set()
    todo = list(roots)
    while todo:
        pkg = todo.pop()
        if pkg in seen:
            continue
        f = fields(pkg)
        if f is None:
            continue
        seen.add(pkg)
        for group in (f[1] + "," + f[2]).split(","):
            for alt in group.split("|"):
                name = alt.strip().split(" ")[0].split(":")[0]
                if name and fields(name) is not None:
                    todo.append(name)
                    break
    return seen


def base_packages():
    """What debian:12-slim is made of (debootstrap minbase): Essential and required packages and
    apt, with their dependencies, as this system's package database describes them."""
    p = sh(["dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Priority}\t${db:Status-Status}\n"])
    roots = ["apt"]
    for line in p.stdout.splitlines():
        name, essential, priority, status = (line.split("\t") + ["", "", "", ""])[:4]
        if status == "installed" and (essential == "yes" or priority == "required"):
            roots.append(name)
    return depends_closure(roots)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared")
    a = ap.parse_args()
    for tool in ("ldd", "dpkg", "dpkg-query"):
        if shutil.which(tool) is None:
            print(f"skip: {tool} not available", file=sys.stderr)
            return 77
    src = a.source
    with open(os.path.join(src, "Dockerfile"), encoding="utf-8") as f:
        dockerfile = f.read()
    st = stages(instructions(dockerfile))
    check(len(st) == 2, f"two stages (build, runtime): {[s['name'] for s in st]}")
    build, final = st[0], st[-1]
    for s in st:
        check(s["base"] == "debian:12-slim", f"stage {s['name']} is Debian 12 slim: {s['base']}")

    # --- runtime libraries
    runtime = [p for ins, args in final["instrs"] if ins == "RUN" for p in apt_packages(args)]
    check(runtime, "the runtime stage installs its libraries with apt-get install")
    ldd = sh(["ldd", a.binary])
    check(ldd.returncode == 0, f"ldd {a.binary}: {ldd.stderr}")
    libs = {}
    for line in ldd.stdout.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            libs[m.group(1)] = m.group(m.lastindex)
    check(len(libs) >= 5, f"ldd lists the libraries: {ldd.stdout}")
    base = base_packages()
    check({"libc6", "bash", "apt"} <= base, "the base-image approximation has libc6, bash and apt")
    provided = depends_closure(runtime) | base
    owners = {}
    for name, path in sorted(libs.items()):
        pkg = owner(path)
        check(pkg is not None, f"{path} ({name}) belongs to a Debian package")
        if pkg is None:
            continue
        owners.setdefault(pkg, []).append(name)
        check(pkg in provided, f"{name} ({pkg}) is installed in the image: neither the runtime stage's "
                               f"packages {runtime} nor the base provide it")
    for pkg in runtime:
        check(fields(pkg) is not None, f"runtime package {pkg} is a Debian 12 package installed here")
        check(pkg in owners, f"runtime package {pkg} provides none of the binary's libraries "
                             f"(runtime libraries only; needed: {sorted(owners)})")
    needed_direct = sh(["readelf", "-d", a.binary]).stdout if shutil.which("readelf") else ""
    for lib in re.findall(r"\(NEEDED\).*\[(.+)\]", needed_direct):
        pkg = owner(libs.get(lib, "")) if lib in libs else None
        check(pkg is None or pkg in runtime or pkg in base,
              f"{lib} ({pkg}), linked directly, is named in the runtime stage (or in the base)")

    # --- build stage: the README's build dependencies, all Debian 12 packages
    build_pkgs = [p for ins, args in build["instrs"] if ins == "RUN" for p in apt_packages(args)]
    with open(os.path.join(src, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    libraries = readme[readme.find("Libraries, all from Debian 12 packages"):]
    libraries = libraries[:libraries.find("GoogleTest")]
    named = re.findall(r"`([a-z0-9.+-]+-dev)`", libraries)
    check(len(named) >= 6, f"the README names the library packages: {named}")
    for pkg in named:
        check(pkg in build_pkgs, f"the build stage installs {pkg} (README)")
    for pkg in build_pkgs:
        known = fields(pkg) is not None or sh(["apt-cache", "show", pkg]).returncode == 0
        check(known, f"build package {pkg} is a Debian 12 package")
    check(not any(p in build_pkgs for p in ("libgtest-dev", "googletest", "libbenchmark-dev")),
          "the build stage installs no test dependency")

    # --- COPY sources
    ignore_path = os.path.join(src, ".dockerignore")
    patterns = []
    if os.path.exists(ignore_path):
        with open(ignore_path, encoding="utf-8") as f:
            patterns = [p.strip().rstrip("/") for p in f if p.strip() and not p.startswith("#")]
    check(dockerignored("build/CMakeCache.txt", patterns), ".dockerignore leaves out the build directory")
    check(dockerignored(".git/HEAD", patterns), ".dockerignore leaves out .git")
    final_dests = {}
    for s in st:
        for frm, sources, dest in copies(s):
            for source in sources:
                if frm is None:
                    if source == ".":
                        check(os.path.exists(os.path.join(src, "CMakeLists.txt")), "COPY . has the CMakeLists.txt")
                        check(not dockerignored("CMakeLists.txt", patterns), "CMakeLists.txt is in the context")
                        continue
                    check(os.path.exists(os.path.join(src, source)), f"COPY source {source} exists in the repository")
                    check(not dockerignored(source, patterns), f"COPY source {source} is not in .dockerignore")
                    tracked = sh(["git", "-C", src, "ls-files", "--error-unmatch", source])
                    check(tracked.returncode == 0 or not os.path.isdir(os.path.join(src, ".git")),
                          f"COPY source {source} is committed")
                    if s is final:
                        final_dests[dest] = os.path.join(src, source)
                else:
                    producer = [x for x in st if x["name"] == frm]
                    check(len(producer) == 1, f"COPY --from={frm} names a stage")
                    if not producer:
                        continue
                    runs = " ".join(args for ins, args in producer[0]["instrs"] if ins == "RUN")
                    bdir = re.search(r"cmake\s+-S\s+\S+\s+-B\s+(\S+)", runs)
                    target = re.search(r"--target\s+(\S+)", runs)
                    check(bdir is not None and target is not None, f"stage {frm} runs a cmake build of a target")
                    if bdir and target:
                        check(source == f"{bdir.group(1)}/{target.group(1)}",
                              f"COPY --from={frm} {source} is the target the stage builds "
                              f"({bdir.group(1)}/{target.group(1)})")
                        with open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8") as f:
                            cml = f.read()
                        check(re.search(rf"add_executable\(\s*{re.escape(target.group(1))}\b", cml) is not None,
                              f"{target.group(1)} is an executable of CMakeLists.txt")
                    if s is final:
                        final_dests[dest] = a.binary

    # --- non-root user
    users = [args for ins, args in final["instrs"] if ins == "USER"]
    check(users, "the final stage sets USER")
    user = users[-1] if users else "root"
    check(user.split(":")[0] not in ("root", "0"), f"the image runs as a non-root user: {user}")
    created = re.search(rf"useradd\b[^&;]*--uid\s+(\d+)[^&;]*\s{re.escape(user)}\b",
                        " ".join(args for ins, args in final["instrs"] if ins == "RUN"))
    check(created is not None and int(created.group(1)) != 0, f"the final stage creates {user} with a non-zero uid")

    # --- entrypoint and the pre-commit hook
    ep = [args for ins, args in final["instrs"] if ins == "ENTRYPOINT"]
    check(len(ep) == 1, "one ENTRYPOINT")
    if ep:
        check(ep[0].startswith("["), "ENTRYPOINT in exec form")
        entry = eval_json_list(ep[0])
        check(entry and entry[0] in final_dests, f"ENTRYPOINT {entry} is a file the final stage copies in")
    with open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8") as f:
        version = re.search(r"project\(\s*pgconflint\s+VERSION\s+([0-9.]+)", f.read()).group(1)
    with open(os.path.join(src, ".pre-commit-hooks.yaml"), encoding="utf-8") as f:
        hooks = f.read()
    hook = re.search(r"-\s*id:\s*pgconflint-docker\n((?:\s+.*\n?)*)", hooks)
    check(hook is not None, "the pgconflint-docker hook exists")
    if hook:
        body = hook.group(1)
        check(re.search(r"^\s+language:\s*docker_image\s*$", body, re.M) is not None, "language: docker_image")
        m = re.search(r"^\s+entry:\s*(.+)$", body, re.M)
        check(m is not None, "the docker hook has an entry")
        words = shlex.split(m.group(1)) if m else []
        if len(words) >= 3 and words[0] == "--entrypoint":
            script, image = words[1], words[2]
            check(script in final_dests, f"the hook's --entrypoint {script} is copied into the image")
            check(image == f"pgconflint:{version}", f"the hook's image {image} is pgconflint:{version}")
            local = final_dests.get(script)
            if local and os.path.isfile(local):
                check(os.access(local, os.X_OK), f"{local} is executable")
                with open(local, encoding="utf-8") as f:
                    shebang = f.readline().strip()
                interp = shebang[2:].split()
                prog = interp[1] if interp and interp[0].endswith("/env") and len(interp) > 1 else \
                    (interp[0] if interp else "")
                path = shutil.which(prog) or prog
                pkg = owner(path)
                check(pkg in base, f"the hook script's interpreter {prog} ({pkg}) is in the base image")
                with open(local, encoding="utf-8") as f:
                    text = f.read()
                check("pgconflint" in text and "/usr/local/bin/pgconflint" in final_dests,
                      "the hook script runs pgconflint, which is on the image's PATH (/usr/local/bin)")
        else:
            check(False, f"the docker hook's entry is `--entrypoint SCRIPT IMAGE`: {words}")
    tags = re.findall(r"docker build -t (\S+) \.", dockerfile)
    check(tags and all(t == f"pgconflint:{version}" for t in tags),
          f"the Dockerfile's usage comment tags pgconflint:{version}: {tags}")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(libs)} libraries from {len(owners)} packages, runtime stage {runtime}")
    return 0


def eval_json_list(text):
    import json
    try:
        v = json.loads(text)
        return v if isinstance(v, list) else []
    except ValueError:
        return []


if __name__ == "__main__":
    sys.exit(main())
