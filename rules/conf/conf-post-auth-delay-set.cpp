// conf-post-auth-delay-set: post_auth_delay > 0: every connection sleeps after authentication. CIS PostgreSQL 17, 6.2.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfPostAuthDelaySetRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-post-auth-delay-set", "post_auth_delay is not 0 (CIS 6.2)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "post_auth_delay");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    const auto n = analysis::base_integer(config, *v);
    if (!n || *n == 0) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": every new connection sleeps this long after authentication (a debugging aid; CIS 6.2 asks for 0)")
        .help("remove post_auth_delay from the configuration (default 0)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_post_auth_delay_set() {
  return std::make_unique<ConfPostAuthDelaySetRule>();
}

}  // namespace pgl::rules
