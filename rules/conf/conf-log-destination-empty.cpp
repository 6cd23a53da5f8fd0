// conf-log-destination-empty: log_destination = '' is accepted by the server and selects no
// destination: the server's log messages are written nowhere. CIS PostgreSQL 17, 3.1.2.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogDestinationEmptyRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-destination-empty",
                                         "log_destination is empty: log messages are written nowhere",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_destination");
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry) ||
        !analysis::trim(v->value).empty()) {
      return;
    }
    diag(ctx, v->span,
         "log_destination = '': no log destination is selected, so the server's log "
         "messages (errors, connection logs, audit entries) are discarded (CIS 3.1.2)")
        .help("set log_destination = 'stderr' (the default), 'csvlog' or 'syslog'");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_destination_empty() {
  return std::make_unique<ConfLogDestinationEmptyRule>();
}

}  // namespace pgl::rules
