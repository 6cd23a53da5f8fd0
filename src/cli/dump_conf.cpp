// `pgconflint dump conf FILE`: the rows pg_file_settings would show for FILE.
//
// The view simulates a reload of a running server. Whether a postmaster-context
// parameter "could be applied" depends on the value the server is running with, which
// a file alone does not tell. By default the server is assumed to have been started
// with this very configuration (such a line is applied when valid; only a differing
// earlier duplicate is not). `--running NAME=VALUE` names a running value, and
// `--running-boot` assumes boot defaults for every parameter not named (a server
// started with an empty postgresql.conf, as the differential tests run it).
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/dump.hpp"
#include "conf/guc.hpp"
#include "core/secrets.hpp"
#include "load/file_settings.hpp"
#include "load/loader.hpp"
#include "parse/conf_paths.hpp"
#include "parse/conninfo.hpp"
#include "parse/parse.hpp"

namespace pgl::cli {
namespace {

constexpr const char* k_usage =
    "usage: pgconflint dump conf FILE [--pg-version N] [--data-dir DIR]\n"
    "                                 [--running NAME=VALUE]... [--running-boot] [--show-secrets]\n"
    "Prints the rows of pg_file_settings for FILE (a postgresql.conf) as a JSON array.\n"
    "postgresql.auto.conf is read from FILE's directory, or from --data-dir.\n"
    "Postmaster-context parameters: a line is applied when its value equals the running\n"
    "value; by default the server runs with this file's own values; --running names a\n"
    "running value; --running-boot assumes boot defaults for the others.\n"
    "Passwords in primary_conninfo and the arguments of ssl_passphrase_command are shown\n"
    "as *** unless --show-secrets is given.\n";

std::optional<int> read_version_file(const std::string& dir) {
  auto r = load::read_text_file_detailed(dir + "/PG_VERSION");
  if (r.failure != load::ReadFailure::none || r.text.empty() || r.text[0] < '0' || r.text[0] > '9') {
    return std::nullopt;
  }
  return std::atoi(r.text.c_str());
}

}  // namespace

int dump_conf(const std::vector<std::string>& args) {
  std::string file;
  std::optional<int> version;
  std::optional<std::string> data_dir;
  load::RunningValues running;
  bool show_secrets = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto next = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        return std::nullopt;
      }
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      fmt::print(stdout, "{}", k_usage);
      return k_exit_ok;
    }
    if (a == "--pg-version") {
      auto v = next();
      char* end = nullptr;
      const long n = v ? std::strtol(v->c_str(), &end, 10) : 0;
      if (!v || *end != '\0' || n < conf::k_min_version || n > conf::k_max_version) {
        fmt::print(stderr, "pgconflint: dump conf: --pg-version needs a major version from {} to {}\n",
                   conf::k_min_version, conf::k_max_version);
        return k_exit_error;
      }
      version = static_cast<int>(n);
    } else if (a == "--data-dir") {
      data_dir = next();
      if (!data_dir) {
        fmt::print(stderr, "pgconflint: dump conf: --data-dir needs a directory\n");
        return k_exit_error;
      }
    } else if (a == "--running") {
      auto v = next();
      const auto eq = v ? v->find('=') : std::string::npos;
      if (eq == std::string::npos || eq == 0) {
        fmt::print(stderr, "pgconflint: dump conf: --running needs NAME=VALUE\n");
        return k_exit_error;
      }
      running.values[v->substr(0, eq)] = v->substr(eq + 1);
    } else if (a == "--running-boot") {
      running.boot_defaults = true;
    } else if (a == "--show-secrets") {
      show_secrets = true;
    } else if (!a.empty() && a[0] == '-') {
      fmt::print(stderr, "pgconflint: dump conf: unknown option '{}'\n{}", a, k_usage);
      return k_exit_error;
    } else if (file.empty()) {
      file = a;
    } else {
      fmt::print(stderr, "pgconflint: dump conf: more than one FILE given\n");
      return k_exit_error;
    }
  }
  if (file.empty()) {
    fmt::print(stderr, "{}", k_usage);
    return k_exit_error;
  }
  const std::string abs = parse::make_absolute(file);
  const std::string dir = data_dir ? parse::make_absolute(*data_dir) : parse::parent_directory(abs);
  if (!version) {
    version = read_version_file(dir);
    if (!version || *version < conf::k_min_version || *version > conf::k_max_version) {
      version = conf::k_max_version;
    }
  }
  parse::ConfParseOptions po;
  po.pg_version = *version;
  po.data_dir = dir;
  po.auto_file = dir + "/postgresql.auto.conf";
  po.emulate_view = true;
  core::SourceSet sources;
  auto set = parse::parse_conf(abs, po, sources);
  if (!set) {
    fmt::print(stderr, "pgconflint: {}\n", set.error().message);
    return k_exit_error;
  }
  const auto rows = load::file_settings_view(*set, *version, running);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    nlohmann::ordered_json j;
    j["sourcefile"] = r.sourcefile ? nlohmann::ordered_json(*r.sourcefile) : nullptr;
    j["sourceline"] = r.sourceline ? nlohmann::ordered_json(*r.sourceline) : nullptr;
    j["seqno"] = r.seqno;
    j["name"] = r.name ? nlohmann::ordered_json(*r.name) : nullptr;
    const auto shown = [&](const std::string& text, bool setting) {
      if (show_secrets) {
        return text;
      }
      return setting && r.name ? parse::masked_setting_value(*r.name, text) : core::mask_secrets(text);
    };
    j["setting"] = r.setting ? nlohmann::ordered_json(shown(*r.setting, true)) : nullptr;
    j["applied"] = r.applied;
    j["error"] = r.error ? nlohmann::ordered_json(shown(*r.error, false)) : nullptr;
    out.push_back(std::move(j));
  }
  fmt::print(stdout, "{}\n", out.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  return k_exit_ok;
}

}  // namespace pgl::cli
