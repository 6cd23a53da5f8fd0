// Parser benchmarks: postgresql.conf and pg_hba.conf of the sizes given by the driver
// (bench/parse_vs_server.py), which also times PostgreSQL 15 on the same files.
// Files are named by the environment: PGL_BENCH_HBA, PGL_BENCH_CONF.
#include <malloc.h>

#include <cstdlib>
#include <optional>
#include <string>

#include <benchmark/benchmark.h>

#include "core/source.hpp"
#include "parse/parse.hpp"

namespace {

std::string env_path(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Each iteration parses into a clean heap, as one run of the CLI does: the previous
// iteration's result is destroyed and the allocator's free lists are consolidated
// (malloc_trim) with the timer paused. Otherwise glibc would consolidate the previous
// result's freed chunks inside the next timed parse.
template <typename T>
void discard_untimed(benchmark::State& state, std::optional<T>& result, pgl::core::SourceSet& sources) {
  state.PauseTiming();
  result.reset();
  sources = pgl::core::SourceSet();
  ::malloc_trim(0);
  state.ResumeTiming();
}

void bm_parse_hba(benchmark::State& state) {
  const std::string path = env_path("PGL_BENCH_HBA");
  if (path.empty()) {
    state.SkipWithError("PGL_BENCH_HBA not set");
    return;
  }
  pgl::parse::AuthParseOptions options;
  options.pg_version = 15;
  std::size_t records = 0;
  pgl::core::SourceSet sources;
  std::optional<pgl::model::HbaFile> file;
  for (auto _ : state) {
    file = pgl::parse::parse_hba(path, options, sources);
    records = file->records.size();
    benchmark::DoNotOptimize(file);
    discard_untimed(state, file, sources);
  }
  state.counters["records"] = static_cast<double>(records);
}

void bm_parse_conf(benchmark::State& state) {
  const std::string path = env_path("PGL_BENCH_CONF");
  if (path.empty()) {
    state.SkipWithError("PGL_BENCH_CONF not set");
    return;
  }
  pgl::parse::ConfParseOptions options;
  options.pg_version = 15;
  std::size_t items = 0;
  pgl::core::SourceSet sources;
  std::optional<pgl::Result<pgl::model::ConfSet>> set;
  for (auto _ : state) {
    set = pgl::parse::parse_conf(path, options, sources);
    if (!*set) {
      state.SkipWithError(("parse_conf: " + set->error().message).c_str());
      break;
    }
    items = (*set)->items.size();
    benchmark::DoNotOptimize(set);
    discard_untimed(state, set, sources);
  }
  state.counters["items"] = static_cast<double>(items);
}

}  // namespace

BENCHMARK(bm_parse_hba)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_parse_conf)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
