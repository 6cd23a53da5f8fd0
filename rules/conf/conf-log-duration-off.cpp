// conf-log-duration-off: log_duration off (the default), which dev-sec's postgres-baseline
// (postgres-16) reports. A logging policy: strict profile, a note.
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/conf_values.hpp"

namespace pgl::rules {
namespace {

class ConfLogDurationOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-duration-off", "the duration of statements is not logged",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "log_duration", false);
    if (!v) {
      return;
    }
    // log_min_duration_statement >= 0 still logs the duration of the slower statements.
    const auto slow = judged_integer(config, analysis::view_setting(config, "log_min_duration_statement"));
    if (slow && *slow == 0) {
      return;  // every statement is logged with its duration
    }
    const std::string what =
        slow && *slow >= 0
            ? fmt::format(
                  "only statements running {} or longer have their duration logged (by log_min_duration_statement)",
                  show_value(config, "log_min_duration_statement", *slow))
            : std::string("the duration of statements is not logged");
    diag(ctx, v->span,
         fmt::format("{}: {} (dev-sec's postgres-baseline, control postgres-16, asks for log_duration = on)",
                     v->describe(), what))
        .help(
            "set log_duration = on (a line for every statement), or log_min_duration_statement = '1s' to log only "
            "the slower statements, with their text");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_duration_off() {
  return std::make_unique<ConfLogDurationOffRule>();
}

}  // namespace pgl::rules
