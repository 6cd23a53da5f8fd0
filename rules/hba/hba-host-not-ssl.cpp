// hba-host-not-ssl: a host (or hostnogssenc) line that unencrypted TCP connections from
// the network can reach.
#include <cstddef>
#include <vector>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaHostNotSsl final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-host-not-ssl", "`host` line reachable by unencrypted connections from the network", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    // trust: hba-trust-over-network says that anyone there connects at all.
    const auto pick = [](const model::HbaRecord& r) {
      return r.method != "reject" && r.method != "trust" &&
             (r.type == model::ConnType::host || r.type == model::ConnType::hostnogssenc);
    };
    // Physical replication is hba-replication-not-ssl's business.
    const analysis::ReachQuery q{{analysis::ConnClass::tcp_plain}, analysis::ReplFilter::normal, true, {}};
    for (const auto& [r, reach] : view.reach_live(pick, q)) {
      if (reach.verdict != analysis::Verdict::yes) {
        continue;
      }
      const std::string head = fmt::format("`{}` line accepts unencrypted connections from non-loopback addresses",
                                           model::to_string(r.type));
      const std::string example = hba::reach_example(r, view.file(), reach);
      std::string message;
      switch (hba::password_exposure(r.method)) {
        case hba::PasswordExposure::cleartext:
          message =
              fmt::format("{}, and `{}` sends the password itself in the clear (e.g. {})", head, r.method, example);
          break;
        case hba::PasswordExposure::hash_response:
          message = fmt::format(
              "{}: `md5` sends an MD5 challenge response an eavesdropper can attack offline to "
              "recover the password, and the session data crosses the network in the clear "
              "(e.g. {})",
              head, example);
          break;
        case hba::PasswordExposure::none:
          message = fmt::format("{}: the session data crosses the network in the clear{} (e.g. {})", head,
                                r.method == "scram-sha-256" ? " (the SCRAM exchange does not reveal the password)" : "",
                                example);
          break;
      }
      auto f =
          diag(ctx, hba::type_span(r), std::move(message))
              .help(fmt::format("change `{}` to `hostssl` (with ssl = on), or put a `hostnossl ... reject` line for "
                                "these addresses before it",
                                model::to_string(r.type)));
      if (hba::password_exposure(r.method) == hba::PasswordExposure::cleartext) {
        f.severity(core::Severity::error);
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_host_not_ssl() {
  return std::make_unique<HbaHostNotSsl>();
}

}  // namespace pgl::rules
