// hba-local-not-peer: a `local` line that authenticates Unix-socket connections with a method
// other than `peer` (a password, LDAP, PAM, RADIUS). Policy, not a fault: dev-sec's
// postgres-baseline (control postgres-13, "Require peer auth_method for local users") asks for
// `peer` on every `local` line. Strict profile only, a note. `trust` on `local` is
// hba-trust-local's; `reject` lines refuse and are not reported.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaLocalNotPeer final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-local-not-peer",
                                         "`local` line authenticates with a method other than `peer`",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (r.type != model::ConnType::local || r.method == "peer" || r.method == "trust" || r.method == "reject" ||
          !view.live(i)) {
        continue;
      }
      const std::string by =
          hba::sends_password(r.method) ? fmt::format("a password (`{}`)", r.method) : fmt::format("`{}`", r.method);
      diag(ctx, hba::method_span(r),
           fmt::format("`local` line authenticates Unix-socket connections by {}, not by the operating system "
                       "user the kernel reports (`peer`)",
                       by))
          .help(
              "use `peer` on `local` lines (with `map=...` where OS user and role names differ); keep the "
              "password method only for roles that have no OS user on the server host");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_local_not_peer() {
  return std::make_unique<HbaLocalNotPeer>();
}

}  // namespace pgl::rules
