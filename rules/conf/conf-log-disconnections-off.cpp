// conf-log-disconnections-off: log_disconnections is off: the end of a session and its duration are not logged. CIS
// PostgreSQL benchmark, "Ensure 'log_disconnections' is enabled".
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLogDisconnectionsOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-disconnections-off", "session ends are not logged (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_disconnections");
    if (!v) {
      return;
    }
    const auto b = analysis::parse_bool(v->value);
    if (!b || *b) {
      return;
    }
    diag(ctx, v->span, v->describe() + ": the end of each session is not logged").help("set log_disconnections = on");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_disconnections_off() {
  return std::make_unique<ConfLogDisconnectionsOffRule>();
}

}  // namespace pgl::rules
