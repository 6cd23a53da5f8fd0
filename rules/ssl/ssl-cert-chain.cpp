// ssl-cert-chain: server certificate does not verify against the configured CA certificates.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

std::vector<std::string> quoted(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const auto& s : v) {
    out.push_back("\"" + s + "\"");
  }
  return out;
}

class CertChainRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-cert-chain",
                                         "server certificate does not verify against the configured CA certificates",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CertChainRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m || !m->chain || !m->chain->has_value()) {
    return;
  }
  std::vector<tls::Certificate> trusted;
  std::vector<std::string> sources;
  if (m->ca && m->ca->has_value()) {
    for (const auto& pc : **m->ca) {
      trusted.push_back(pc.cert);
    }
    sources.push_back(m->ca_file->configured);
  }
  bool explicit_ca = false;
  for (const auto& [path, certs] : m->extra_ca) {
    if (!certs) {
      diag(ctx, ssl::file_span(path, 0),
           fmt::format("could not load CA file \"{}\" given with --ca: {}", path, certs.error().message));
      continue;
    }
    explicit_ca = true;
    for (const auto& pc : *certs) {
      trusted.push_back(pc.cert);
    }
    sources.push_back(path);
  }
  if (trusted.empty()) {
    return;
  }
  std::vector<tls::Certificate> chain;
  for (const auto& pc : **m->chain) {
    chain.push_back(pc.cert);
  }
  // ssl_ca_file is for client certificates: only hold the server chain to it when it
  // holds a CA named as an issuer in the chain (or when --ca names the expected roots).
  if (!explicit_ca) {
    bool related = false;
    for (const auto& c : chain) {
      for (const auto& t : trusted) {
        related = related || c.info().issuer == t.info().subject;
      }
    }
    if (!related) {
      return;
    }
  }
  auto rc = tls::verify_chain(chain, trusted, ctx.now);
  if (!rc) {
    diag(ctx, ssl::file_span(m->cert_file.path, (**m->chain)[0].line),
         fmt::format("server certificate \"{}\" does not verify against the CA certificates in {}: {}",
                     chain[0].info().display_name(), fmt::join(quoted(sources), ", "), rc.error().message))
        .help(
            "put the leaf certificate first in ssl_cert_file followed by every intermediate up to (not "
            "necessarily including) the root, and make sure the root is the one clients trust")
        .notes(ssl::set_here(config, "ssl_cert_file"));
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_cert_chain() {
  return std::make_unique<CertChainRule>();
}

}  // namespace pgl::rules
