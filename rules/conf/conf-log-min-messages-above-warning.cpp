// conf-log-min-messages-above-warning: log_min_messages above warning (error, log, fatal, panic): WARNING messages are
// not logged. CIS PostgreSQL benchmark, "Ensure 'log_min_messages' is set correctly" (warning).
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLogMinMessagesAboveWarningRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-min-messages-above-warning",
                                         "warnings are not written to the server log (CIS)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_min_messages");
    if (!v) {
      return;
    }
    const int rank = analysis::message_level_rank(v->value);
    if (rank <= analysis::message_level_rank("warning")) {
      return;  // warning or more verbose, or not a level (conf-invalid-value)
    }
    diag(ctx, v->span, v->describe() + ": WARNING messages are not written to the log")
        .help("set log_min_messages = warning (the default)");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_min_messages_above_warning() {
  return std::make_unique<ConfLogMinMessagesAboveWarningRule>();
}

}  // namespace pgl::rules
