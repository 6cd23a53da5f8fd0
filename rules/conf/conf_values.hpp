// Text of integer settings with units for the rules of area conf: a value left at its default
// is shown as SHOW shows it ("shared_buffers is not set (default 8MB)"), not as the table's
// number in the base unit.
#pragma once

#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "model/config.hpp"

namespace pgl::rules {

// `base` (in the parameter's base unit) as SHOW prints it: 4096 kB -> "4MB".
[[nodiscard]] inline std::string show_value(const model::Config& config, const std::string& name, long long base) {
  const conf::GucDef* def = conf::find_guc(config.pg_version, name);
  return def == nullptr ? std::to_string(base) : conf::format_base_value(*def, static_cast<double>(base));
}

// "work_mem = 1MB" (as written) or "work_mem is not set (default 4MB)".
[[nodiscard]] inline std::string describe_sized(const model::Config& config, const analysis::SettingView& v,
                                                long long base) {
  if (v.entry != nullptr) {
    return v.describe();
  }
  return fmt::format("{} is not set (default {})", v.name, show_value(config, v.name, base));
}

// The setting's value in its base unit, unless it is template syntax or not a value the
// server accepts.
[[nodiscard]] inline std::optional<long long> judged_integer(const model::Config& config,
                                                             const std::optional<analysis::SettingView>& v) {
  if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
    return std::nullopt;
  }
  return analysis::base_integer(config, *v);
}

}  // namespace pgl::rules
