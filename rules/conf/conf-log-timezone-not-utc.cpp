// conf-log-timezone-not-utc: log_timezone is not UTC/GMT. CIS PostgreSQL 17, 3.1.26 (pgdsat asks
// for GMT or UTC). cis profile. The default (GMT, when initdb wrote none) passes.
#include <array>
#include <string>
#include <string_view>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

// Names of the tz database that are UTC (case-insensitive, as the server looks them up).
constexpr std::array<std::string_view, 16> k_utc{"utc",   "gmt",      "etc/utc",   "etc/gmt",       "uct",  "etc/uct",
                                                 "zulu",  "etc/zulu", "universal", "etc/universal", "gmt0", "etc/gmt0",
                                                 "gmt+0", "gmt-0",    "greenwich", "etc/greenwich"};

class ConfLogTimezoneNotUtcRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-timezone-not-utc", "log timestamps are not in UTC (CIS 3.1.26)",
                                         core::Severity::note, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_timezone");
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry)) {
      return;
    }
    const std::string tz = analysis::lower(analysis::trim(v->value));
    if (tz.empty()) {
      return;
    }
    for (const auto u : k_utc) {
      if (tz == u) {
        return;
      }
    }
    diag(ctx, v->span,
         v->describe() +
             ": log timestamps follow a local time zone (and its daylight saving shifts); CIS 3.1.26 asks for GMT "
             "or UTC so that log entries line up with other systems' logs")
        .help("set log_timezone = 'UTC' (keep timezone for what clients see)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_timezone_not_utc() {
  return std::make_unique<ConfLogTimezoneNotUtcRule>();
}

}  // namespace pgl::rules
