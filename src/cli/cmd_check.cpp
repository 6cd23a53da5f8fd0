// pgconflint check PATH... : load each path as one server, lint it, render the findings.
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "cli/probe_support.hpp"
#include "diff/diff.hpp"
#include "lint/engine.hpp"
#include "load/loader.hpp"
#include "report/report.hpp"

namespace pgl::cli {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool k_sanitized = true;
#else
constexpr bool k_sanitized = false;
#endif
#else
constexpr bool k_sanitized = false;
#endif

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
  bool repo = false;
  std::string now;
  int expiry_days = -1;
  std::vector<std::string> expect_hosts;
  std::vector<std::string> ca;
  std::string cluster;
  std::string type;
  std::string stdin_filename;
  std::string conf;
  std::string base_dir;
  std::string rule_url;
};

// The git top level above `path` (a directory holding .git), if any.
std::optional<std::string> git_top_level(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec).lexically_normal();
  if (!std::filesystem::is_directory(p, ec)) {
    p = p.parent_path();
  }
  for (; !p.empty(); p = p.parent_path()) {
    if (std::filesystem::exists(p / ".git", ec)) {
      return p.string();
    }
    if (p == p.root_path()) {
      break;
    }
  }
  return std::nullopt;
}

// Standard input of `--type KIND -`, kept in a private temporary directory under the
// name it is shown as (its relative includes resolve from there, as from nowhere).
class StdinFile {
 public:
  ~StdinFile() {
    std::error_code ec;
    if (!m_dir.empty()) {
      std::filesystem::remove_all(m_dir, ec);
    }
  }
  Result<std::string> read(const std::string& shown_name) {
    std::string text;
    char buf[65536];
    for (;;) {
      const std::size_t n = std::fread(buf, 1, sizeof buf, stdin);
      text.append(buf, n);
      if (text.size() > load::k_max_file_size) {
        return fail("cannot read standard input: more than 64 MiB");
      }
      if (n < sizeof buf) {
        if (std::ferror(stdin) != 0) {
          return fail("cannot read standard input");
        }
        break;
      }
    }
    std::string templ = (std::filesystem::temp_directory_path() / "pgconflint-stdin-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      return fail("cannot create a temporary directory for standard input");
    }
    m_dir = templ;
    std::string base = std::filesystem::path(shown_name).filename().string();
    if (base.empty() || base == "." || base == "..") {
      base = "stdin";
    }
    const std::string path = m_dir + "/" + base;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0) {
      return fail("cannot write the temporary copy of standard input");
    }
    return path;
  }

 private:
  std::string m_dir;
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

void add_check_options(CLI::App& app, CheckArgs& a, bool with_cluster) {
  auto* path_option = app.add_option("PATH", a.paths, "configuration directory or file");
  if (!with_cluster) {
    path_option->required();
  }
  app.add_option("--cluster", a.cluster, "cluster.toml: check every node and compare them as `diff` does");
  app.add_option("--format", a.format, "output format")
      ->check(CLI::IsMember(
          std::vector<std::string>(std::begin(report::k_format_names), std::end(report::k_format_names))));
  app.add_option("--type", a.type,
                 "read the one FILE as this kind whatever its name, and nothing beside it ('-' = standard input)")
      ->check(CLI::IsMember({"conf", "auto", "hba", "ident"}));
  app.add_option("--stdin-filename", a.stdin_filename, "name standard input ('-') has in the output");
  app.add_option("--conf", a.conf,
                 "postgresql.conf a lone pg_hba.conf or pg_ident.conf goes with (ssl, listen_addresses)");
  app.add_option("--base-dir", a.base_dir,
                 "paths are shown relative to this directory (default: git top level of the first PATH, else the "
                 "current directory)");
  app.add_option("--rule-url", a.rule_url, "SARIF help URL of a rule: {id}, {area}, {path}, {version} are replaced");
  add_fail_on_option(app, a.fail_on);
  app.add_option("--pg-version", a.pg_version, "PostgreSQL major version (default: PG_VERSION, else 18)")
      ->check(CLI::Range(12, 18));
  app.add_option("--data-dir", a.data_dir, "data directory (postgresql.auto.conf, relative file paths)");
  add_config_option(app, a.config);
  app.add_option("--profile", a.profile, "rule profile")->check(CLI::IsMember({"default", "strict", "cis"}));
  app.add_option("--enable", a.enable, "also run this rule (repeatable)");
  app.add_option("--disable", a.disable, "do not run this rule (repeatable)");
  add_color_option(app, a.color);
  app.add_flag("--repo", a.repo,
               "the files are a repository's copy: files they name that are not here are noted as not checked");
  app.add_flag("-q,--quiet", a.quiet, "only findings at or above --fail-on; nothing when clean");
  app.add_option("--root", a.root, "directory that absolute paths in the configuration are relative to");
  app.add_option("--server-user", a.server_user, "operating-system user the server runs as");
  app.add_option("--now", a.now, "reference time for certificate checks (e.g. 2026-01-01T00:00:00Z)");
  app.add_option("--expiry-days", a.expiry_days, "warn about certificates expiring within N days")
      ->check(CLI::Range(0, 36500));
  app.add_option("--expect-host", a.expect_hosts, "host name the server certificate must cover (repeatable)");
  app.add_option("--ca", a.ca, "extra CA certificate file (repeatable)");
}

