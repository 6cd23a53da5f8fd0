// ssl-cert-self-signed: the server certificate is self-signed.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CertSelfSignedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-cert-self-signed", "the server certificate is self-signed",
                                         core::Severity::note};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CertSelfSignedRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m || !m->leaf() || !m->leaf()->info().self_signed) {
    return;
  }
  diag(ctx, ssl::file_span(m->cert_file.path, (**m->chain)[0].line),
       fmt::format("server certificate \"{}\" in \"{}\" is self-signed", m->leaf()->info().display_name(),
                   m->cert_file.configured))
      .help(
          "clients can only verify it (sslmode=verify-ca/verify-full) when given this very certificate as "
          "sslrootcert; a certificate issued by a CA is easier to rotate")
      .notes(ssl::set_here(config, "ssl_cert_file"));
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_cert_self_signed() {
  return std::make_unique<CertSelfSignedRule>();
}

}  // namespace pgl::rules
