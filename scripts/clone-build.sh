#!/usr/bin/env bash
# Builds pgconflint from the committed tree alone (what a clone has): in a temporary directory
# with nothing beside it (no ../shared), without the tests (-DBUILD_TESTING=OFF), then
# runs the binary. Usage: bash scripts/clone-build.sh
#
# Python is needed only by the tests: the build runs with a PATH that has every program of
# the caller's PATH except python*, with find_package(Python3) disabled, and fails if the
# configure cache or the build files mention Python.
#
# The compile lines are those of the normal build (same build type, paths relative to the
# tree through CCACHE_BASEDIR, CCACHE_NOHASHDIR), so ccache serves what the normal build
# compiled.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d /tmp/pgl-clone-XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/pgconflint"
# Exactly the committed tree (what a clone has).
git -C "$src" archive HEAD | tar -x -C "$tmp/pgconflint"
cd "$tmp/pgconflint"
export CCACHE_BASEDIR="$tmp/pgconflint" CCACHE_NOHASHDIR=1
# The caller's PATH without Python: one directory of links, first match wins as in a PATH lookup.
mkdir "$tmp/bin"
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    n="${f##*/}"
    case "$n" in python*) continue ;; esac
    [ -e "$tmp/bin/$n" ] || [ -L "$tmp/bin/$n" ] || ln -s "$f" "$tmp/bin/$n"
  done
done
nopy_path="$tmp/bin"
if PATH="$nopy_path" command -v python3 >/dev/null; then
  echo "clone-build: python3 is still on the PATH" >&2
  exit 1
fi
PATH="$nopy_path" cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_Python3=ON >/dev/null
PATH="$nopy_path" cmake --build build --target pgconflint pgl_docs
if grep -i python build/CMakeCache.txt build/build.ninja | grep -v 'CMAKE_DISABLE_FIND_PACKAGE_Python3'; then
  echo "clone-build: the build without tests uses Python (lines above)" >&2
  exit 1
fi
./build/pgconflint --version
./build/pgconflint check --type hba - <<<'local all all peer'
echo "clone-build: ok"
