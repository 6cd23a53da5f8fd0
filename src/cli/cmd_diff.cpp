// pgconflint diff PRIMARY REPLICA... : compare a primary's configuration with its replicas',
// from files alone (a replica that is down is just a directory).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/cli.hpp"
#include "diff/diff.hpp"
#include "lint/engine.hpp"
#include "lint/project_config.hpp"
#include "load/loader.hpp"
#include "report/report.hpp"

namespace pgl::cli {

namespace {

namespace fs = std::filesystem;

struct DiffArgs {
  std::vector<std::string> paths;
  std::string cluster;
  std::string format = "text";
  std::string fail_on;
  int pg_version = 0;
  bool allow_sizing = false;
  bool explain_ignored = false;
  std::string config;
  std::string color = "auto";
};

int usage_error(const std::string& message) {
  fmt::print(stderr, "pgconflint diff: {}\n", message);
  return k_exit_error;
}

bool color_for(const std::string& mode) {
  if (mode == "always") {
    return true;
  }
  if (mode == "never") {
    return false;
  }
  const char* term = std::getenv("TERM");
  return isatty(fileno(stdout)) != 0 && std::getenv("NO_COLOR") == nullptr &&
         !(term != nullptr && std::string_view(term) == "dumb");
}

std::string explain_ignored(const diff::DiffResult& r) {
  if (r.ignored.empty()) {
    return "\nno difference was ignored\n";
  }
  std::string out = "\nignored (expected to differ per node; compare them with [diff] add = [...]):\n";
  for (const auto& i : r.ignored) {
    std::string values;
    for (std::size_t n = 0; n < i.values.size() && n < r.node_names.size(); ++n) {
      values += fmt::format("{}{}={}", n ? ", " : "", r.node_names[n], i.values[n]);
    }
    out += fmt::format("  {} ({}): {}\n", i.name, diff::to_string(i.reason), values);
  }
  return out;
}

}  // namespace

int cmd_diff(const std::vector<std::string>& args) {
  DiffArgs a;
  CLI::App app{"Compare a primary's configuration with its replicas' (directories as `check` reads them).",
               "pgconflint diff"};
  app.add_option("PATH", a.paths, "primary's configuration directory, then each replica's");
  app.add_option("--cluster", a.cluster, "cluster.toml naming every node ([[node]] name, role, config_dir, data_dir)");
  app.add_option("--format", a.format, "output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "table", "markdown"}));
  app.add_option("--fail-on", a.fail_on, "lowest severity that makes the exit code 1 (default: warning)")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  app.add_option("--pg-version", a.pg_version, "PostgreSQL major version of every node (default: PG_VERSION, else 18)")
      ->check(CLI::Range(12, 18));
  app.add_flag("--allow-sizing", a.allow_sizing, "memory and worker sizing may differ between nodes");
  app.add_flag("--explain-ignored", a.explain_ignored, "list the differences left out as expected per node");
  app.add_option("--config", a.config, "project configuration file (default: nearest .pgconflint.toml)");
  app.add_option("--color", a.color, "colored text output")->check(CLI::IsMember({"auto", "always", "never"}));

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return k_exit_ok;
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }

  std::vector<diff::ClusterNode> members;
  if (!a.cluster.empty()) {
    if (!a.paths.empty()) {
      return usage_error("give either --cluster or PRIMARY REPLICA..., not both");
    }
    auto read = diff::read_cluster_file(a.cluster);
    if (!read) {
      fmt::print(stderr, "pgconflint: error: {}\n", read.error().message);
      return k_exit_error;
    }
    members = std::move(*read);
  } else {
    if (a.paths.size() < 2) {
      return usage_error("need a primary and at least one replica (or --cluster cluster.toml)");
    }
    members = diff::nodes_from_paths(a.paths);
  }
  if (members.size() < 2) {
    return usage_error("need at least two nodes to compare");
  }

  lint::ProjectConfig project;
  std::optional<std::string> config_path;
  if (!a.config.empty()) {
    config_path = a.config;
  } else {
    config_path = lint::find_project_config(a.cluster.empty() ? members.front().config_dir : a.cluster);
  }
  if (config_path) {
    auto loaded = lint::load_project_config(*config_path);
    if (!loaded) {
      fmt::print(stderr, "pgconflint: error: {}\n", loaded.error().message);
      return k_exit_error;
    }
    project = std::move(*loaded);
  }
  diff::DiffOptions options;
  options.allow_sizing = a.allow_sizing;
  if (auto applied = diff::apply_project_options(project, options); !applied) {
    fmt::print(stderr, "pgconflint: error: {}\n", applied.error().message);
    return k_exit_error;
  }
  lint::FailOn fail_on = project.fail_on.value_or(lint::FailOn::warning);
  if (!a.fail_on.empty()) {
    fail_on = *lint::fail_on_from_string(a.fail_on);
  }

  model::LoadOptions base;
  if (a.pg_version != 0) {
    base.pg_version = a.pg_version;
  } else if (project.pg_version) {
    base.pg_version = project.pg_version;
  }
  auto loaded = diff::load_nodes(members, base);
  if (!loaded) {
    fmt::print(stderr, "pgconflint: error: {}\n", loaded.error().message);
    return k_exit_error;
  }
  const std::vector<diff::Node>& nodes = *loaded;
  for (const auto& n : nodes) {
    print_notices(n.config);
  }

  diff::DiffResult result = diff::diff_nodes(nodes, options);
  // Per-rule settings of the project configuration apply to the drift rules too.
  std::erase_if(result.diagnostics, [&](const core::Diagnostic& d) {
    return std::find(project.disable.begin(), project.disable.end(), d.rule) != project.disable.end();
  });
  for (auto& d : result.diagnostics) {
    if (auto it = project.severity.find(d.rule); it != project.severity.end()) {
      d.severity = it->second;
    }
  }

  std::string out;
  const bool human = a.format == "text" || a.format == "table" || a.format == "markdown";
  if (a.format == "table") {
    out = diff::render_table(result, 80);
  } else if (a.format == "markdown") {
    out = diff::render_markdown(result);
  } else {
    report::ReportInput input;
    input.diagnostics = result.diagnostics;
    for (const auto& n : nodes) {
      input.sources.push_back(&n.config.sources);
      input.files += n.config.sources.size();
    }
    report::RenderOptions ro;
    std::error_code ec;
    ro.color = color_for(a.color) && a.format == "text";
    ro.fail_on = fail_on;
    ro.cwd = fs::current_path(ec).string();
    out = report::render(*report::format_from_string(a.format), input, ro);
  }
  if (a.explain_ignored) {
    if (human) {
      out += explain_ignored(result);
    } else {
      fmt::print(stderr, "{}", explain_ignored(result));
    }
  }
  fmt::print(stdout, "{}", out);
  std::fflush(stdout);
  return lint::exit_code(result.diagnostics, fail_on);
}

}  // namespace pgl::cli
