#!/usr/bin/env bash
# clang-tidy over every translation unit of src/, rules/, fuzz/ and tests/ in the compile database,
# with the checks of the repository's .clang-tidy (each file's nearest one). Prints each
# warning once (a header's warning is found in every file that includes it), then the
# count; the whole output is kept in BUILD/tidy.log. Exit 0 when clean, 1 on any warning
# or error, 2 when it cannot run.
#   bash scripts/tidy.sh [BUILD]      (default build; PGL_TIDY_JOBS=N, default nproc)
# The whole tree takes about 25 CPU-minutes, so CI does not run it (docs/architecture.md).
# As the ctest test_tidy (label tidy), --ctest skips (exit 77, saying so) unless PGL_TIDY=1:
#   cd build && PGL_TIDY=1 ctest -L tidy --output-on-failure
set -uo pipefail
ctest_mode=0
if [ "${1:-}" = "--ctest" ]; then
  ctest_mode=1
  shift
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" 2>/dev/null && pwd)" || {
  echo "tidy: no build directory ${1:-$root/build} (cmake -S . -B build -G Ninja first)" >&2
  exit 2
}
if [ "$ctest_mode" = 1 ] && [ "${PGL_TIDY:-0}" != 1 ]; then
  echo "test_tidy: skipped: the whole-tree clang-tidy run is not part of the default suite (about 25 CPU-minutes);" \
    "run it with: PGL_TIDY=1 ctest -L tidy, or bash scripts/tidy.sh"
  exit 77
fi
if ! command -v run-clang-tidy-14 >/dev/null || ! command -v clang-tidy-14 >/dev/null; then
  echo "tidy: run-clang-tidy-14 and clang-tidy-14 are needed (apt-get install clang-tidy-14)" >&2
  exit 2
fi
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: $build/compile_commands.json is missing (configure with cmake first)" >&2
  exit 2
fi
jobs="${PGL_TIDY_JOBS:-$(nproc)}"
log="$build/tidy.log"
start=$(date +%s)
# Files are regular expressions on the absolute paths of the compile database.
run-clang-tidy-14 -p "$build" -quiet -j "$jobs" "^$root/(src|rules|fuzz|tests)/" >"$log" 2>&1
status=$?
# Diagnostics without colours, each once, paths relative to the tree (a header is seen
# through a layer's include root, BUILD/layers/<layer>/<folder>/: named by its own path).
found="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^/[^ ]+:[0-9]+:[0-9]+: (warning|error): ' |
  sed -E "s#^$build/layers/[^/]+/(grammar|rules)/#$root/\\1/#; s#^$build/layers/[^/]+/#$root/src/#; s#^$root/##" |
  sort -u)"
warnings=0
errors=0
if [ -n "$found" ]; then
  printf '%s\n' "$found"
  warnings=$(printf '%s\n' "$found" | grep -c ': warning: ')
  errors=$(printf '%s\n' "$found" | grep -c ': error: ')
fi
files=$(grep -c '^clang-tidy-14 ' "$log")
echo "tidy: $warnings warnings, $errors errors in $files files ($(( $(date +%s) - start )) s; full output: $log)"
if [ "$warnings" -ne 0 ] || [ "$errors" -ne 0 ]; then
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "tidy: run-clang-tidy-14 failed (exit $status); see $log" >&2
  exit 2
fi
exit 0
