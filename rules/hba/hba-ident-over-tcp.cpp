// hba-ident-over-tcp: `ident` on a TCP line: the client's ident server decides who it is.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaIdentOverTcp final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-ident-over-tcp",
                                         "`ident` authentication over TCP trusts the client's ident server",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (r.type == model::ConnType::local || r.method != "ident" || !view.live(i)) {
        continue;
      }
      if (analysis::loopback_only(r)) {
        // The client is on the server's own host: the identd asked is the server host's own,
        // which answers for its own processes (RHEL's initdb default `host all all 127.0.0.1/32 ident`).
        diag(ctx, hba::method_span(r),
             fmt::format("`ident` authentication on a loopback `{}` line asks the ident server (RFC 1413) "
                         "of this host: an identd must run on the server host, or every such connection "
                         "fails",
                         model::to_string(r.type)))
            .help(
                "make sure an identd runs on the server host, or use a `local` line with `peer` (no identd "
                "needed) or `scram-sha-256` for loopback TCP")
            .severity(core::Severity::note);
        continue;
      }
      diag(ctx, hba::method_span(r),
           fmt::format("`ident` authentication on a `{}` line: the user name comes from the ident server "
                       "(RFC 1413) on the client's host, which whoever controls that host can answer",
                       model::to_string(r.type)))
          .help(
              "use `scram-sha-256`, `cert` or `gss` for TCP; for connections on the server itself use a "
              "`local` line with `peer`");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_ident_over_tcp() {
  return std::make_unique<HbaIdentOverTcp>();
}

}  // namespace pgl::rules
