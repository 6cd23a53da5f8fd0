// conf-log-rotation-disabled: the logging collector never rotates its file (log_rotation_age = 0
// and log_rotation_size = 0), a warning; or rotates it by one limit only (one of them 0), a
// note. CIS PostgreSQL 17, 3.1.8 and 3.1.9. cis profile.
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/conf_values.hpp"

namespace pgl::rules {
namespace {

class ConfLogRotationDisabledRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-rotation-disabled",
                                         "the log file is never rotated (CIS 3.1.8, 3.1.9)", core::Severity::warning,
                                         lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto age = analysis::view_setting(config, "log_rotation_age");
    const auto size = analysis::view_setting(config, "log_rotation_size");
    if (!age || !size || !analysis::is_on(config, "logging_collector")) {
      return;
    }
    for (const auto* v : {&*age, &*size}) {
      if (v->entry != nullptr && analysis::is_template_entry(config, *v->entry)) {
        return;
      }
    }
    const auto a = analysis::base_integer(config, *age);
    const auto s = analysis::base_integer(config, *size);
    if (!a || !s || (*a != 0 && *s != 0)) {
      return;
    }
    if (*a != 0 || *s != 0) {
      // One limit only: the other still rotates. CIS words 3.1.8 and 3.1.9 each on its own.
      const bool age_off = *a == 0;
      const auto& off = age_off ? *age : *size;
      diag(ctx, off.span,
           age_off ? fmt::format("{}: the log file is rotated only by size ({}), never by age (CIS 3.1.8 asks for a "
                                 "maximum log file lifetime)",
                                 off.describe(), show_value(config, "log_rotation_size", *s))
                   : fmt::format("{}: the log file is rotated only by age ({}), never by size, however large it "
                                 "grows (CIS 3.1.9 asks for a maximum log file size)",
                                 off.describe(), show_value(config, "log_rotation_age", *a)))
          .severity(core::Severity::note)
          .help(age_off ? "set log_rotation_age = 1d (or the lifetime your retention policy names)"
                        : "set log_rotation_size = 1GB (or the size your retention policy names)");
      return;
    }
    const auto& where = size->entry != nullptr ? *size : *age;
    diag(ctx, where.span,
         fmt::format("{} and {}: the logging collector never starts a new log file, which grows without bound "
                     "(CIS 3.1.8 and 3.1.9 ask for rotation by age and by size)",
                     age->describe(), size->describe()))
        .help("set log_rotation_age = 1d and log_rotation_size = 1GB (or a limit your retention policy names)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_rotation_disabled() {
  return std::make_unique<ConfLogRotationDisabledRule>();
}

}  // namespace pgl::rules
