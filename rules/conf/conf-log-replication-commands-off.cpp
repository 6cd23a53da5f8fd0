// conf-log-replication-commands-off: log_replication_commands off. CIS PostgreSQL 17, 7.2.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogReplicationCommandsOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-replication-commands-off",
                                         "replication commands are not logged (CIS 7.2)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "log_replication_commands", false);
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": replication commands (BASE_BACKUP, START_REPLICATION, slot "
             "creation) leave no trace in the log (CIS 7.2 asks for on)")
        .help("set log_replication_commands = on");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_replication_commands_off() {
  return std::make_unique<ConfLogReplicationCommandsOffRule>();
}

}  // namespace pgl::rules
