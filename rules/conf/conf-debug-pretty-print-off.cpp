// conf-debug-pretty-print-off: debug_pretty_print is off: parse trees printed by debug_print_* are hard to read. CIS
// PostgreSQL benchmark, "Ensure 'debug_pretty_print' is enabled".
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfDebugPrettyPrintOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-debug-pretty-print-off", "debug output is not indented (CIS)",
                                         core::Severity::note, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "debug_pretty_print");
    if (!v) {
      return;
    }
    const auto b = analysis::parse_bool(v->value);
    if (!b || *b) {
      return;
    }
    diag(ctx, v->span, v->describe() + ": debug output is printed without indentation")
        .help("set debug_pretty_print = on (the default)");
  }
};

std::unique_ptr<lint::Rule> make_conf_debug_pretty_print_off() {
  return std::make_unique<ConfDebugPrettyPrintOffRule>();
}

}  // namespace pgl::rules
