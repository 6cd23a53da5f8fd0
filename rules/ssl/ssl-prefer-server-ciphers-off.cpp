// ssl-prefer-server-ciphers-off: ssl_prefer_server_ciphers = off lets the client pick the
// cipher suite among those ssl_ciphers allows, instead of the server's order. cis profile.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {
namespace {

class PreferServerCiphersOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-prefer-server-ciphers-off",
                                         "the client, not ssl_ciphers' order, chooses the cipher suite",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf || !ssl::ssl_on_or_default_off(config)) {
      return;
    }
    const auto v = analysis::view_setting(config, "ssl_prefer_server_ciphers");
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry)) {
      return;  // default on
    }
    if (analysis::parse_bool(analysis::trim(v->value)) != false) {
      return;  // on, or a value conf-invalid-value reports
    }
    if (tls::protocol_rank(config.value_or_default("ssl_min_protocol_version")) == 4) {
      return;  // TLS 1.3 only: every suite is strong, the order does not matter
    }
    diag(ctx, v->span,
         v->describe() +
             ": the client chooses the cipher suite, so a client that prefers a weaker suite that ssl_ciphers "
             "allows gets it, whatever order ssl_ciphers gives")
        .help("set ssl_prefer_server_ciphers = on (the default)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_prefer_server_ciphers_off() {
  return std::make_unique<PreferServerCiphersOffRule>();
}

}  // namespace pgl::rules
