// Benchmark (not a test): `pgconflint diff` over 100 nodes with full-size configurations.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGL_BENCH=ON
//   cmake --build build-bench --target pgl_bench -j2 && ./build-bench/pgl_bench
//
// Each node has a full-size postgresql.conf (every PostgreSQL 16 parameter as a commented
// sample line with its description-sized comment, about 120 of them set, ~950 lines), a
// 102-line pg_hba.conf and a pg_ident.conf, written to a temporary directory; a few nodes
// drift (work_mem, a smaller max_connections, an md5 line, an equivalent reordering). BM_DiffLoadAndCompare loads every
// node and compares them (what the command does); BM_DiffCompareOnly compares already loaded nodes.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "conf/guc.hpp"
#include "diff/diff.hpp"
#include "load/loader.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int k_nodes = 100;

// Every parameter of the version, as the stock sample lists them; every third
// non-internal, non-path one set to its boot value (quoted when a string).
std::string full_conf() {
  std::string out = "# postgresql.conf generated for the diff benchmark\n\n";
  int i = 0;
  for (const auto& g : pgl::conf::all_gucs(16)) {
    if (g.context == pgl::conf::GucContext::internal || g.name.find("file") != std::string_view::npos ||
        g.name.find("director") != std::string_view::npos || g.boot_val.empty()) {
      out += fmt::format("#{} = ''\t\t# (not set: {})\n", g.name, "path or internal");
      continue;
    }
    const bool quote = g.type == pgl::conf::GucType::string || g.type == pgl::conf::GucType::enumeration;
    const std::string value = quote ? fmt::format("'{}'", g.boot_val) : std::string(g.boot_val);
    out += fmt::format("#\n# {}: {} parameter{}{}\n", g.name, g.unit.empty() ? "unitless" : g.unit,
                       g.min.empty() ? "" : fmt::format(", min {}", g.min),
                       g.max.empty() ? "" : fmt::format(", max {}", g.max));
    out += fmt::format("{}{} = {}\t\t# default {}\n", (i++ % 3 == 0) ? "" : "#", g.name, value, g.boot_val);
  }
  return out;
}

struct Cluster {
  fs::path root;
  std::vector<std::string> dirs;

  Cluster() {
    root = fs::temp_directory_path() / fmt::format("pgl_bench_diff_{}", ::getpid());
    fs::create_directories(root);
    const std::string conf = full_conf();
    for (int n = 0; n < k_nodes; ++n) {
      const fs::path dir = root / fmt::format("node{:03}", n);
      fs::create_directories(dir);
      std::ofstream(dir / "PG_VERSION") << "16\n";
      std::string c = conf;
      if (n % 10 == 3) {
        c += "work_mem = 64MB\n";
      }
      if (n % 25 == 7) {
        c += "max_connections = 100\n";
      }
      if (n > 0) {
        c += fmt::format("primary_conninfo = 'host=node000 user=replicator application_name=node{:03}'\n", n);
      }
      std::ofstream(dir / "postgresql.conf") << c;
      std::ofstream hba(dir / "pg_hba.conf");
      hba << "local all postgres peer\nhostnossl all all 0.0.0.0/0 reject\n";
      for (int i = 0; i < 100; ++i) {
        const bool swap = n % 7 == 1 && i == 10;  // equivalent reordering on some nodes
        const int k = swap ? 11 : (n % 7 == 1 && i == 11 ? 10 : i);
        hba << fmt::format("hostssl app{} app{} 10.{}.0.0/16 {}\n", k, k, k,
                           (n % 13 == 5 && k == 50) ? "md5" : "scram-sha-256");
      }
      std::ofstream(dir / "pg_ident.conf") << "ops alice postgres\nops bob bob\n";
      dirs.push_back(dir.string());
    }
  }
  ~Cluster() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

const Cluster& cluster() {
  static const Cluster c;
  return c;
}

std::vector<pgl::diff::Node> load_all() {
  std::vector<pgl::diff::Node> nodes;
  nodes.reserve(k_nodes);
  for (const auto& d : cluster().dirs) {
    pgl::model::LoadOptions lo;
    lo.paths = {d};
    auto cfg = pgl::load::load_config(lo);
    if (!cfg) {
      throw std::runtime_error(cfg.error().message);
    }
    nodes.push_back(pgl::diff::Node{fs::path(d).filename().string(),
                                    nodes.empty() ? pgl::diff::Role::primary : pgl::diff::Role::replica,
                                    std::move(*cfg),
                                    {}});
  }
  return nodes;
}

void BM_DiffLoadAndCompare(benchmark::State& state) {
  for (auto _ : state) {
    auto nodes = load_all();
    auto r = pgl::diff::diff_nodes(nodes, {});
    benchmark::DoNotOptimize(r.diagnostics.size());
    state.counters["findings"] = static_cast<double>(r.diagnostics.size());
  }
}
BENCHMARK(BM_DiffLoadAndCompare)->Unit(benchmark::kMillisecond);

void BM_DiffCompareOnly(benchmark::State& state) {
  const auto nodes = load_all();
  for (auto _ : state) {
    auto r = pgl::diff::diff_nodes(nodes, {});
    benchmark::DoNotOptimize(r.diagnostics.size());
  }
}
BENCHMARK(BM_DiffCompareOnly)->Unit(benchmark::kMillisecond);

}  // namespace
// main() comes from bench_parse.cpp (BENCHMARK_MAIN): all bench/*.cpp form one program.
