// conf-log-connections-off: log_connections is off: successful connections leave no trace in the server log. CIS
// PostgreSQL benchmark, "Ensure 'log_connections' is enabled". In 18 the parameter is a list of aspects.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLogConnectionsOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-connections-off", "connection attempts are not logged (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_connections");
    if (!v) {
      return;
    }
    bool off = false;
    if (config.pg_version >= 18) {
      const std::string s = analysis::lower(v->value);
      off = s.empty() || s == "off" || s == "false" || s == "no" || s == "0";
    } else {
      const auto b = analysis::parse_bool(v->value);
      off = b.has_value() && !*b;
    }
    if (!off) {
      return;
    }
    diag(ctx, v->span, v->describe() + ": connection attempts are not logged")
        .help(config.pg_version >= 18 ? "set log_connections = 'receipt,authentication,authorization' (or 'all')"
                                      : "set log_connections = on");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_connections_off() {
  return std::make_unique<ConfLogConnectionsOffRule>();
}

}  // namespace pgl::rules
