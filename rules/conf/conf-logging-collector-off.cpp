// conf-logging-collector-off: logging_collector is off while log_destination has no syslog/eventlog: the log goes to
// whatever the starting process did with stderr. CIS PostgreSQL benchmark, "Ensure the logging collector is enabled".
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLoggingCollectorOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-logging-collector-off",
                                         "server log goes to stderr without the logging collector (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "logging_collector");
    if (!v) {
      return;
    }
    const auto b = analysis::parse_bool(v->value);
    if (!b || *b) {
      return;
    }
    const std::string dest = analysis::lower(config.value_or_default("log_destination"));
    if (dest.find("syslog") != std::string::npos || dest.find("eventlog") != std::string::npos) {
      return;  // the system logger collects the log
    }
    diag(ctx, v->span,
         v->describe() +
             " and log_destination has no syslog: the server log goes to the stderr of the starting "
             "process and is not rotated")
        .help("set logging_collector = on (needs a restart), or send the log to syslog");
  }
};

std::unique_ptr<lint::Rule> make_conf_logging_collector_off() {
  return std::make_unique<ConfLoggingCollectorOffRule>();
}

}  // namespace pgl::rules
