// ssl-cert-expired: a certificate of the server chain or ssl_ca_file has expired.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CertExpiredRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ssl-cert-expired", "a certificate of the server chain or ssl_ca_file has expired", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CertExpiredRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m) {
    return;
  }
  for (const auto& ref : m->certificates()) {
    const auto& info = ref.cert.info();
    if (info.not_after < ctx.now) {
      diag(ctx, ssl::file_span(ref.file->path, ref.line),
           fmt::format("{} in \"{}\" expired on {} ({} days ago)", ref.describe(), ref.file->configured,
                       tls::format_utc(info.not_after), -ssl::days_between(ctx.now, info.not_after)))
          .help("renew the certificate; clients that verify it (sslmode=verify-ca/verify-full) refuse to connect")
          .notes(ssl::set_here(config, ref.file->setting));
    }
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_cert_expired() {
  return std::make_unique<CertExpiredRule>();
}

}  // namespace pgl::rules
