// conf-allow-system-table-mods-on: allow_system_table_mods = on: a developer/recovery option in a kept configuration. CIS PostgreSQL 17, 6.5.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

// The value in the parameter's base unit (integers: decimal, octal 0600, units), if valid.
[[maybe_unused]] std::optional<long long> base_integer(const model::Config& config, const analysis::SettingView& v) {
  const conf::GucDef* def = conf::find_guc(config.pg_version, v.name);
  if (def == nullptr) {
    return std::nullopt;
  }
  const conf::ValueCheck c = conf::check_value(config.pg_version, *def, v.value);
  if (!c.ok) {
    return std::nullopt;
  }
  try {
    return std::stoll(c.normalized);
  } catch (...) {
    return std::nullopt;
  }
}

// log_destination names `dest` (comma-separated list, case-insensitive).
[[maybe_unused]] bool logs_to(const model::Config& config, std::string_view dest) {
  const std::string list = analysis::lower(config.value_or_default("log_destination"));
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) {
      end = list.size();
    }
    std::string item = list.substr(start, end - start);
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
    if (item == dest) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

[[maybe_unused]] bool is_on(const model::Config& config, const std::string& name) {
  const auto b = analysis::parse_bool(config.value_or_default(name));
  return b && *b;
}

class ConfAllowSystemTableModsOnRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-allow-system-table-mods-on", "allow_system_table_mods is on (CIS 6.5)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "allow_system_table_mods");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    const auto b = analysis::parse_bool(v->value);
    if (!b || !*b) {
      return;
    }
    ctx.report(analysis::make_diagnostic(k_meta, v->describe() + ": superusers can change the structure of system catalogs, which can corrupt the cluster irrecoverably (CIS 6.5 asks for off)", v->span,
                                         "remove allow_system_table_mods from the configuration (default off); set it only in a session that needs it"));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_allow_system_table_mods_on() { return std::make_unique<ConfAllowSystemTableModsOnRule>(); }

}  // namespace pgl::rules
