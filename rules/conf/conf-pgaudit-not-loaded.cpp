// conf-pgaudit-not-loaded: shared_preload_libraries lacks pgaudit. CIS PostgreSQL 17, 3.2.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfPgauditNotLoadedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-pgaudit-not-loaded",
                                         "pgaudit is not loaded: statements are not audited (CIS 3.2)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::preload_lacks(config, {"pgaudit"});
    if (!v) {
      return;
    }
    diag(ctx, v->span, v->describe() + ": pgaudit is not loaded: statements are not audited (CIS 3.2)")
        .help("add pgaudit to shared_preload_libraries and configure pgaudit.log");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_pgaudit_not_loaded() {
  return std::make_unique<ConfPgauditNotLoadedRule>();
}

}  // namespace pgl::rules
