// conf-timeout-unset: statement_timeout or idle_in_transaction_session_timeout left at 0 (no
// limit), which klouddbshield's configuration audit reports. A policy choice: strict profile,
// a note.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/conf_values.hpp"

namespace pgl::rules {
namespace {

struct Timeout {
  std::string_view name;
  std::string_view effect;
  std::string_view example;
};

constexpr Timeout k_timeouts[] = {
    {"statement_timeout", "a statement may run for as long as it likes, holding its locks and snapshot", "5min"},
    {"idle_in_transaction_session_timeout",
     "a session left idle inside an open transaction keeps its locks and holds back VACUUM's cleanup for as long as "
     "it stays connected",
     "10min"},
};

class ConfTimeoutUnsetRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-timeout-unset",
                                         "no server-wide statement or idle-in-transaction timeout",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const auto& t : k_timeouts) {
      const auto v = analysis::view_setting(config, std::string(t.name));
      const auto n = judged_integer(config, v);
      if (!n || *n != 0) {
        continue;
      }
      diag(ctx, v->span,
           fmt::format("{}: no time limit: {} (klouddbshield's configuration audit asks for a limit)", v->describe(),
                       t.effect))
          .help(fmt::format("set {} = '{}' (or a limit your workload allows), here or per role or database with "
                            "ALTER ROLE ... SET {}",
                            t.name, t.example, t.name));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_timeout_unset() {
  return std::make_unique<ConfTimeoutUnsetRule>();
}

}  // namespace pgl::rules
