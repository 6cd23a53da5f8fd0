// Hidden command: pgconflint dump value [--pg-version N] NAME VALUE
// Validates one value as the server would and prints the outcome as one JSON object.
#include <charconv>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/dump.hpp"
#include "conf/guc.hpp"

namespace pgl::cli {

int dump_value(const std::vector<std::string>& args) {
  int version = conf::k_max_version;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--pg-version" && i + 1 < args.size()) {
      const std::string& v = args[++i];
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
      if (ec != std::errc{} || ptr != v.data() + v.size() || version < conf::k_min_version ||
          version > conf::k_max_version) {
        fmt::print(stderr, "pgconflint: dump value: unsupported --pg-version '{}' (expected {}..{})\n", v,
                   conf::k_min_version, conf::k_max_version);
        return k_exit_error;
      }
    } else if (args[i] == "-h" || args[i] == "--help") {
      fmt::print("usage: pgconflint dump value [--pg-version N] NAME VALUE\n");
      return k_exit_ok;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() != 2) {
    fmt::print(stderr, "usage: pgconflint dump value [--pg-version N] NAME VALUE\n");
    return k_exit_error;
  }
  const conf::GucDef* def = conf::find_guc(version, positional[0]);
  if (def == nullptr) {
    fmt::print(stderr, "pgconflint: dump value: unrecognized configuration parameter \"{}\" in PostgreSQL {}\n",
               positional[0], version);
    return k_exit_error;
  }
  const conf::ValueCheck c = conf::check_value(version, *def, positional[1]);
  nlohmann::json out = {{"name", std::string(def->name)},
                        {"ok", c.ok},
                        {"message", c.message},
                        {"detail", c.detail},
                        {"hint", c.hint},
                        {"normalized", c.normalized},
                        {"unchecked_hook", c.unchecked_hook}};
  fmt::print("{}\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return k_exit_ok;
}

}  // namespace pgl::cli
