// pg_file_settings, computed from a parsed configuration the way the server computes
// it (show_all_file_settings → ProcessConfigFileInternal with applySettings = false,
// run in a backend: the view simulates a reload with context SIGHUP).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/conf.hpp"

namespace pgl::load {

struct FileSettingRow {
  std::optional<std::string> sourcefile;
  std::optional<std::uint32_t> sourceline;
  int seqno = 0;
  std::optional<std::string> name;
  std::optional<std::string> setting;
  bool applied = false;
  std::optional<std::string> error;
};

// How to decide whether a postmaster-context parameter "could be applied": on reload
// the server accepts it only if its value equals the running value.
struct RunningValues {
  // Running values by parameter name (any case). They win over the rules below.
  std::map<std::string, std::string> values;
  // true: parameters not in `values` run with their boot default (a server started
  //       with an empty configuration file);
  // false: the server was started with this very configuration, so a parameter runs
  //       with the value of its winning line (only a differing duplicate fails).
  bool boot_defaults = false;
};

[[nodiscard]] std::vector<FileSettingRow> file_settings_view(const model::ConfSet& conf, int pg_version,
                                                             const RunningValues& running);

// valid_custom_variable_name (PG14+; any dotted name in 12-13).
[[nodiscard]] bool valid_custom_name(std::string_view name, int pg_version);

}  // namespace pgl::load
