// conf-log-error-verbosity-terse: log_error_verbosity = terse: DETAIL, HINT, QUERY and CONTEXT lines are dropped from
// the log. CIS PostgreSQL benchmark, "Ensure 'log_error_verbosity' is set correctly" (it recommends verbose; only
// terse, which loses information, is reported).
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLogErrorVerbosityTerseRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-error-verbosity-terse",
                                         "log entries omit DETAIL, HINT, QUERY and CONTEXT (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_error_verbosity");
    if (!v || analysis::lower(v->value) != "terse") {
      return;
    }
    diag(ctx, v->span, v->describe() + ": DETAIL, HINT, QUERY and CONTEXT are not logged")
        .help("set log_error_verbosity = default (or verbose)");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_error_verbosity_terse() {
  return std::make_unique<ConfLogErrorVerbosityTerseRule>();
}

}  // namespace pgl::rules
