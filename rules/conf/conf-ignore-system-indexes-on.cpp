// conf-ignore-system-indexes-on: ignore_system_indexes = on: a developer/recovery option in a kept configuration. CIS
// PostgreSQL 17, 6.2.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfIgnoreSystemIndexesOnRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-ignore-system-indexes-on", "ignore_system_indexes is on (CIS 6.2)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "ignore_system_indexes", true);
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": the server ignores system catalog indexes (but still updates them): every catalog lookup is "
             "a sequential scan (CIS 6.2 asks for off)")
        .help(
            "remove ignore_system_indexes from the configuration (default off); set it only in a session that needs "
            "it");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_ignore_system_indexes_on() {
  return std::make_unique<ConfIgnoreSystemIndexesOnRule>();
}

}  // namespace pgl::rules
