// ssl-ciphers-no-forward-secrecy: ssl_ciphers allows TLS 1.2 suites without forward secrecy
// (static RSA, PSK or SRP key exchange). CIS PostgreSQL 17, 6.10 "Ensure Weak SSL/TLS Ciphers
// Are Disabled": only cipher suites that provide forward secrecy. cis profile.
#include <fmt/format.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {
namespace {

// OpenSSL names: TLS 1.3 suites (TLS_*) and (EC)DHE key exchange provide forward secrecy.
bool forward_secret(const std::string& name) {
  return name.starts_with("TLS_") || name.starts_with("ECDHE-") || name.starts_with("DHE-") ||
         name.starts_with("EDH-") || name.starts_with("ECDHE-PSK-") || name.starts_with("DHE-PSK-");
}

class CiphersNoForwardSecrecyRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-ciphers-no-forward-secrecy",
                                         "ssl_ciphers allows suites without forward secrecy (CIS 6.10)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf || !ssl::ssl_on_or_default_off(config)) {
      return;
    }
    if (tls::protocol_rank(config.value_or_default("ssl_min_protocol_version")) == 4) {
      return;  // TLS 1.3 only: every suite has forward secrecy, ssl_ciphers is not used
    }
    const std::string ciphers = config.value_or_default("ssl_ciphers");
    auto list = tls::evaluate_cipher_list(ciphers);
    if (!list) {
      return;  // ssl-weak-ciphers reports an unusable list
    }
    std::vector<std::string> without;
    for (const auto& c : *list) {
      if (!forward_secret(c.name)) {
        without.push_back(c.name);
      }
    }
    if (without.empty()) {
      return;
    }
    diag(ctx, ssl::setting_span(config, "ssl_ciphers"),
         fmt::format("ssl_ciphers = '{}' allows {} cipher suite{} without forward secrecy (e.g. {}): whoever obtains "
                     "the server key later can decrypt recorded sessions (CIS 6.10 allows only suites with forward "
                     "secrecy)",
                     ciphers, without.size(), without.size() == 1 ? "" : "s", without.front()))
        .help(
            "allow only (EC)DHE suites, e.g. ssl_ciphers = 'ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL', or set "
            "ssl_min_protocol_version = 'TLSv1.3'");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_ciphers_no_forward_secrecy() {
  return std::make_unique<CiphersNoForwardSecrecyRule>();
}

}  // namespace pgl::rules
