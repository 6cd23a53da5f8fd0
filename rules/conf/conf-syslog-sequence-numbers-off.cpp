// conf-syslog-sequence-numbers-off: syslog_sequence_numbers off while logging to syslog: repeated messages may be
// suppressed. CIS PostgreSQL 17, 3.1.11.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfSyslogSequenceNumbersOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-syslog-sequence-numbers-off",
                                         "syslog messages carry no sequence numbers (CIS 3.1.11)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::syslog_option_off(config, "syslog_sequence_numbers");
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": syslog may suppress repeated identical messages (\"last message repeated N times\"), so log "
             "lines can be lost (CIS 3.1.11 asks for on)")
        .help("set syslog_sequence_numbers = on");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_syslog_sequence_numbers_off() {
  return std::make_unique<ConfSyslogSequenceNumbersOffRule>();
}

}  // namespace pgl::rules
