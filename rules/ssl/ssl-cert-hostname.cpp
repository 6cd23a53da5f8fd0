// ssl-cert-hostname: server certificate does not match an expected host name (libpq verify-full).
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CertHostnameRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-cert-hostname",
                                         "server certificate does not match an expected host name (libpq verify-full)",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CertHostnameRule::check(const model::Config& config, lint::LintContext& ctx) const {
  if (ctx.expect_hosts.empty()) {
    return;
  }
  const auto m = ssl::load_material(config, ctx);
  if (!m || !m->leaf()) {
    return;
  }
  const auto& info = m->leaf()->info();
  for (const auto& host : ctx.expect_hosts) {
    const auto match = tls::match_host(info, host);
    if (match.matches) {
      continue;
    }
    std::vector<std::string> covers;
    for (const auto& san : info.sans) {
      if (san.kind != tls::SanEntry::Kind::other) {
        covers.push_back(fmt::format("{}:{}", san.kind == tls::SanEntry::Kind::dns ? "DNS" : "IP", san.text));
      }
    }
    if (info.common_name) {
      covers.push_back("CN=" + *info.common_name);
    }
    diag(ctx, ssl::file_span(m->cert_file.path, (**m->chain)[0].line),
         fmt::format("{} (sslmode=verify-full)", match.message))
        .help(covers.empty() ? std::string("the certificate names no host: add a subjectAltName DNS or IP entry")
                             : fmt::format("the certificate covers {}; add \"{}\" as a subjectAltName",
                                           fmt::join(covers, ", "), host))
        .notes(ssl::set_here(config, "ssl_cert_file"));
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_cert_hostname() {
  return std::make_unique<CertHostnameRule>();
}

}  // namespace pgl::rules
