// conf-autovacuum-off: autovacuum = off: tables bloat, statistics go stale, and only manual VACUUM prevents transaction
// ID wraparound.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfAutovacuumOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-autovacuum-off", "autovacuum is off: dead rows and transaction ID age are left to manual VACUUM",
      core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "autovacuum", false);
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": dead rows are no longer cleaned up and statistics are no longer refreshed unless VACUUM and "
             "ANALYZE are run by hand, and only manual VACUUM prevents transaction ID wraparound (the "
             "server still forces anti-wraparound vacuums, late)")
        .help(
            "set autovacuum = on and tune it per table (ALTER TABLE ... SET (autovacuum_enabled = off) for the few "
            "tables "
            "that need it)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_autovacuum_off() {
  return std::make_unique<ConfAutovacuumOffRule>();
}

}  // namespace pgl::rules
