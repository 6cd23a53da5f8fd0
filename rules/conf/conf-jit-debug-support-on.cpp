// conf-jit-debug-support-on: jit_debugging_support / jit_profiling_support on. CIS PostgreSQL 17, 6.2.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfJitDebugSupportOnRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-jit-debug-support-on",
                                         "jit_debugging_support or jit_profiling_support is on (CIS 6.2)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const char* name : {"jit_debugging_support", "jit_profiling_support"}) {
      const auto v = analysis::view_setting(config, name);
      if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry)) {
        continue;
      }
      const auto b = analysis::parse_bool(v->value);
      if (!b || !*b) {
        continue;
      }
      diag(ctx, v->span,
           v->describe() +
               ": JIT-compiled code is registered with debuggers or perf (a profiling aid that writes "
               "perf map files to /tmp) (CIS 6.2 asks for off)")
          .help(fmt::format("remove {} from the configuration (default off)", name));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_jit_debug_support_on() {
  return std::make_unique<ConfJitDebugSupportOnRule>();
}

}  // namespace pgl::rules
