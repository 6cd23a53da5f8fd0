// conf-debug-print-enabled: debug_print_parse / debug_print_rewritten / debug_print_plan is on: every query's trees are
// written to the log (large, and they include constants from the queries). CIS PostgreSQL benchmark,
// "Ensure 'debug_print_parse' / 'debug_print_rewritten' / 'debug_print_plan' is disabled".
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfDebugPrintEnabledRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-debug-print-enabled", "query trees are printed to the server log (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const char* name : {"debug_print_parse", "debug_print_rewritten", "debug_print_plan"}) {
      const auto v = analysis::view_setting(config, name);
      if (!v) {
        continue;
      }
      const auto b = analysis::parse_bool(v->value);
      if (!b || !*b) {
        continue;
      }
      diag(ctx, v->span, v->describe() + ": the internal tree of every query is written to the server log")
          .help(fmt::format("set {} = off (the default)", name));
    }
  }
};

std::unique_ptr<lint::Rule> make_conf_debug_print_enabled() {
  return std::make_unique<ConfDebugPrintEnabledRule>();
}

}  // namespace pgl::rules
