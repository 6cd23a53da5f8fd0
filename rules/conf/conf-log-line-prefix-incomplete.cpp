// conf-log-line-prefix-incomplete: log_line_prefix lacks escapes needed to tell who did
// what and when: a time stamp (%m, %t or %n), the process (%p or %c), the user (%u), the
// database (%d), the application (%a) and the client address (%h or %r). CIS PostgreSQL benchmark, "Ensure
// 'log_line_prefix' is set correctly".
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/log_line_prefix.hpp"

namespace pgl::rules {

class ConfLogLinePrefixIncompleteRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-line-prefix-incomplete",
                                         "log lines do not say when, which process, user, database and client (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_line_prefix");
    if (!v) {
      return;
    }
    std::string escapes;
    for (const auto& e : log_prefix_escapes(v->value)) {
      escapes += e.letter;
    }
    struct Need {
      std::string_view any_of;
      std::string_view what;
    };
    static constexpr Need k_needs[] = {{"mtn", "time stamp (%m or %t)"}, {"pc", "process ID (%p)"},
                                       {"u", "user name (%u)"},          {"d", "database name (%d)"},
                                       {"a", "application name (%a)"},   {"hr", "client address (%h or %r)"}};
    std::vector<std::string> missing;
    for (const auto& n : k_needs) {
      if (escapes.find_first_of(n.any_of) == std::string::npos) {
        missing.emplace_back(n.what);
      }
    }
    if (missing.empty()) {
      return;
    }
    diag(ctx, v->span, fmt::format("{}: log lines lack the {}", v->describe(), fmt::join(missing, ", ")))
        .help("set for example log_line_prefix = '%m [%p] user=%u db=%d app=%a client=%h '");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_line_prefix_incomplete() {
  return std::make_unique<ConfLogLinePrefixIncompleteRule>();
}

}  // namespace pgl::rules
