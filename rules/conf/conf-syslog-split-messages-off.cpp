// conf-syslog-split-messages-off: syslog_split_messages off while logging to syslog: long messages may be truncated.
// CIS PostgreSQL 17, 3.1.12.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfSyslogSplitMessagesOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-syslog-split-messages-off",
                                         "long syslog messages are not split (CIS 3.1.12)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::syslog_option_off(config, "syslog_split_messages");
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": messages longer than syslog accepts (often 1024 bytes) are truncated or dropped instead of "
             "split into lines (CIS 3.1.12 asks for on)")
        .help("set syslog_split_messages = on");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_syslog_split_messages_off() {
  return std::make_unique<ConfSyslogSplitMessagesOffRule>();
}

}  // namespace pgl::rules
