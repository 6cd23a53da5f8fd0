#!/usr/bin/env bash
# The test suite built once with AddressSanitizer + UndefinedBehaviorSanitizer (clang,
# -O1, no debug info: only the binaries the tests run), then each fuzz target for a
# short bounded time over its seeds (which replays every seed first: the fuzz_*_replay
# binaries of the normal build are not built here). Called by scripts/test.sh; alone:
#   bash scripts/test-sanitizers.sh [SECONDS_PER_TARGET]   (default 10)
# Longer fuzzing: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${PGL_FUZZ_SECONDS:-10}}"
build=build-sanitize
targets_fuzz=(conf hba ident conninfo toml tls pipeline)

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "test-sanitizers: clang and libclang-rt-14-dev are needed (bash scripts/setup.sh --deps-only)" >&2
  exit 1
fi

start=$(date +%s)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g0" -DPGL_SANITIZE=ON -DPGL_FUZZ=ON >/dev/null
targets=(pgconflint pgl_tests pgl_docs)  # pgl_docs: the man pages and completions test_install installs
for t in "${targets_fuzz[@]}"; do targets+=("fuzz_$t"); done
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"
echo "test-sanitizers: built in $(( $(date +%s) - start )) s" >&2

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The unit tests and the script suites that run the binary, without those that start
# servers (differential suites) or read the whole corpus (the normal build runs them),
# the source checks (format, layers) and the seed replays (the fuzz runs below replay
# every seed under the sanitizers).
(cd "$build" && ctest --output-on-failure -j"$(nproc)" --timeout 900 \
  -E '^(test_corpus|test_diff_|test_guc_tables|test_hba_who_server|test_format|test_layers|fuzz_.*_seeds)')

# Each fuzz target for a bounded time, from a fresh corpus of its seeds (in memory when
# /dev/shm is there).
failed=0
base=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
for t in "${targets_fuzz[@]}"; do
  corpus=$(mktemp -d "$base/pgl-corpus-$t-XXXXXX")
  # The target's own files go here (libFuzzer exits without the target's atexit cleanup).
  work=$(mktemp -d "$base/pgl-work-$t-XXXXXX")
  i=0
  while IFS= read -r seed; do
    [ -f "$seed" ] && cp "$seed" "$corpus/seed-$((i++))"
  done < "$build/fuzz/fuzz_$t.seeds"
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="$PWD/fuzz/dict/$t.dict")
  if ! (cd "$corpus" && PGL_FUZZ_DIR="$work" "$OLDPWD/$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2560 \
        -max_len=65536 -print_final_stats=1 "${dict[@]}" "$corpus" 2>"$corpus.log"); then
    echo "test-sanitizers: fuzz_$t found a problem:" >&2
    tail -60 "$corpus.log" >&2
    failed=1
  else
    grep -h "stat::number_of_executed_units" "$corpus.log" | sed "s/^/fuzz_$t: /" >&2 || true
  fi
  rm -rf "$corpus" "$corpus.log" "$work"
done
echo "test-sanitizers: $(( $(date +%s) - start )) s in all" >&2
[ "$failed" -eq 0 ] && echo "sanitizers: ${#targets_fuzz[@]} fuzz targets passed, 0 failed" || echo "sanitizers: fuzz targets failed"
exit "$failed"
