// ssl-ca-file-missing: ssl_ca_file is empty: client certificates cannot be verified.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CaFileMissingRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ssl-ca-file-missing", "ssl_ca_file is empty: client certificates cannot be verified", core::Severity::note};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CaFileMissingRule::check(const model::Config& config, lint::LintContext& ctx) const {
  if (!ssl::ssl_on_or_default_off(config) || !config.value_or_default("ssl_ca_file").empty()) {
    return;
  }
  if (ssl::hba_verifies_client_certs(config)) {
    return;  // hba-cert-without-ca reports the error at the pg_hba.conf line
  }
  diag(ctx, ssl::setting_span(config, "ssl_ca_file"),
       "ssl_ca_file is not set: the server does not request client certificates and cannot verify them "
       "(cert authentication and clientcert=verify-ca/verify-full would reject every connection)")
      .help("set ssl_ca_file to the CA bundle that issued your client certificates if you use them");
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_ca_file_missing() {
  return std::make_unique<CaFileMissingRule>();
}

}  // namespace pgl::rules
