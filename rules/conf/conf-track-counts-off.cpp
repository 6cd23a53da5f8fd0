// conf-track-counts-off: track_counts = off: no table statistics are collected, and autovacuum,
// which decides from them, does not start ("autovacuum not started because of misconfiguration").
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfTrackCountsOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-track-counts-off", "track_counts is off: autovacuum cannot run",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "track_counts");
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry)) {
      return;
    }
    if (analysis::parse_bool(analysis::trim(v->value)) != false) {
      return;
    }
    const bool autovacuum = analysis::is_on(config, "autovacuum");
    diag(ctx, v->span,
         v->describe() + (autovacuum
                              ? ": autovacuum needs these statistics and does not start (the server logs \"autovacuum "
                                "not started because of misconfiguration\"), so dead rows pile up and transaction ID "
                                "wraparound is only prevented by forced anti-wraparound runs"
                              : ": no table and index statistics are collected (pg_stat_user_tables stays empty), and "
                                "autovacuum could not run even if it were turned on"))
        .help("set track_counts = on (the default)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_track_counts_off() {
  return std::make_unique<ConfTrackCountsOffRule>();
}

}  // namespace pgl::rules