// The combinations of options that make no sense: the exit code of the usage error.
std::optional<int> usage_problem(const CheckArgs& a, bool from_stdin) {
  if (a.paths.empty() == a.cluster.empty()) {
    return usage_error("check", a.cluster.empty() ? "PATH is required (or --cluster cluster.toml)"
                                                  : "give either --cluster or PATH..., not both");
  }
  if (from_stdin && a.type.empty()) {
    return usage_error("check", "'-' (standard input) needs --type conf|auto|hba|ident");
  }
  if (!a.type.empty() && a.paths.size() != 1) {
    return usage_error("check", "--type reads exactly one FILE (or '-')");
  }
  if (!a.stdin_filename.empty() && !from_stdin) {
    return usage_error("check", "--stdin-filename names standard input: give '-' as the FILE");
  }
  if (!a.conf.empty() && (!a.cluster.empty() || a.type == "conf" || a.type == "auto")) {
    return usage_error("check",
                       "--conf goes with a pg_hba.conf or pg_ident.conf (--type hba or ident, or such a file)");
  }
  if (!a.cluster.empty() && !a.data_dir.empty()) {
    return usage_error("check", "--data-dir does not apply to --cluster (set data_dir per node in the cluster file)");
  }
  return std::nullopt;
}

// Project configuration: --config, else the nearest .pgconflint.toml above each path (a
// monorepo's directories each get their own), or above the cluster file. Each file is
// read once.
class Projects {
 public:
  explicit Projects(const std::string& config_option) : m_config_option(config_option) {}

  Result<const lint::ProjectConfig*> near(const std::string& path) {
    std::optional<std::string> file =
        m_config_option.empty() ? lint::find_project_config(path) : std::optional(m_config_option);
    const std::string key = file.value_or("");
    if (auto it = m_by_file.find(key); it != m_by_file.end()) {
      return &it->second;
    }
    lint::ProjectConfig loaded;
    if (file) {
      auto r = lint::load_project_config(*file);
      if (!r) {
        return tl::unexpected(r.error());
      }
      loaded = std::move(*r);
    }
    return &m_by_file.emplace(key, std::move(loaded)).first->second;
  }

 private:
  const std::string& m_config_option;
  std::map<std::string, lint::ProjectConfig> m_by_file;  // by file ("" = none)
};

// What a project configuration decides: the rule selection and the lint context.
struct Settings {
  lint::RuleSelection selection;
  lint::LintContext ctx;
  std::optional<int> pg_version;
};

// The rule selection of a project configuration, the command line winning over the file.
lint::EngineOptions engine_options(const CheckArgs& a, const lint::ProjectConfig& pc) {
  lint::EngineOptions engine;
  engine.profile = pc.profile.value_or(lint::Profile::default_);
  if (!a.profile.empty()) {
    engine.profile = *lint::profile_from_string(a.profile);
  }
  engine.enable = pc.enable;
  engine.disable = pc.disable;
  remove_all(engine.disable, a.enable);  // the command line wins over the file
  remove_all(engine.enable, a.disable);
  append_unique(engine.enable, a.enable);
  append_unique(engine.disable, a.disable);
  engine.severity = pc.severity;
  return engine;
}

