// Parser benchmarks: postgresql.conf and pg_hba.conf of the sizes given by the driver
// (bench/parse_vs_server.py), which also times PostgreSQL 15 on the same files.
// Files are named by the environment: PGL_BENCH_HBA, PGL_BENCH_CONF.
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>

#include "core/source.hpp"
#include "parse/parse.hpp"

namespace {

std::string env_path(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
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
  for (auto _ : state) {
    pgl::core::SourceSet sources;
    auto file = pgl::parse::parse_hba(path, options, sources);
    records = file.records.size();
    benchmark::DoNotOptimize(file);
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
  for (auto _ : state) {
    pgl::core::SourceSet sources;
    auto set = pgl::parse::parse_conf(path, options, sources);
    items = set ? set->items.size() : 0;
    benchmark::DoNotOptimize(set);
  }
  state.counters["items"] = static_cast<double>(items);
}

}  // namespace

BENCHMARK(bm_parse_hba)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_parse_conf)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
