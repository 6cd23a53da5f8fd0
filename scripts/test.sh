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
# The same suite under ASan+UBSan and each fuzz target for a bounded time
# (scripts/test-sanitizers.sh, docs/fuzzing.md), in parallel with the normal suite (whose
# differential suites mostly wait on servers). PGL_SANITIZERS=0 leaves it out.
sanitizers=
if [ "${PGL_SANITIZERS:-1}" = 1 ]; then
  bash scripts/test-sanitizers.sh >build/sanitizers.log 2>&1 &
  sanitizers=$!
  trap '[ -n "$sanitizers" ] && kill "$sanitizers" 2>/dev/null || true' EXIT
fi
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 900)
bash scripts/clone-build.sh
if [ -n "$sanitizers" ]; then
  status=0
  wait "$sanitizers" || status=$?
  sanitizers=
  if [ "$status" -ne 0 ]; then
    cat build/sanitizers.log
    echo "test: the sanitizer run failed (build/sanitizers.log)" >&2
    exit "$status"
  fi
  grep -E '^(test-sanitizers|fuzz_|sanitizers|[0-9]+% tests passed)' build/sanitizers.log || true
fi
