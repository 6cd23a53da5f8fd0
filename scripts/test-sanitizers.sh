#!/usr/bin/env bash
# The test suite built once with AddressSanitizer + UndefinedBehaviorSanitizer (clang,
# -O1, no debug info: only the binaries the tests run), then each fuzz target for a
# short bounded time over its seeds. Called by scripts/test.sh; alone:
#   bash scripts/test-sanitizers.sh [SECONDS_PER_TARGET]   (default 20)
# Longer fuzzing: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${PGL_FUZZ_SECONDS:-20}}"
build=build-sanitize

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "test-sanitizers: clang and libclang-rt-14-dev are needed (bash scripts/setup.sh --deps-only)" >&2
  exit 1
fi

start=$(date +%s)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g0" -DPGL_SANITIZE=ON -DPGL_FUZZ=ON >/dev/null
targets=(pgconflint pgl_tests)
for t in conf hba ident conninfo toml tls pipeline; do targets+=("fuzz_$t" "fuzz_${t}_replay"); done
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"
echo "test-sanitizers: built in $(( $(date +%s) - start )) s" >&2

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd "$build" && ctest --output-on-failure -j"$(nproc)" --timeout 900 -E '^(test_corpus|test_diff_)')

# Each fuzz target for a bounded time, from a fresh corpus of its seeds.
failed=0
for t in conf hba ident conninfo toml tls pipeline; do
  corpus=$(mktemp -d)
  i=0
  while IFS= read -r seed; do
    [ -f "$seed" ] && cp "$seed" "$corpus/seed-$((i++))"
  done < "$build/fuzz/fuzz_$t.seeds"
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="$PWD/fuzz/dict/$t.dict")
  if ! (cd "$corpus" && "$OLDPWD/$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
        -max_len=65536 -print_final_stats=1 "${dict[@]}" "$corpus" 2>"$corpus.log"); then
    echo "test-sanitizers: fuzz_$t found a problem:" >&2
    tail -60 "$corpus.log" >&2
    failed=1
  else
    grep -h "stat::number_of_executed_units" "$corpus.log" | sed "s/^/fuzz_$t: /" >&2 || true
  fi
  rm -rf "$corpus" "$corpus.log"
done
echo "test-sanitizers: $(( $(date +%s) - start )) s in all" >&2
[ "$failed" -eq 0 ] && echo "sanitizers: 7 fuzz targets passed, 0 failed" || echo "sanitizers: fuzz targets failed"
exit "$failed"
