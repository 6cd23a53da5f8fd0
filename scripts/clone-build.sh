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
export CCACHE_BASEDIR="$tmp/pgconflint" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build build --target pgconflint
./build/pgconflint --version
./build/pgconflint check --type hba - <<<'local all all peer'
echo "clone-build: ok"
