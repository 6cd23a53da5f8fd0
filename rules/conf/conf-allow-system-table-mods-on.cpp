// conf-allow-system-table-mods-on: allow_system_table_mods = on: a developer/recovery option in a kept configuration.
// CIS PostgreSQL 17, 6.5.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfAllowSystemTableModsOnRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-allow-system-table-mods-on", "allow_system_table_mods is on (CIS 6.5)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "allow_system_table_mods", true);
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": superusers can change the structure of system catalogs, which can corrupt the cluster "
             "irrecoverably (CIS 6.5 asks for off)")
        .help(
            "remove allow_system_table_mods from the configuration (default off); set it only in a session that needs "
            "it");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_allow_system_table_mods_on() {
  return std::make_unique<ConfAllowSystemTableModsOnRule>();
}

}  // namespace pgl::rules
