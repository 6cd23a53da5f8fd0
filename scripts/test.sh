#!/usr/bin/env bash
# Installs what the tests need, builds everything and runs the whole test suite, then
# builds the binary from a clone of the repository alone (scripts/clone-build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --deps-only
# Paths relative to the tree in ccache's hashes: the clone build below reuses these objects.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 900)
bash scripts/clone-build.sh
# The same suite under ASan+UBSan, and each fuzz target for a bounded time
# (docs/fuzzing.md). Off until its run time on a cold cache is measured within the CI
# budget: PGL_SANITIZERS=1 turns it on.
if [ "${PGL_SANITIZERS:-0}" = 1 ]; then
  bash scripts/test-sanitizers.sh
fi
