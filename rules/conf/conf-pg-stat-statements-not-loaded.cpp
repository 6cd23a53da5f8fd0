// conf-pg-stat-statements-not-loaded: shared_preload_libraries lacks pg_stat_statements, so no
// per-statement statistics are collected (klouddbshield's configuration audit). strict profile.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfPgStatStatementsNotLoadedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-pg-stat-statements-not-loaded",
                                         "pg_stat_statements is not loaded: no per-statement statistics",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::preload_lacks(config, {"pg_stat_statements"});
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": pg_stat_statements is not loaded: the server keeps no per-statement statistics (calls, time, rows), "
             "so a slow or runaway query can only be found in the logs")
        .help(
            "add pg_stat_statements to shared_preload_libraries (a restart), then CREATE EXTENSION "
            "pg_stat_statements in the databases to query it from");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_pg_stat_statements_not_loaded() {
  return std::make_unique<ConfPgStatStatementsNotLoadedRule>();
}

}  // namespace pgl::rules
