#include "load/loader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <sys/stat.h>

#include "conf/guc.hpp"
#include "core/read_file.hpp"
#include "core/text.hpp"
#include "load/file_settings.hpp"
#include "parse/conf_paths.hpp"
#include "parse/parse.hpp"

namespace pgl::load {
namespace {

std::string lower(std::string_view s) {
  return core::ascii_lower(s);
}

bool is_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

std::string base_name(const std::string& p) {
  const auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// First line of PG_VERSION ("15", "9.6") as a major version number.
std::optional<int> read_pg_version(const std::string& dir) {
  if (dir.empty()) {
    return std::nullopt;
  }
  const std::string path = dir + "/PG_VERSION";
  if (!is_file(path)) {
    return std::nullopt;
  }
  auto r = read_text_file_detailed(path);
  if (r.failure != ReadFailure::none) {
    return std::nullopt;
  }
  int v = 0;
  std::size_t i = 0;
  while (i < r.text.size() && r.text[i] >= '0' && r.text[i] <= '9' && v < 1000) {
    v = v * 10 + (r.text[i] - '0');
    ++i;
  }
  if (i == 0) {
    return std::nullopt;
  }
  return v;
}

// The major version of a Debian layout path: /etc/postgresql/<major>/<cluster>/...
std::optional<int> debian_path_version(const std::string& path) {
  constexpr std::string_view k_prefix = "/etc/postgresql/";
  const auto at = path.find(k_prefix);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  std::size_t i = at + k_prefix.size();
  int v = 0;
  std::size_t digits = 0;
  while (i < path.size() && path[i] >= '0' && path[i] <= '9' && digits < 3) {
    v = v * 10 + (path[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || i >= path.size() || path[i] != '/' || v < 12 || v > 18) {
    return std::nullopt;
  }
  return v;
}

// parse_bool (src/backend/utils/adt/bool.c).
bool parse_bool_value(std::string_view v, bool fallback) {
  return core::parse_bool(v).value_or(fallback);
}

}  // namespace

namespace {

constexpr long long k_max_backends = 262143;  // 2^18 - 1

// The parameters the server counts against MAX_BACKENDS (12-17: their check hooks; 18: at
// start, with autovacuum_worker_slots in place of autovacuum_max_workers).
bool max_backends_counted(int v, std::string_view name) {
  return name == "max_connections" || name == "max_worker_processes" || name == "max_wal_senders" ||
         name == (v >= 18 ? "autovacuum_worker_slots" : "autovacuum_max_workers");
}

// 12-17: the server applies the lines in file order (the last line of each parameter), and
// each of the four check hooks adds the values in force: earlier applied lines, else the
// boot values. A line that makes the sum (+1) exceed MAX_BACKENDS is rejected (LOG
// `invalid value for parameter "x": N`, no DETAIL or HINT) and leaves the boot value; the
// start then fails (`configuration file ... contains errors`). 18 has no hooks: after reading
// the whole file, max_connections + autovacuum_worker_slots + max_worker_processes +
// max_wal_senders + 2 above MAX_BACKENDS stops the start (FATAL `too many server processes
// configured`); reported at the last applied line of the four. Checked against 12.22-18.4.
void check_max_backends(model::Config& cfg, const std::map<std::size_t, long long>& values) {
  const int v = cfg.pg_version;
  const std::array<std::string_view, 4> names = {"max_connections",
                                                 v >= 18 ? "autovacuum_worker_slots" : "autovacuum_max_workers",
                                                 "max_worker_processes", "max_wal_senders"};
  std::array<long long, 4> in_force{};
  for (std::size_t k = 0; k < names.size(); ++k) {
    const auto* def = conf::find_guc(v, names[k]);
    in_force[k] = def ? std::atoll(std::string(def->boot_val).c_str()) : 0;
  }
  std::optional<std::size_t> last;
  for (const auto& [i, value] : values) {
    auto& c = cfg.checked[i];
    if (c.overridden) {
      continue;
    }
    const auto k = static_cast<std::size_t>(std::find(names.begin(), names.end(), c.canonical_name) - names.begin());
    if (k == names.size()) {
      continue;
    }
    long long sum = value + (v >= 18 ? 2 : 1);
    for (std::size_t o = 0; o < names.size(); ++o) {
      sum += o == k ? 0 : in_force[o];
    }
    if (v <= 17 && sum > k_max_backends) {
      c.status = model::ConfEntryStatus::invalid_value;
      c.message = fmt::format("invalid value for parameter \"{}\": {}", names[k], value);
      c.hint = fmt::format(
          "lower max_connections, autovacuum_max_workers, max_worker_processes or max_wal_senders: with the "
          "values in force at this line, their sum plus 1 is {}, above MAX_BACKENDS ({}); the server "
          "refuses to start",
          sum, k_max_backends);
      continue;
    }
    in_force[k] = value;
    last = i;
  }
  const long long total = in_force[0] + in_force[1] + in_force[2] + in_force[3];
  if (v >= 18 && last && total + 2 > k_max_backends) {
    auto& c = cfg.checked[*last];
    c.status = model::ConfEntryStatus::invalid_value;
    c.message = fmt::format(
        "too many server processes configured: \"max_connections\" ({}) plus \"autovacuum_worker_slots\" ({}) "
        "plus \"max_worker_processes\" ({}) plus \"max_wal_senders\" ({}) must be less than {}.",
        in_force[0], in_force[1], in_force[2], in_force[3], k_max_backends - 1);
    c.hint =
        "lower max_connections, autovacuum_worker_slots, max_worker_processes or max_wal_senders; the "
        "server refuses to start";
  }
}

void check_entries(model::Config& cfg) {
  cfg.checked.clear();
  cfg.settings.clear();
  if (!cfg.conf) {
    return;
  }
  const int v = cfg.pg_version;
  std::vector<std::string> keys;
  std::map<std::size_t, long long> backends_value;  // checked index -> valid value of the four
  for (const auto& item : cfg.conf->items) {
    if (!item.entry) {
      continue;
    }
    const auto& e = *item.entry;
    model::CheckedEntry c;
    c.entry = &e;
    if (const auto* def = conf::find_guc(v, e.name)) {
      c.canonical_name = std::string(def->name);
      if (def->context == conf::GucContext::internal) {
        c.status = model::ConfEntryStatus::internal;
        c.message = fmt::format("parameter \"{}\" cannot be changed", e.name);
      } else {
        const auto vc = conf::check_value(v, *def, e.value);
        if (vc.max_backends_only || (vc.ok && max_backends_counted(v, def->name))) {
          backends_value[cfg.checked.size()] = std::atoll(vc.normalized.c_str());  // summed below
        } else if (!vc.ok) {
          c.status = model::ConfEntryStatus::invalid_value;
          c.message = vc.message;
          c.hint = vc.hint;
        }
      }
    } else if (valid_custom_name(e.name, v)) {
      c.canonical_name = lower(e.name);
      c.status = model::ConfEntryStatus::custom;
    } else {
      c.status = model::ConfEntryStatus::unknown;
      c.message =
          fmt::format("unrecognized configuration parameter \"{}\" in file \"{}\" line {}", e.name, e.file, e.line);
    }
    keys.push_back(c.canonical_name);
    cfg.checked.push_back(std::move(c));
  }
  // Later lines win: mark every earlier line of the same parameter as overridden.
  for (std::size_t i = cfg.checked.size(); i-- > 0;) {
    auto& c = cfg.checked[i];
    if (c.canonical_name.empty()) {
      continue;
    }
    if (cfg.settings.count(c.canonical_name)) {
      c.overridden = true;
      continue;
    }
    cfg.settings[c.canonical_name] = model::EffectiveSetting{c.canonical_name, c.entry->value, c.entry};
  }
  check_max_backends(cfg, backends_value);
}

// A path named by a setting: absolute ones go through --root; relative ones resolve
// against the configuration directory (the server would use its working directory,
// which cannot be known).
std::string setting_path(const model::Config& cfg, const std::string& value) {
  if (!value.empty() && value.front() == '/') {
    return cfg.resolve_path(value);
  }
  return parse::canonicalize_path(parse::join_path(cfg.config_dir, value), 18);
}

struct Inputs {
  std::string conf;
  std::string hba;         // given as a file on the command line
  std::string ident;       // given as a file on the command line
  std::string dir_hba;     // found in a directory given on the command line
  std::string dir_ident;   // found in a directory given on the command line
  std::string dir_auto;    // postgresql.auto.conf found in a directory given on the command line
  bool auto_only = false;  // in.conf is a postgresql.auto.conf read on its own
  bool lone = false;       // --type / --conf: nothing is pulled in beside the given files
};

// Validator mode (--type): one file, read as the given kind whatever its name.
Result<void> inputs_from_kind(const model::LoadOptions& options, Inputs& in, model::Config& cfg) {
  if (options.paths.size() != 1) {
    return fail("--type takes exactly one file");
  }
  const std::string p = parse::make_absolute(options.paths.front());
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    return fail(fmt::format("cannot read \"{}\": {}", options.paths.front(), std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return fail(
        fmt::format("cannot read \"{}\" as a file (--type {}): is a directory", options.paths.front(), *options.kind));
  }
  const std::string& k = *options.kind;
  if (k == "hba") {
    in.hba = p;
  } else if (k == "ident") {
    in.ident = p;
  } else if (k == "conf" || k == "auto") {
    in.conf = p;
    in.auto_only = true;  // the file alone (no postgresql.auto.conf after it)
    cfg.config_dir = parse::parent_directory(p);
  } else {
    return fail(fmt::format("unknown --type '{}' (conf, auto, hba or ident)", k));
  }
  in.lone = true;
  return {};
}

// A directory given on the command line: the four files the server reads from it.
Result<void> inputs_from_directory(const std::string& given, const std::string& p, Inputs& in, model::Config& cfg) {
  bool any = false;
  for (const auto& [name, slot] : {std::pair<const char*, std::string*>{"postgresql.conf", &in.conf},
                                   {"pg_hba.conf", &in.dir_hba},
                                   {"pg_ident.conf", &in.dir_ident},
                                   {"postgresql.auto.conf", &in.dir_auto}}) {
    const std::string f = p + "/" + name;
    struct stat fst {};
    if (::lstat(f.c_str(), &fst) == 0) {
      *slot = f;
      any = true;
    } else if (errno == EACCES) {  // a directory the linter may not search
      return fail(fmt::format("cannot read \"{}\": {} ({})", given, std::strerror(EACCES), core::permission_help()));
    }
  }
  if (!any) {
    return fail(
        fmt::format("\"{}\" contains no postgresql.conf, postgresql.auto.conf, pg_hba.conf or pg_ident.conf", given));
  }
  if (cfg.config_dir.empty()) {
    cfg.config_dir = p;
  }
  return {};
}

// A path given on the command line: a directory, or a file recognised by its name.
Result<void> inputs_from_path(const std::string& given, Inputs& in, model::Config& cfg) {
  const std::string p = parse::make_absolute(given);
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    const int err = errno;
    return fail(fmt::format("cannot read \"{}\": {}{}", given, std::strerror(err),
                            err == EACCES ? fmt::format(" ({})", core::permission_help()) : std::string()));
  }
  if (S_ISDIR(st.st_mode)) {
    return inputs_from_directory(given, p, in, cfg);
  }
  const std::string name = lower(base_name(p));
  if (name.find("hba") != std::string::npos) {
    in.hba = p;
  } else if (name.find("ident") != std::string::npos) {
    in.ident = p;
  } else {
    in.conf = p;
    in.auto_only = name == "postgresql.auto.conf" || name.ends_with(".auto.conf");
    cfg.config_dir = parse::parent_directory(p);
  }
  return {};
}

// --conf: the postgresql.conf a lone pg_hba.conf or pg_ident.conf goes with.
Result<void> input_conf_file(const std::string& conf_file, Inputs& in, model::Config& cfg) {
  if (!in.conf.empty()) {
    return fail("--conf is for a lone pg_hba.conf or pg_ident.conf; a postgresql.conf was given too");
  }
  const std::string c = parse::make_absolute(conf_file);
  if (!is_file(c)) {
    return fail(fmt::format("cannot read \"{}\" (--conf): {}", conf_file, std::strerror(errno != 0 ? errno : ENOENT)));
  }
  in.conf = c;
  in.lone = true;
  cfg.config_dir = parse::parent_directory(c);
  return {};
}

// The files to read, from the paths and options of the command line.
Result<Inputs> find_inputs(const model::LoadOptions& options, model::Config& cfg) {
  Inputs in;
  if (options.kind) {
    if (auto r = inputs_from_kind(options, in, cfg); !r) {
      return tl::unexpected(r.error());
    }
  } else {
    for (const auto& given : options.paths) {
      if (auto r = inputs_from_path(given, in, cfg); !r) {
        return tl::unexpected(r.error());
      }
    }
  }
  // A directory holding only postgresql.auto.conf (a data directory of the Debian layout):
  // read it on its own.
  if (in.conf.empty() && !in.dir_auto.empty()) {
    in.conf = in.dir_auto;
    in.auto_only = true;
  }
  if (options.conf_file) {
    if (auto r = input_conf_file(*options.conf_file, in, cfg); !r) {
      return tl::unexpected(r.error());
    }
  }
  if (cfg.config_dir.empty()) {
    cfg.config_dir = parse::parent_directory(!in.hba.empty() ? in.hba : in.ident);
  }
  return in;
}

// The data directory's PG_VERSION is what the server is; --pg-version only stands in
// where there is none (a configuration repository), and a disagreement is said.
void pick_version(model::Config& cfg, const model::LoadOptions& options) {
  std::optional<int> found = read_pg_version(cfg.data_dir);
  std::string found_in = cfg.data_dir;
  if (!found) {
    found = read_pg_version(cfg.config_dir);
    found_in = cfg.config_dir;
  }
  cfg.notices.clear();
  if (found) {
    cfg.pg_version = *found;
    cfg.version_source = "PG_VERSION";
    if (options.pg_version && *options.pg_version != *found) {
      cfg.notices.push_back(fmt::format(
          "PostgreSQL {} was asked for (--pg-version or pg_version in .pgconflint.toml), but \"{}/PG_VERSION\" "
          "says {}: using {}",
          *options.pg_version, found_in, *found, *found));
    }
  } else if (options.pg_version) {
    cfg.pg_version = *options.pg_version;
    cfg.version_source = "--pg-version";
  } else if (auto from_path = debian_path_version(cfg.config_dir + "/")) {
    cfg.pg_version = *from_path;
    cfg.version_source = "path";
  } else {
    cfg.pg_version = 18;
    cfg.version_source = "default";
  }
}

// hba_file / ident_file win over the files beside postgresql.conf, as in the server.
// A target that is not there is most often a path of the server machine while a copy
// is checked: say so, and check the file beside postgresql.conf (if any) instead.
void named_file(model::Config& cfg, const char* setting, bool explicit_file, std::string& slot) {
  const auto* s = cfg.setting(setting);
  if (!s || explicit_file || s->value.empty()) {
    return;
  }
  const std::string path = setting_path(cfg, s->value);
  struct stat fst {};
  if (::stat(path.c_str(), &fst) == 0) {
    slot = path;
    return;
  }
  cfg.notices.push_back(
      fmt::format("{} = '{}' ({}:{}) names \"{}\", which is not present here; {} (pass --root DIR when checking a "
                  "copy of the server's files)",
                  setting, s->value, s->entry->file, s->entry->line, path,
                  is_file(cfg.config_dir + "/" + (std::string(setting) == "hba_file" ? "pg_hba.conf" : "pg_ident.conf"))
                      ? "checking the file beside postgresql.conf instead"
                      : "it was not checked"));
}

// The fatal problems of postgresql.conf as load diagnostics (syntax-error).
void add_fatal_problems(model::Config& cfg) {
  for (const auto& item : cfg.conf->items) {
    if (!item.problem || !item.problem->fatal) {
      continue;
    }
    core::Diagnostic d;
    d.rule = "syntax-error";
    d.severity = core::Severity::error;
    d.message = item.problem->log_message;
    d.span = item.problem->span;
    cfg.load_diagnostics.push_back(std::move(d));
  }
}

// postgresql.conf in two passes, as the server reads it: the postmaster's first finds
// data_directory (and so PG_VERSION and postgresql.auto.conf), the second reads it all.
Result<void> load_conf(model::Config& cfg, const model::LoadOptions& options, const Inputs& in) {
  parse::ConfParseOptions po;
  po.pg_version = cfg.pg_version;
  po.data_dir = cfg.data_dir;
  auto first = parse::parse_conf(in.conf, po, cfg.sources);
  if (!first) {
    return tl::unexpected(first.error());
  }
  if (!options.data_dir && !in.lone) {
    std::string data_directory;
    for (const auto& item : first->items) {
      if (item.entry && lower(item.entry->name) == "data_directory") {
        data_directory = item.entry->value;
      }
    }
    if (!data_directory.empty()) {
      cfg.data_dir = setting_path(cfg, data_directory);
      if (cfg.version_source != "PG_VERSION") {
        pick_version(cfg, options);
      }
    }
  }
  po.pg_version = cfg.pg_version;
  po.data_dir = cfg.data_dir;
  po.auto_file = in.auto_only ? std::string() : cfg.data_dir + "/postgresql.auto.conf";
  auto second = parse::parse_conf(in.conf, po, cfg.sources);
  if (!second) {
    return tl::unexpected(second.error());
  }
  cfg.conf = std::move(*second);
  check_entries(cfg);
  add_fatal_problems(cfg);
  return {};
}

// Repository mode: an include_dir directive (16+) whose directory does not exist, here
// either ("could not open directory "/p"": the server's message names no errno).
bool missing_directory(const std::string& e) {
  constexpr std::string_view head = "could not open directory \"";
  if (!e.starts_with(head) || !e.ends_with('"') || e.size() <= head.size() + 1) {
    return false;
  }
  const std::string path = e.substr(head.size(), e.size() - head.size() - 1);
  struct stat st {};
  return ::stat(path.c_str(), &st) != 0 && errno == ENOENT;
}

// Repository mode: the first include directive of pg_hba.conf (16+) whose file or directory
// does not exist ("could not open file "/p": No such file or directory", "could not open
// directory "/p"").
void mark_missing_include(model::HbaFile& hba) {
  const std::string tail = std::string("\": ") + std::strerror(ENOENT);
  for (std::size_t i = 0; i < hba.records.size(); ++i) {
    const auto& e = hba.records[i].error;
    if (e && ((e->starts_with("could not open file \"") && e->ends_with(tail)) || missing_directory(*e))) {
      hba.unknown_lines_from = std::min(i, hba.unknown_lines_from.value_or(i));  // the parser's, if earlier
      return;
    }
  }
}

// pg_hba.conf and pg_ident.conf. A path given on the command line (or found in a directory
// given there) that is no regular file or too large stops the run (exit 2), as
// postgresql.conf does; one that hba_file or ident_file names is a finding at that line.
Result<void> load_auth(model::Config& cfg, const Inputs& in, bool hba_explicit, bool ident_explicit, bool repo) {
  if (!cfg.conf && !in.hba.empty()) {
    cfg.notices.push_back(
        fmt::format("\"{}\" was read without its postgresql.conf: ssl, listen_addresses and the other settings are not "
                    "known, and the checks that depend on them were skipped (pass --conf FILE)",
                    in.hba));
  }
  parse::AuthParseOptions ao;
  ao.pg_version = cfg.pg_version;
  ao.ssl_on = parse_bool_value(cfg.value_or_default("ssl"), false);
  ao.db_user_namespace = cfg.value_or_default("db_user_namespace");
  ao.oauth_validator_libraries = cfg.value_or_default("oauth_validator_libraries");
  ao.missing_files_unknown = repo;
  const bool hba_given = hba_explicit || (!in.hba.empty() && in.hba == in.dir_hba);
  const bool ident_given = ident_explicit || (!in.ident.empty() && in.ident == in.dir_ident);
  if (!in.hba.empty()) {
    cfg.hba = parse::parse_hba(in.hba, ao, cfg.sources);
    if (cfg.hba->refused && hba_given) {
      return fail(*cfg.hba->file_error);
    }
  }
  if (repo && cfg.hba) {
    mark_missing_include(*cfg.hba);
  }
  if (!in.ident.empty()) {
    cfg.ident = parse::parse_ident(in.ident, ao, cfg.sources);
    if (cfg.ident->refused && ident_given) {
      return fail(*cfg.ident->file_error);
    }
  }
  return {};
}

}  // namespace

Result<model::Config> load_config(const model::LoadOptions& options) {
  model::Config cfg;
  cfg.root = options.root;
  if (options.paths.empty()) {
    return fail("no configuration path given");
  }
  auto found = find_inputs(options, cfg);
  if (!found) {
    return tl::unexpected(found.error());
  }
  Inputs& in = *found;
  const bool hba_explicit = !in.hba.empty();
  const bool ident_explicit = !in.ident.empty();

  cfg.data_dir = options.data_dir ? parse::make_absolute(*options.data_dir) : cfg.config_dir;
  pick_version(cfg, options);

  if (!in.conf.empty()) {
    if (auto r = load_conf(cfg, options, in); !r) {
      return tl::unexpected(r.error());
    }
    if (!in.lone) {
      named_file(cfg, "hba_file", hba_explicit, in.hba);
      named_file(cfg, "ident_file", ident_explicit, in.ident);
      if (in.hba.empty() && is_file(cfg.config_dir + "/pg_hba.conf")) {
        in.hba = cfg.config_dir + "/pg_hba.conf";
      }
      if (in.ident.empty() && is_file(cfg.config_dir + "/pg_ident.conf")) {
        in.ident = cfg.config_dir + "/pg_ident.conf";
      }
    }
  }
  if (in.hba.empty()) {
    in.hba = in.dir_hba;
  }
  if (in.ident.empty()) {
    in.ident = in.dir_ident;
  }
  if (auto r = load_auth(cfg, in, hba_explicit, ident_explicit, options.repo); !r) {
    return tl::unexpected(r.error());
  }
  return cfg;
}

}  // namespace pgl::load
