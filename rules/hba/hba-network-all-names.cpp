// hba-network-all-names: a TCP line (host, hostssl, hostnossl, hostgssenc, hostnogssenc) that
// is not `reject` and has `all` in the database or the user column. CIS PostgreSQL 17 Benchmark
// 5.10 ("Ensure PostgreSQL is configured to allow only specific databases and users", as pgdsat
// checks it: every non-local, non-reject record) asks for the specific databases and users
// allowed to connect. cis profile only, a warning. `local` lines are left out, as the benchmark
// does (hba-all-names, strict, covers them).
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaNetworkAllNames final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-network-all-names",
                                         "TCP line for `all` databases or `all` users (CIS 5.10)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (r.type == model::ConnType::local || r.method == "reject" || !view.live(i)) {
        continue;
      }
      const hba::AllKeywords all = hba::all_keywords(r);
      if (!all.any()) {
        continue;
      }
      const char* which = all.both() ? "databases and users" : (all.database != nullptr ? "databases" : "users");
      diag(ctx, hba::span_or_line(all.first().span, r.file, r.line),
           fmt::format("`{}` line accepts `all` {}: CIS 5.10 asks that TCP lines name the specific databases and "
                       "users allowed to connect",
                       model::to_string(r.type), which))
          .help("name the databases and roles this line is for (a comma list, `+group` or `@file`)");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_network_all_names() {
  return std::make_unique<HbaNetworkAllNames>();
}

}  // namespace pgl::rules
