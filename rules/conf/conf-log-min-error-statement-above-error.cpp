// conf-log-min-error-statement-above-error: log_min_error_statement above error (log, fatal, panic): the SQL text of
// failing statements is not logged. CIS PostgreSQL benchmark, "Ensure 'log_min_error_statement' is set correctly"
// (error).
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLogMinErrorStatementAboveErrorRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-min-error-statement-above-error",
                                         "statements causing errors are not logged (CIS)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_min_error_statement");
    if (!v) {
      return;
    }
    const int rank = analysis::message_level_rank(v->value);
    if (rank <= analysis::message_level_rank("error")) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": the text of statements that fail with an error is not "
             "logged")
        .help("set log_min_error_statement = error (the default)");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_min_error_statement_above_error() {
  return std::make_unique<ConfLogMinErrorStatementAboveErrorRule>();
}

}  // namespace pgl::rules
