// hba-hostname-address: the address column is a host name (DNS decides who matches).
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaHostnameAddress final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-hostname-address",
                                         "address given as a host name: DNS decides who matches", core::Severity::note};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      // `localhost` comes from the hosts file on any sane system: not worth a note.
      if (!analysis::is_hostname_address(r) || analysis::loopback_only(r) || !view.live(i)) {
        continue;
      }
      const bool keyword = r.address == "all" || r.address == "samehost" || r.address == "samenet";
      if (keyword) {
        diag(
            ctx, hba::address_span(r),
            fmt::format("address `\"{}\"` is quoted, so it is a host name, not the keyword `{}`", r.address, r.address))
            .help(fmt::format("remove the quotes to use the keyword `{}`", r.address));
      } else {
        diag(ctx, hba::address_span(r),
             fmt::format("address `{}` is a host name: whether a client matches depends on reverse DNS of "
                         "its address (confirmed by a forward lookup) at every connection",
                         r.address))
            .help("use the IP address or network in CIDR form (e.g. `192.0.2.10/32`)");
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_hostname_address() {
  return std::make_unique<HbaHostnameAddress>();
}

}  // namespace pgl::rules
