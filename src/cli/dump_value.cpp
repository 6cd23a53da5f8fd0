// Hidden command: pgconflint dump value [--pg-version N] NAME VALUE
// Validates one value as the server would and prints the outcome as one JSON object.
#include <charconv>
#include <iostream>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/dump.hpp"
#include "conf/guc.hpp"

namespace pgl::cli {

namespace {

nlohmann::json to_json(const conf::GucDef& def, const conf::ValueCheck& c) {
  return {{"name", std::string(def.name)},
          {"ok", c.ok},
          {"message", c.message},
          {"detail", c.detail},
          {"hint", c.hint},
          {"normalized", c.normalized},
          {"unchecked_hook", c.unchecked_hook}};
}

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// --batch: stdin holds one JSON array [NAME, VALUE] per line; one JSON object per line out.
int dump_value_batch(int version) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) {
      continue;
    }
    const auto in = nlohmann::json::parse(line, nullptr, false);
    if (in.is_discarded() || !in.is_array() || in.size() != 2 || !in[0].is_string() || !in[1].is_string()) {
      fmt::print(stderr, "pgconflint: dump value --batch: expected [NAME, VALUE], got: {}\n", line);
      return k_exit_error;
    }
    const auto name = in[0].get<std::string>();
    const conf::GucDef* def = conf::find_guc(version, name);
    if (def == nullptr) {
      fmt::print("{}\n", dump({{"name", name}, {"known", false}}));
      continue;
    }
    fmt::print("{}\n", dump(to_json(*def, conf::check_value(version, *def, in[1].get<std::string>()))));
  }
  return k_exit_ok;
}

}  // namespace

int dump_value(const std::vector<std::string>& args) {
  int version = conf::k_max_version;
  std::vector<std::string> positional;
  bool batch = false;
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
    } else if (args[i] == "--batch") {
      batch = true;
    } else if (args[i] == "-h" || args[i] == "--help") {
      fmt::print("usage: pgconflint dump value [--pg-version N] NAME VALUE | --batch\n");
      return k_exit_ok;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (batch && positional.empty()) {
    return dump_value_batch(version);
  }
  if (positional.size() != 2) {
    fmt::print(stderr, "usage: pgconflint dump value [--pg-version N] NAME VALUE | --batch\n");
    return k_exit_error;
  }
  const conf::GucDef* def = conf::find_guc(version, positional[0]);
  if (def == nullptr) {
    fmt::print(stderr, "pgconflint: dump value: unrecognized configuration parameter \"{}\" in PostgreSQL {}\n",
               positional[0], version);
    return k_exit_error;
  }
  const conf::ValueCheck c = conf::check_value(version, *def, positional[1]);
  fmt::print("{}\n", dump(to_json(*def, c)));
  return k_exit_ok;
}

}  // namespace pgl::cli
