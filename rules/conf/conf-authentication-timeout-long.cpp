// conf-authentication-timeout-long: authentication_timeout above 60 s. CIS PostgreSQL 17, 5.7.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfAuthenticationTimeoutLongRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-authentication-timeout-long",
                                         "authentication_timeout is above one minute (CIS 5.7)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "authentication_timeout");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    const auto n = analysis::base_integer(config, *v);
    if (!n || *n <= 60) {
      return;
    }
    diag(
        ctx, v->span,
        v->describe() + fmt::format(": a client may take {} s to finish authenticating, holding a connection slot (CIS "
                                    "5.7 asks for at most 1 minute)",
                                    *n))
        .help("set authentication_timeout = '1min' or less");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_authentication_timeout_long() {
  return std::make_unique<ConfAuthenticationTimeoutLongRule>();
}

}  // namespace pgl::rules
