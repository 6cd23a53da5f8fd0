#!/usr/bin/env bash
# Builds pgconflint from the committed tree alone (what a clone has): in a temporary directory
# with nothing beside it (no ../shared), without the tests (-DBUILD_TESTING=OFF), then
# runs the binary. Usage: bash scripts/clone-build.sh
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
extra=()
# Until the parameter tables are in the repository (data/gucs), take them from where the
# normal build found them.
if [ ! -d data/gucs ]; then
  guc_dir="$(sed -n 's/^PGL_GUC_DIR:PATH=//p' "$src/build/CMakeCache.txt" 2>/dev/null || true)"
  [ -n "$guc_dir" ] || guc_dir="$src/../shared/reference/gucs"
  [ -d "$src/data/gucs" ] && guc_dir="$src/data/gucs"
  extra+=("-DPGL_GUC_DIR=$guc_dir")
  echo "clone-build: no data/gucs in the repository yet; tables from $guc_dir" >&2
fi
export CCACHE_BASEDIR="$tmp/pgconflint" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF "${extra[@]}" >/dev/null
cmake --build build --target pgconflint
./build/pgconflint --version
./build/pgconflint check --type hba - <<<'local all all peer'
echo "clone-build: ok"
