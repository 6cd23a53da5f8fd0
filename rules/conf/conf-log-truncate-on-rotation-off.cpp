// conf-log-truncate-on-rotation-off: log_truncate_on_rotation off while the collector writes log files. CIS PostgreSQL
// 17, 3.1.7.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogTruncateOnRotationOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-truncate-on-rotation-off",
                                         "log_truncate_on_rotation is off (CIS 3.1.7)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_truncate_on_rotation");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    if (!analysis::is_on(config, "logging_collector") ||
        (!analysis::logs_to(config, "stderr") && !analysis::logs_to(config, "csvlog") &&
         !analysis::logs_to(config, "jsonlog"))) {
      return;  // the server writes no log files of its own
    }
    const auto b = analysis::parse_bool(v->value);
    if (!b || *b) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": a time-based rotation appends to an existing log file of the same "
             "name instead of replacing it (CIS 3.1.7 asks for on)")
        .help(
            "set log_truncate_on_rotation = on (with a log_filename that repeats, e.g. "
            "postgresql-%a.log, and log_rotation_age = 1d)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_truncate_on_rotation_off() {
  return std::make_unique<ConfLogTruncateOnRotationOffRule>();
}

}  // namespace pgl::rules
