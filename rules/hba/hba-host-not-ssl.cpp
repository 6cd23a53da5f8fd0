// hba-host-not-ssl: a host (or hostnogssenc) line that unencrypted TCP connections from
// the network can reach.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaHostNotSsl final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-host-not-ssl",
                                         "`host` line reachable by unencrypted connections from the network",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (!analysis::participates(r) || r.method == "reject" ||
          (r.type != model::ConnType::host && r.type != model::ConnType::hostnogssenc)) {
        continue;
      }
      // Physical replication is hba-replication-not-ssl's business.
      const analysis::ReachQuery q{{analysis::ConnClass::tcp_plain}, analysis::ReplFilter::normal, true, {}};
      const auto reach = view.reach().reach(i, q);
      if (reach.verdict != analysis::Verdict::yes) {
        continue;
      }
      const bool password = hba::sends_password(r.method);
      core::Diagnostic d = hba::finding(k_meta, hba::type_span(r));
      d.severity = password ? core::Severity::error : core::Severity::warning;
      d.message = fmt::format("`{}` line accepts unencrypted connections from non-loopback addresses{} "
                              "(e.g. {})",
                              model::to_string(r.type),
                              password ? fmt::format(" and sends the password (`{}`) in the clear", r.method)
                                       : fmt::format("; with `{}` the session data crosses the network in the clear",
                                                     r.method),
                              hba::reach_example(r, view.file(), reach));
      if (r.method == "scram-sha-256") {
        d.message = fmt::format("`{}` line accepts unencrypted connections from non-loopback addresses: the "
                                "SCRAM exchange and all session data cross the network in the clear (e.g. {})",
                                model::to_string(r.type), hba::reach_example(r, view.file(), reach));
      }
      d.help = fmt::format("change `{}` to `hostssl` (with ssl = on), or put a `hostnossl ... reject` line for "
                           "these addresses before it",
                           model::to_string(r.type));
      ctx.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_host_not_ssl() { return std::make_unique<HbaHostNotSsl>(); }

}  // namespace pgl::rules
