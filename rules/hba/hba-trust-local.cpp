// hba-trust-local: `trust` on a `local` line or a loopback `host*` line: any OS user of the
// server host connects as any role the line names (a superuser included) without a password.
// Warning by default, error in the cis profile (CIS PostgreSQL 17, 4.x "Ensure login via
// local UNIX Domain Socket is configured correctly" / 5.x "host TCP/IP Socket").
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaTrustLocal final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-trust-local", "`trust` for local or loopback connections: any OS user is any role", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (r.method != "trust" || !view.live(i)) {
        continue;
      }
      const bool local = r.type == model::ConnType::local;
      if (!local && !analysis::loopback_only(r)) {
        continue;  // trust from the network: hba-trust-over-network
      }
      std::string message;
      std::string help;
      if (local) {
        message =
            "`trust` on a `local` line: any OS user on the server host connects over the Unix socket as "
            "any role the line names, a superuser included, without a password";
        help =
            "change `trust` to `peer` (the OS user must be the role, or map names with map=...), or to "
            "`scram-sha-256`";
      } else {
        message = fmt::format(
            "`trust` on a loopback `{}` line (`{}`): any process on the server host connects "
            "as any role the line names, a superuser included, without a password",
            model::to_string(r.type), r.address);
        help =
            "change `trust` to `scram-sha-256`; for connections on the server host prefer a `local` line "
            "with `peer`";
      }
      auto f = diag(ctx, hba::method_span(r), std::move(message)).help(std::move(help));
      if (ctx.profile == lint::Profile::cis) {
        f.severity(core::Severity::error);
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_trust_local() {
  return std::make_unique<HbaTrustLocal>();
}

}  // namespace pgl::rules
