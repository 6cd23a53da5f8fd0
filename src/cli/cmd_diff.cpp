// pgconflint diff PRIMARY REPLICA... : compare a primary's configuration with its replicas',
// from files alone (a replica that is down is just a directory).
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "diff/diff.hpp"
#include "lint/engine.hpp"
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
  add_fail_on_option(app, a.fail_on);
  app.add_option("--pg-version", a.pg_version, "PostgreSQL major version of every node (default: PG_VERSION, else 18)")
      ->check(CLI::Range(12, 18));
  app.add_flag("--allow-sizing", a.allow_sizing, "memory and worker sizing may differ between nodes");
  app.add_flag("--explain-ignored", a.explain_ignored, "list the differences left out as expected per node");
  add_config_option(app, a.config);
  add_color_option(app, a.color);

  if (auto done = parse_options(app, args, "diff")) {
    return *done;
  }

  std::vector<diff::ClusterNode> members;
  if (!a.cluster.empty()) {
    if (!a.paths.empty()) {
      return usage_error("diff", "give either --cluster or PRIMARY REPLICA..., not both");
    }
    auto read = diff::read_cluster_file(a.cluster);
    if (!read) {
      return input_error(read.error().message);
    }
    members = std::move(*read);
  } else {
    if (a.paths.size() < 2) {
      return usage_error("diff", "need a primary and at least one replica (or --cluster cluster.toml)");
    }
    members = diff::nodes_from_paths(a.paths);
  }
  if (members.size() < 2) {
    return usage_error("diff", "need at least two nodes to compare");
  }

  auto loaded_project = load_project(a.config, a.cluster.empty() ? members.front().config_dir : a.cluster);
  if (!loaded_project) {
    return input_error(loaded_project.error().message);
  }
  const lint::ProjectConfig project = std::move(*loaded_project);
  diff::DiffOptions options;
  options.allow_sizing = a.allow_sizing;
  if (auto applied = diff::apply_project_options(project, options); !applied) {
    return input_error(applied.error().message);
  }
  const lint::FailOn fail_on = fail_on_for(a.fail_on, project);

  model::LoadOptions base;
  base.pg_version = pg_version_for(a.pg_version, project);
  auto loaded = diff::load_nodes(members, base);
  if (!loaded) {
    return input_error(loaded.error().message);
  }
  const std::vector<diff::Node>& nodes = *loaded;
  for (const auto& n : nodes) {
    print_notices(n.config);
  }

  // The drift rules turn the comparison's facts into findings; the project's enable/disable,
  // profile, severity overrides and rule options apply to them as in `check`, and so do
  // suppression comments on the lines they point at.
  lint::EngineOptions engine;
  engine.profile = project.profile.value_or(lint::Profile::default_);
  engine.enable = project.enable;
  engine.disable = project.disable;
  engine.severity = project.severity;
  auto selection = lint::select_rules(engine);
  if (!selection) {
    return usage_error("diff", selection.error().message);
  }
  diff::DiffResult result = diff::diff_nodes(nodes, options);
  lint::LintContext ctx;
  ctx.options = project.options;
  std::vector<const core::SourceSet*> sources;
  sources.reserve(nodes.size());
  for (const auto& n : nodes) {
    sources.push_back(&n.config.sources);
  }
  result.diagnostics = lint::finish(lint::run_cluster_rules(result.facts, ctx, *selection), sources, *selection,
                                    lint::RunScope{.config = false, .cluster = true});

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
