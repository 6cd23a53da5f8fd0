// ssl-crl-expired: a configured certificate revocation list is past its next update.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CrlExpiredRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ssl-crl-expired", "a configured certificate revocation list is past its next update", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CrlExpiredRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m) {
    return;
  }
  // With a CA store and client certificate checks, OpenSSL rejects every client
  // certificate whose chain needs an expired CRL (X509_V_ERR_CRL_HAS_EXPIRED).
  const bool rejects = m->ca && m->ca->has_value() && ssl::hba_verifies_client_certs(config);
  for (const auto& [crl, file] : m->crls()) {
    const auto& info = crl.info();
    if (!info.next_update || *info.next_update >= ctx.now) {
      continue;
    }
    const bool from_dir = !m->crl_file || file != m->crl_file->configured;
    diag(ctx, ssl::setting_span(config, from_dir ? "ssl_crl_dir" : "ssl_crl_file"),
         fmt::format("certificate revocation list of \"{}\" in \"{}\" is out of date: next update was due {} ({} "
                     "days ago){}",
                     info.issuer, file, tls::format_utc(*info.next_update),
                     -ssl::days_between(ctx.now, *info.next_update),
                     rejects ? "; client certificates issued under it are rejected" : ""))
        .help("fetch a current CRL from the CA (and re-run `openssl rehash` for ssl_crl_dir)")
        .severity(rejects ? core::Severity::error : core::Severity::warning);
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_crl_expired() {
  return std::make_unique<CrlExpiredRule>();
}

}  // namespace pgl::rules
