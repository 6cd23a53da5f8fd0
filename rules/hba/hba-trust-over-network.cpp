// hba-trust-over-network: `trust` on a host* line open to non-loopback clients.
#include <cstddef>
#include <vector>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaTrustOverNetwork final : public lint::Rule {
 public:
  static constexpr lint::RuleOption k_options[] = {
      {"trusted_networks", lint::OptionType::network_list, "clients in these networks are not reported", "none"}};
  static constexpr lint::RuleMeta k_meta{.id = "hba-trust-over-network",
                                         .summary = "`trust` authentication for clients on the network",
                                         .default_severity = core::Severity::error,
                                         .options = k_options};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    analysis::ReachQuery q;
    q.exclude_loopback = true;
    for (const auto& net : option_networks(ctx, k_options[0])) {
      q.exclude.push_back(analysis::normalized(net));
    }
    const auto pick = [](const model::HbaRecord& r) { return r.method == "trust" && r.type != model::ConnType::local; };
    for (const auto& [r, reach] : view.reach_live(pick, q)) {
      if (reach.verdict != analysis::Verdict::yes) {
        continue;
      }
      const std::string where =
          r.addr_kind == model::AddrKind::ip && r.net ? analysis::normalized(*r.net).to_string() : r.address;
      std::string help =
          "change `trust` to `scram-sha-256` (or `cert`), or restrict the address to `127.0.0.1/32` / "
          "`::1/128`";
      if (q.exclude.empty()) {
        help += "; list networks you accept in hba-trust-over-network.trusted_networks";
      }
      diag(ctx, hba::method_span(r),
           fmt::format("`trust` authentication for clients from `{}`: anyone who can reach the server "
                       "there connects as any role in the line without a password (e.g. {})",
                       where, hba::reach_example(r, view.file(), reach)))
          .help(std::move(help));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_trust_over_network() {
  return std::make_unique<HbaTrustOverNetwork>();
}

}  // namespace pgl::rules
