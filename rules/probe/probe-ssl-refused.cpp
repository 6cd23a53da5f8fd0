// probe-ssl-refused: the running server refuses SSL, or no TLS handshake with it succeeds.
#include <fmt/format.h>

#include "rules/probe/probe_rules.hpp"

namespace pgl::rules {

namespace {

constexpr std::string_view k_id = "probe-ssl-refused";

class SslRefusedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{k_id, "the running server refuses SSL, or no TLS handshake succeeds",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}  // live only
};

}  // namespace

namespace probes {

void assess_ssl_refused(const pgl::probe::Report& r, const Context& /*ctx*/, std::vector<core::Diagnostic>& out) {
  using pgl::probe::SslAnswer;
  const std::string where = r.target.display();
  if (r.ssl_answer == SslAnswer::refused) {
    out.push_back(make(k_id, r,
                       fmt::format("{} refuses SSL: it answered 'N' to the SSLRequest (ssl = off, or a server "
                                   "built without SSL)",
                                   where),
                       "set ssl = on with ssl_cert_file and ssl_key_file, then reload the server (SELECT "
                       "pg_reload_conf())"));
    return;
  }
  if (r.ssl_answer == SslAnswer::error) {
    out.push_back(make(k_id, r, fmt::format("{} answered the SSLRequest with an error: {}", where, r.ssl_error),
                       "check the server log; a server that cannot answer an SSLRequest cannot be reached over "
                       "SSL"));
    return;
  }
  if (!r.handshake.ok) {
    out.push_back(make(k_id, r,
                       fmt::format("{} accepted the SSLRequest, but a TLS handshake offering TLS 1.0 to 1.3 "
                                   "failed: {}",
                                   where, r.handshake.error),
                       "check the server log for the SSL error, and ssl_min_protocol_version, "
                       "ssl_max_protocol_version and ssl_ciphers"));
  }
}

}  // namespace probes

std::unique_ptr<lint::Rule> make_probe_ssl_refused() {
  return std::make_unique<SslRefusedRule>();
}

}  // namespace pgl::rules