// The lint context of a project configuration (--now has been validated).
lint::LintContext lint_context(const CheckArgs& a, const lint::ProjectConfig& pc) {
  lint::LintContext ctx;
  if (!a.now.empty()) {
    ctx.now = *lint::parse_timestamp(a.now);
  } else {
    ctx.now = std::time(nullptr);
  }
  ctx.expiry_days = a.expiry_days >= 0 ? a.expiry_days : pc.expiry_days.value_or(30);
  if (!a.server_user.empty()) {
    ctx.server_user = a.server_user;
  } else {
    ctx.server_user = pc.server_user;
  }
  ctx.expect_hosts = a.expect_hosts.empty() ? pc.hosts : a.expect_hosts;
  ctx.repo = a.repo || pc.repo.value_or(false);
  std::error_code ec;
  for (const auto& ca : a.ca) {
    ctx.extra_ca_files.push_back(std::filesystem::absolute(ca, ec).lexically_normal().string());
  }
  ctx.options = pc.options;
  return ctx;
}

// The settings of each project configuration, made once.
class SettingsCache {
 public:
  explicit SettingsCache(const CheckArgs& a) : m_args(a) {}

  // nullptr when the rule selection fails (error() says why).
  const Settings* of(const lint::ProjectConfig& pc) {
    if (auto it = m_by_project.find(&pc); it != m_by_project.end()) {
      return &it->second;
    }
    auto selection = lint::select_rules(engine_options(m_args, pc));
    if (!selection) {
      m_error = selection.error().message;
      return nullptr;
    }
    Settings st{std::move(*selection), lint_context(m_args, pc), pg_version_for(m_args.pg_version, pc)};
    return &m_by_project.emplace(&pc, std::move(st)).first->second;
  }
  [[nodiscard]] const std::string& error() const { return m_error; }

 private:
  const CheckArgs& m_args;
  std::map<const lint::ProjectConfig*, Settings> m_by_project;
  std::string m_error;
};

// What the run collects for the report.
struct Collected {
  StdinFile stdin_file;
  std::map<std::string, std::string> display;
  std::vector<std::string> notices;
  std::vector<std::unique_ptr<model::Config>> configs;
  std::vector<diff::Node> nodes;
  report::ReportInput input;

  void say_notices(const model::Config& c) {
    print_notices(c);
    notices.insert(notices.end(), c.notices.begin(), c.notices.end());
  }
};

model::LoadOptions load_options(const CheckArgs& a, const std::string& path, const Settings& st) {
  model::LoadOptions lo;
  lo.paths = {path};
  if (!a.data_dir.empty()) {
    lo.data_dir = a.data_dir;
  }
  lo.pg_version = st.pg_version;
  lo.repo = st.ctx.repo;
  if (!a.root.empty()) {
    lo.root = a.root;
  }
  if (!a.type.empty()) {
    lo.kind = a.type;
  }
  if (!a.conf.empty()) {
    lo.conf_file = a.conf;
  }
  return lo;
}

// Loads and lints one PATH (standard input for '-'). The exit code when it stops the run.
std::optional<int> check_path(const CheckArgs& a, const std::string& given, Projects& projects, SettingsCache& settings,
                              const Result<const lint::ProjectConfig*>& first_project, Collected& out) {
  std::string path = given;
  if (given == "-") {
    auto tmp = out.stdin_file.read(a.stdin_filename.empty() ? "stdin" : a.stdin_filename);
    if (!tmp) {
      return input_error(tmp.error().message);
    }
    path = *tmp;
    out.display[path] = a.stdin_filename.empty() ? "<stdin>" : a.stdin_filename;
  }
  auto pc = given == "-" ? first_project : projects.near(path);
  if (!pc) {
    return input_error(pc.error().message);
  }
  const Settings* st = settings.of(**pc);
  if (st == nullptr) {
    return usage_error("check", settings.error());
  }
  auto loaded = load::load_config(load_options(a, path, *st));
  if (!loaded) {
    return input_error(loaded.error().message);
  }
  out.say_notices(*loaded);
  out.configs.push_back(std::make_unique<model::Config>(std::move(*loaded)));
  const model::Config& config = *out.configs.back();
  lint::LintContext ctx = st->ctx;
  auto found = lint::run(config, ctx, st->selection);
  std::error_code ec;
  const std::string checked = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (a.conf.empty() && out.input.diagnostics.empty()) {
    out.input.diagnostics = std::move(found);  // the first path's findings, taken whole
  } else {
    auto& all = out.input.diagnostics;
    if (all.size() + found.size() > all.capacity()) {
      all.reserve(std::max(all.size() + found.size(), 2 * all.capacity()));  // each finding moves once or twice
    }
    for (auto& d : found) {
      // With --conf, the postgresql.conf is context: only the checked file's findings count.
      if (!a.conf.empty() && d.span.begin.file != checked) {
        continue;
      }
      out.input.diagnostics.push_back(std::move(d));
    }
  }
  out.input.sources.push_back(&config.sources);
  out.input.files += a.conf.empty() ? config.sources.size() : 1;
  out.input.targets.push_back({checked, config.pg_version, config.version_source});
  return std::nullopt;
}

