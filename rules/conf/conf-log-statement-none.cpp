// conf-log-statement-none: log_statement = none: schema changes (CREATE, ALTER, DROP) and role changes leave no trace.
// CIS PostgreSQL benchmark, "Ensure 'log_statement' is set correctly" (at least ddl).
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLogStatementNoneRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-statement-none", "DDL statements are not logged (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_statement");
    if (!v || analysis::lower(v->value) != "none") {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": data definition statements (CREATE, ALTER, DROP) are "
             "not logged")
        .help("set log_statement = 'ddl' (or 'mod' / 'all')");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_statement_none() {
  return std::make_unique<ConfLogStatementNoneRule>();
}

}  // namespace pgl::rules
