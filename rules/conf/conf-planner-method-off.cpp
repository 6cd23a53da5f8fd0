// conf-planner-method-off: an enable_* planner switch that is on by default is turned off in a
// configuration file, for every query of every session (check_pgactivity `configuration`).
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfPlannerMethodOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-planner-method-off", "a planner method (enable_*) is turned off for every query", core::Severity::note};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf) {
      return;
    }
    for (const auto& g : conf::all_gucs(config.pg_version)) {
      if (!g.name.starts_with("enable_") || g.boot_val != "true") {
        continue;
      }
      const auto v = analysis::view_setting(config, std::string(g.name));
      if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry) ||
          analysis::parse_bool(analysis::trim(v->value)) != false) {
        continue;
      }
      diag(ctx, v->span,
           v->describe() +
               ": the planner avoids this method for every query of every session, also where it is the only "
               "good plan; these switches are meant for testing one query")
          .help(fmt::format("remove the line (default on) and, where one query needs it, use SET {} = off in that "
                            "session or ALTER FUNCTION ... SET",
                            g.name));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_planner_method_off() {
  return std::make_unique<ConfPlannerMethodOffRule>();
}

}  // namespace pgl::rules