template <typename T>
void append(std::vector<T>& to, std::vector<T>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// --cluster: every node of the cluster file is checked, then compared (drift-* rules) as
// `diff` does. The exit code when it stops the run.
std::optional<int> check_cluster(const CheckArgs& a, const std::vector<diff::ClusterNode>& members,
                                 const lint::ProjectConfig& project, const Settings& first_settings, Collected& out) {
  diff::DiffOptions diff_options;
  if (auto applied = diff::apply_project_options(project, diff_options); !applied) {
    return input_error(applied.error().message);
  }
  model::LoadOptions base;
  base.pg_version = first_settings.pg_version;
  if (!a.root.empty()) {
    base.root = a.root;
  }
  auto loaded = diff::load_nodes(members, base);
  if (!loaded) {
    return input_error(loaded.error().message);
  }
  out.nodes = std::move(*loaded);
  const std::vector<diff::Node>& nodes = out.nodes;
  for (const auto& n : nodes) {
    out.say_notices(n.config);
    out.input.targets.push_back({n.name, n.config.pg_version, n.config.version_source});
  }
  lint::LintContext ctx = first_settings.ctx;
  const lint::RuleSelection& selection = first_settings.selection;
  const std::vector<std::string> hosts = ctx.expect_hosts;
  std::vector<core::Diagnostic> found;
  std::vector<const core::SourceSet*> sources;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    // A node's `hosts` in the cluster file are the names its certificate must cover,
    // unless --expect-host says otherwise.
    ctx.expect_hosts = a.expect_hosts.empty() && !n.hosts.empty() ? n.hosts : hosts;
    append(found, lint::run_rules(n.config, ctx, selection));
    if (members[i].probe) {  // the running node, as `pgconflint probe --config-dir` sees it
      auto probed = probe_node(*members[i].probe, n.config, ctx, a.ca, selection);
      if (!probed) {
        return input_error(fmt::format("node '{}': {}", n.name, probed.error().message));
      }
      append(found, std::move(*probed));
    }
    sources.push_back(&n.config.sources);
    out.input.sources.push_back(&n.config.sources);
    out.input.files += n.config.sources.size();
  }
  ctx.expect_hosts = hosts;
  append(found, lint::run_cluster_rules(diff::diff_nodes(nodes, diff_options).facts, ctx, selection));
  // One post-processing step over every node's files: a suppression on a replica's line
  // hides a drift finding there, and is not called unused.
  append(out.input.diagnostics,
         lint::finish(std::move(found), sources, selection, lint::RunScope{.config = true, .cluster = true}));
  return std::nullopt;
}

// The directory paths are shown relative to: --base-dir, else the git top level of the
// first PATH (or of the cluster file), else the current directory.
std::string base_directory(const CheckArgs& a, bool from_stdin) {
  std::error_code ec;
  std::string cwd;
  if (!a.base_dir.empty()) {
    cwd = std::filesystem::absolute(a.base_dir, ec).lexically_normal().string();
  } else if (auto top = git_top_level(from_stdin || a.paths.empty() ? (a.cluster.empty() ? "." : a.cluster)
                                                                    : a.paths.front())) {
    cwd = *top;
  } else {
    cwd = std::filesystem::current_path(ec).string();
  }
  if (cwd.size() > 1 && cwd.back() == '/') {
    cwd.pop_back();
  }
  return cwd;
}

