// conf-password-check-not-loaded: shared_preload_libraries lacks passwordcheck or credcheck. CIS PostgreSQL 17, 5.6.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfPasswordCheckNotLoadedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-password-check-not-loaded",
      "no password-check module (passwordcheck, credcheck) is loaded: weak passwords are accepted (CIS 5.6)",
      core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::preload_lacks(config, {"passwordcheck", "credcheck"});
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": no password-check module (passwordcheck, credcheck) is loaded: weak passwords are accepted (CIS 5.6)")
        .help("add passwordcheck (or credcheck) to shared_preload_libraries");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_password_check_not_loaded() {
  return std::make_unique<ConfPasswordCheckNotLoadedRule>();
}

}  // namespace pgl::rules
