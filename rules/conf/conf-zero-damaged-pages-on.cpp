// conf-zero-damaged-pages-on: zero_damaged_pages = on: a developer/recovery option in a kept configuration. CIS
// PostgreSQL 17, 6.5.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfZeroDamagedPagesOnRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-zero-damaged-pages-on", "zero_damaged_pages is on (CIS 6.5)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "zero_damaged_pages", true);
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": a page with a damaged header is silently zeroed in memory and may be written back, "
             "destroying every row on it (CIS 6.5 asks for off)")
        .help("remove zero_damaged_pages from the configuration (default off); set it only in a session that needs it");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_zero_damaged_pages_on() {
  return std::make_unique<ConfZeroDamagedPagesOnRule>();
}

}  // namespace pgl::rules
