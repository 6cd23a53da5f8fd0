// hba-all-names: a pg_hba.conf line with `all` in the database or the user column, on any
// connection type. Policy, not a fault: klouddbshield's HBA checks 2 and 3 ("Check if `all` is
// used under database field" / "under user column") ask for the databases and users each line
// needs (least privilege). Strict profile only, a note; `reject` lines (a catch-all `reject`
// is good practice) are not reported. The TCP lines alone are hba-network-all-names' (cis).
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaAllNames final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-all-names", "pg_hba.conf line for `all` databases or `all` users",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (r.method == "reject" || !view.live(i)) {
        continue;
      }
      const hba::AllKeywords all = hba::all_keywords(r);
      if (!all.any()) {
        continue;
      }
      const bool db = all.database != nullptr;
      const char* column = all.both() ? "database and user columns" : (db ? "database column" : "user column");
      const char* what = all.both() ? "every database and every role" : (db ? "every database" : "every role");
      diag(ctx, hba::span_or_line(all.first().span, r.file, r.line),
           fmt::format("`all` in the {}: this `{}` line applies to {}", column, model::to_string(r.type), what))
          .help(
              "name the databases and roles the line is for (a comma list, `+group` or `@file`); least privilege "
              "gives each client only what it needs");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_all_names() {
  return std::make_unique<HbaAllNames>();
}

}  // namespace pgl::rules