// The version each path was read as is always said (json and sarif carry it as a field).
void say_versions(const std::vector<report::Target>& targets, const report::RenderOptions& ro) {
  for (const auto& t : targets) {
    const std::string how = t.version_source == "PG_VERSION"     ? "from PG_VERSION"
                            : t.version_source == "--pg-version" ? "as asked (--pg-version or pg_version)"
                            : t.version_source == "path"         ? "from the /etc/postgresql/<major>/ path"
                                                                 : "the default; pass --pg-version N";
    fmt::print(stderr, "pgconflint: note: {}: read as PostgreSQL {} ({})\n", report::display_path(t.path, ro),
               t.pg_version, how);
  }
}

}  // namespace

int cmd_check(const std::vector<std::string>& args) {
  CheckArgs a;
  CLI::App app{
      "Lint PostgreSQL configuration: each PATH is one server (a configuration directory, a data directory or a file).",
      "pgconflint check"};
  // PATH stays required without --cluster: CLI11 then keeps the last arguments of a
  // repeatable option (--enable a b PATH) for it.
  const bool with_cluster = std::any_of(
      args.begin(), args.end(), [](const std::string& s) { return s == "--cluster" || s.starts_with("--cluster="); });
  add_check_options(app, a, with_cluster);
  if (auto done = parse_options(app, args, "check")) {
    return *done;
  }
  const bool from_stdin = std::find(a.paths.begin(), a.paths.end(), "-") != a.paths.end();
  if (auto problem = usage_problem(a, from_stdin)) {
    return *problem;
  }
  std::vector<diff::ClusterNode> members;
  if (!a.cluster.empty()) {
    auto read = diff::read_cluster_file(a.cluster);
    if (!read) {
      return input_error(read.error().message);
    }
    members = std::move(*read);
  }

  Projects projects(a.config);
  const auto first_project =
      projects.near(a.cluster.empty() ? (from_stdin ? std::string(".") : a.paths.front()) : a.cluster);
  if (!first_project) {
    return input_error(first_project.error().message);
  }
  const lint::ProjectConfig& project = **first_project;
  if (!a.now.empty() && !lint::parse_timestamp(a.now)) {
    return usage_error("check",
                       fmt::format("--now: invalid timestamp '{}' (expected e.g. 2026-01-01T00:00:00Z)", a.now));
  }
  SettingsCache settings(a);
  const Settings* first_settings = settings.of(project);
  if (first_settings == nullptr) {
    return usage_error("check", settings.error());
  }
  const lint::FailOn fail_on = fail_on_for(a.fail_on, project);

  Collected out;
  for (const auto& given : a.paths) {
    if (auto stop = check_path(a, given, projects, settings, first_project, out)) {
      return *stop;
    }
  }
  if (!a.cluster.empty()) {
    if (auto stop = check_cluster(a, members, project, *first_settings, out)) {
      return *stop;
    }
  }
  report::ReportInput& input = out.input;
  lint::sort_findings(input.diagnostics);

  report::RenderOptions ro;
  ro.color = color_for(a.color) && a.format == "text";
  ro.quiet = a.quiet;
  ro.fail_on = fail_on;
  ro.cwd = base_directory(a, from_stdin);
  ro.display = out.display;
  ro.rule_url = !a.rule_url.empty() ? a.rule_url : project.rule_url.value_or("");
  input.notices = out.notices;
  if (a.format == "text" && !a.quiet) {
    say_versions(input.targets, ro);
  }
  // Written in pieces of about 1 MiB, each rendered into the same buffer: a 20 MB report is
  // never held (nor its pages faulted in) whole. (fmt::print would copy each into a buffer.)
  report::render_to(*report::format_from_string(a.format), input, ro,
                    [](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); });
  std::fflush(stdout);
  const int code = lint::exit_code(input.diagnostics, fail_on);
  if (!k_sanitized) {
    // Deliberately not freed: the process ends here, and freeing a large configuration
    // (100,000 pg_hba.conf records and their model) and its findings one allocation at a
    // time costs ~3% of the run. Kept reachable from a static; sanitizer builds free all.
    static auto* const kept = new Collected();
    kept->configs = std::move(out.configs);
    kept->input.diagnostics = std::move(input.diagnostics);
  }
  return code;
}

}  // namespace pgl::cli
