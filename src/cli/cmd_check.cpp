// pgconflint check PATH... : load each path as one server, lint it, render the findings.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

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

struct CheckArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string fail_on;
  int pg_version = 0;
  std::string data_dir;
  std::string config;
  std::string profile;
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::string color = "auto";
  bool quiet = false;
  std::string root;
  std::string server_user;
  std::string now;
  int expiry_days = -1;
  std::vector<std::string> expect_hosts;
  std::vector<std::string> ca;
  std::string cluster;
};

void append_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& v : from) {
    if (std::find(to.begin(), to.end(), v) == to.end()) {
      to.push_back(v);
    }
  }
}

void remove_all(std::vector<std::string>& from, const std::vector<std::string>& what) {
  from.erase(std::remove_if(from.begin(), from.end(),
                            [&](const std::string& v) { return std::find(what.begin(), what.end(), v) != what.end(); }),
             from.end());
}

}  // namespace

int cmd_check(const std::vector<std::string>& args) {
  CheckArgs a;
  CLI::App app{"Lint PostgreSQL configuration: each PATH is one server (a configuration directory, a data directory or a file).",
               "pgconflint check"};
  // PATH stays required without --cluster: CLI11 then keeps the last arguments of a
  // repeatable option (--enable a b PATH) for it.
  const bool with_cluster = std::any_of(args.begin(), args.end(), [](const std::string& s) {
    return s == "--cluster" || s.starts_with("--cluster=");
  });
  auto* path_option = app.add_option("PATH", a.paths, "configuration directory or file");
  if (!with_cluster) {
    path_option->required();
  }
  app.add_option("--cluster", a.cluster, "cluster.toml: check every node and compare them as `diff` does");
  app.add_option("--format", a.format, "output format")->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  add_fail_on_option(app, a.fail_on);
  app.add_option("--pg-version", a.pg_version, "PostgreSQL major version (default: PG_VERSION, else 18)")
      ->check(CLI::Range(12, 18));
  app.add_option("--data-dir", a.data_dir, "data directory (postgresql.auto.conf, relative file paths)");
  add_config_option(app, a.config);
  app.add_option("--profile", a.profile, "rule profile")->check(CLI::IsMember({"default", "strict", "cis"}));
  app.add_option("--enable", a.enable, "also run this rule (repeatable)");
  app.add_option("--disable", a.disable, "do not run this rule (repeatable)");
  add_color_option(app, a.color);
  app.add_flag("-q,--quiet", a.quiet, "only findings at or above --fail-on; nothing when clean");
  app.add_option("--root", a.root, "directory that absolute paths in the configuration are relative to");
  app.add_option("--server-user", a.server_user, "operating-system user the server runs as");
  app.add_option("--now", a.now, "reference time for certificate checks (e.g. 2026-01-01T00:00:00Z)");
  app.add_option("--expiry-days", a.expiry_days, "warn about certificates expiring within N days")
      ->check(CLI::Range(0, 36500));
  app.add_option("--expect-host", a.expect_hosts, "host name the server certificate must cover (repeatable)");
  app.add_option("--ca", a.ca, "extra CA certificate file (repeatable)");

  if (auto done = parse_options(app, args, "check")) {
    return *done;
  }
  if (a.paths.empty() == a.cluster.empty()) {
    return usage_error("check", a.cluster.empty() ? "PATH is required (or --cluster cluster.toml)"
                                                  : "give either --cluster or PATH..., not both");
  }
  if (!a.cluster.empty() && !a.data_dir.empty()) {
    return usage_error("check",
                       "--data-dir does not apply to --cluster (set data_dir per node in the cluster file)");
  }
  std::vector<diff::ClusterNode> members;
  if (!a.cluster.empty()) {
    auto read = diff::read_cluster_file(a.cluster);
    if (!read) {
      return input_error(read.error().message);
    }
    members = std::move(*read);
  }

  // Project configuration: --config, else the nearest .pgconflint.toml above the first path
  // (or the cluster file).
  auto loaded_project = load_project(a.config, a.cluster.empty() ? a.paths.front() : a.cluster);
  if (!loaded_project) {
    return input_error(loaded_project.error().message);
  }
  const lint::ProjectConfig project = std::move(*loaded_project);

  lint::EngineOptions engine;
  engine.profile = project.profile.value_or(lint::Profile::default_);
  if (!a.profile.empty()) {
    engine.profile = *lint::profile_from_string(a.profile);
  }
  engine.enable = project.enable;
  engine.disable = project.disable;
  remove_all(engine.disable, a.enable);  // the command line wins over the file
  remove_all(engine.enable, a.disable);
  append_unique(engine.enable, a.enable);
  append_unique(engine.disable, a.disable);
  engine.severity = project.severity;
  auto selection = lint::select_rules(engine);
  if (!selection) {
    return usage_error("check", selection.error().message);
  }

  const lint::FailOn fail_on = fail_on_for(a.fail_on, project);

  lint::LintContext ctx;
  if (!a.now.empty()) {
    auto t = lint::parse_timestamp(a.now);
    if (!t) {
      return usage_error("check",
                         fmt::format("--now: invalid timestamp '{}' (expected e.g. 2026-01-01T00:00:00Z)", a.now));
    }
    ctx.now = *t;
  } else {
    ctx.now = std::time(nullptr);
  }
  ctx.expiry_days = a.expiry_days >= 0 ? a.expiry_days : project.expiry_days.value_or(30);
  if (!a.server_user.empty()) {
    ctx.server_user = a.server_user;
  } else {
    ctx.server_user = project.server_user;
  }
  ctx.expect_hosts = a.expect_hosts.empty() ? project.hosts : a.expect_hosts;
  std::error_code ec;
  for (const auto& ca : a.ca) {
    ctx.extra_ca_files.push_back(std::filesystem::absolute(ca, ec).lexically_normal().string());
  }
  ctx.options = project.options;

  std::vector<std::unique_ptr<model::Config>> configs;
  report::ReportInput input;
  for (const auto& path : a.paths) {
    model::LoadOptions lo;
    lo.paths = {path};
    if (!a.data_dir.empty()) {
      lo.data_dir = a.data_dir;
    }
    lo.pg_version = pg_version_for(a.pg_version, project);
    if (!a.root.empty()) {
      lo.root = a.root;
    }
    auto loaded = load::load_config(lo);
    if (!loaded) {
      return input_error(loaded.error().message);
    }
    print_notices(*loaded);
    configs.push_back(std::make_unique<model::Config>(std::move(*loaded)));
    auto found = lint::run(*configs.back(), ctx, *selection);
    input.diagnostics.insert(input.diagnostics.end(), std::make_move_iterator(found.begin()),
                             std::make_move_iterator(found.end()));
    input.sources.push_back(&configs.back()->sources);
    input.files += configs.back()->sources.size();
  }
  std::vector<diff::Node> nodes;
  if (!a.cluster.empty()) {
    // Every node of the cluster file is checked, then compared (drift-* rules) as `diff` does.
    diff::DiffOptions diff_options;
    if (auto applied = diff::apply_project_options(project, diff_options); !applied) {
      return input_error(applied.error().message);
    }
    model::LoadOptions base;
    base.pg_version = pg_version_for(a.pg_version, project);
    if (!a.root.empty()) {
      base.root = a.root;
    }
    auto loaded = diff::load_nodes(members, base);
    if (!loaded) {
      return input_error(loaded.error().message);
    }
    nodes = std::move(*loaded);
    for (const auto& n : nodes) {
      print_notices(n.config);
    }
    const std::vector<std::string> hosts = ctx.expect_hosts;
    for (const auto& n : nodes) {
      // A node's `hosts` in the cluster file are the names its certificate must cover,
      // unless --expect-host says otherwise.
      ctx.expect_hosts = a.expect_hosts.empty() && !n.hosts.empty() ? n.hosts : hosts;
      auto found = lint::run(n.config, ctx, *selection);
      input.diagnostics.insert(input.diagnostics.end(), std::make_move_iterator(found.begin()),
                               std::make_move_iterator(found.end()));
      input.sources.push_back(&n.config.sources);
      input.files += n.config.sources.size();
    }
    for (auto& d : diff::diff_nodes(nodes, diff_options).diagnostics) {
      if (selection->selected(d.rule)) {
        if (auto it = selection->severity.find(d.rule); it != selection->severity.end()) {
          d.severity = it->second;
        }
        input.diagnostics.push_back(std::move(d));
      }
    }
  }
  std::sort(input.diagnostics.begin(), input.diagnostics.end(), core::diagnostic_less);

  report::RenderOptions ro;
  ro.color = color_for(a.color) && a.format == "text";
  ro.quiet = a.quiet;
  ro.fail_on = fail_on;
  ro.cwd = std::filesystem::current_path(ec).string();
  const std::string out = report::render(*report::format_from_string(a.format), input, ro);
  fmt::print(stdout, "{}", out);
  std::fflush(stdout);
  // Deliberately not freed: the process ends here, and freeing a large configuration
  // (100,000 pg_hba.conf records and their model) one allocation at a time costs ~5% of it.
  for (auto& c : configs) {
    (void)c.release();
  }
  return lint::exit_code(input.diagnostics, fail_on);
}

}  // namespace pgl::cli
