// `pgconflint dump conf FILE`: the rows pg_file_settings would show for FILE.
//
// The view simulates a reload of a running server. Whether a postmaster-context
// parameter "could be applied" depends on the value the server is running with, which
// a file alone does not tell. By default the server is assumed to have been started
// with this very configuration (such a line is applied when valid; only a differing
// earlier duplicate is not). `--running NAME=VALUE` names a running value, and
// `--running-boot` assumes boot defaults for every parameter not named (a server
// started with an empty postgresql.conf, as the differential tests run it).
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/common.hpp"
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
  int version_option = 0;
  std::string data_dir_option;
  std::vector<std::string> running_option;
  CLI::App app{
      "Print, as a JSON array, the rows pg_file_settings would show for FILE (a postgresql.conf). "
      "postgresql.auto.conf is read from FILE's directory, or from --data-dir. Postmaster-context "
      "parameters: a line is applied when its value equals the running value; by default the server "
      "runs with this file's own values; --running names a running value; --running-boot assumes "
      "boot defaults for the others.",
      "pgconflint dump conf"};
  app.add_option("FILE", file, "a postgresql.conf")->required();
  app.add_option("--pg-version", version_option, "PostgreSQL major version (default: PG_VERSION, else 18)")
      ->check(CLI::Range(conf::k_min_version, conf::k_max_version));
  app.add_option("--data-dir", data_dir_option, "data directory (postgresql.auto.conf, PG_VERSION)");
  app.add_option("--running", running_option, "NAME=VALUE: a value the server runs with (repeatable)");
  app.add_flag("--running-boot", running.boot_defaults, "the server runs with boot defaults otherwise");
  app.add_flag("--show-secrets", show_secrets,
               "print primary_conninfo passwords and ssl_passphrase_command arguments as written");
  if (auto done = parse_options(app, args, "dump conf")) {
    return *done;
  }
  if (version_option != 0) {
    version = version_option;
  }
  if (!data_dir_option.empty()) {
    data_dir = data_dir_option;
  }
  for (const auto& v : running_option) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "pgconflint dump conf: --running needs NAME=VALUE, not '{}'\n", v);
      return k_exit_error;
    }
    running.values[v.substr(0, eq)] = v.substr(eq + 1);
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
