// probe-old-protocol-accepted: the running server completes a TLS 1.0 or 1.1 handshake.
#include <fmt/format.h>

#include "rules/probe/probe_rules.hpp"

namespace pgl::rules {

namespace {

constexpr std::string_view k_id = "probe-old-protocol-accepted";

class OldProtocolAcceptedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{k_id, "the running server accepts a TLS 1.0 or TLS 1.1 handshake",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}  // live only
};

}  // namespace

namespace probes {

void assess_old_protocol_accepted(const pgl::probe::Report& r, const Context& /*ctx*/,
                                  std::vector<core::Diagnostic>& out) {
  using pgl::probe::TlsVersion;
  for (const auto& v : r.versions) {
    if (v.outcome != pgl::probe::VersionCheck::Outcome::accepted ||
        (v.version != TlsVersion::tls1_0 && v.version != TlsVersion::tls1_1)) {
      continue;
    }
    out.push_back(make(k_id, r,
                       fmt::format("{} accepts {} handshakes (cipher {}): TLS versions below 1.2 are deprecated "
                                   "(RFC 8996)",
                                   r.target.display(), pgl::probe::display(v.version), v.detail),
                       "set ssl_min_protocol_version = 'TLSv1.2' and reload the server"));
  }
}

}  // namespace probes

std::unique_ptr<lint::Rule> make_probe_old_protocol_accepted() {
  return std::make_unique<OldProtocolAcceptedRule>();
}

}  // namespace pgl::rules
