// conf-log-hostname-on: log_hostname is on: each connection waits for a reverse DNS lookup, and the logged name is only
// as trustworthy as DNS. CIS PostgreSQL benchmark, "Ensure 'log_hostname' is set correctly" (off).
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfLogHostnameOnRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-hostname-on", "every connection triggers a reverse DNS lookup (CIS)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_hostname");
    if (!v) {
      return;
    }
    const auto b = analysis::parse_bool(v->value);
    if (!b || !*b) {
      return;
    }
    diag(ctx, v->span, v->describe() + ": every connection waits for a reverse DNS lookup of the client address")
        .help("set log_hostname = off; log the client IP address (%h or %r in log_line_prefix) instead");
  }
};

std::unique_ptr<lint::Rule> make_conf_log_hostname_on() {
  return std::make_unique<ConfLogHostnameOnRule>();
}

}  // namespace pgl::rules
