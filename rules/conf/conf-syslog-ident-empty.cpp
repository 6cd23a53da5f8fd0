// conf-syslog-ident-empty: syslog_ident = '' while logging to syslog: the messages carry no
// program name. CIS PostgreSQL 17, 3.1.13 (as klouddbshield checks it: not empty). cis profile.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfSyslogIdentEmptyRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-syslog-ident-empty",
                                         "syslog messages carry no program name (CIS 3.1.13)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "syslog_ident");
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry) || !v->value.empty() ||
        !analysis::logs_to(config, "syslog")) {
      return;
    }
    diag(ctx, v->span,
         "syslog_ident = '' with log_destination including syslog: the server's messages reach syslog without a "
         "program name, so they cannot be told from other programs' messages or routed by name (CIS 3.1.13)")
        .help("set syslog_ident = 'postgres' (the default), or a name per cluster");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_syslog_ident_empty() {
  return std::make_unique<ConfSyslogIdentEmptyRule>();
}

}  // namespace pgl::rules
