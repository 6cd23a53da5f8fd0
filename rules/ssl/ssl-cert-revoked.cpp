// ssl-cert-revoked: a server chain certificate is listed in the configured CRL.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CertRevokedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ssl-cert-revoked", "a server chain certificate is listed in the configured CRL", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CertRevokedRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m || !m->chain || !m->chain->has_value()) {
    return;
  }
  const auto crls = m->crls();
  bool first = true;
  for (const auto& pc : **m->chain) {
    for (const auto& [crl, file] : crls) {
      if (tls::is_revoked(pc.cert, crl)) {
        diag(ctx, ssl::file_span(m->cert_file.path, pc.line),
             fmt::format("{} certificate \"{}\" (serial {}) is revoked by the certificate revocation list in \"{}\"",
                         first ? "server" : "intermediate", pc.cert.info().display_name(), pc.cert.info().serial, file))
            .help("install a new certificate; clients that check revocation refuse this one")
            .notes(ssl::set_here(config, "ssl_cert_file"));
        break;
      }
    }
    first = false;
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_cert_revoked() {
  return std::make_unique<CertRevokedRule>();
}

}  // namespace pgl::rules
