// drift-hba: a fact of comparing several nodes (`pgconflint diff`, `check --cluster`):
// src/diff finds the model::DriftKind::hba differences, this rule reports them. On a
// single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftHbaRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-hba",
                                         "pg_hba.conf of a replica differs from the primary's (other than weaker)",
                                         core::Severity::warning, lint::Profile::default_, lint::Scope::cluster};
  return k_meta;
}

void DriftHbaRule::check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const {
  report_drift(model::DriftKind::hba, facts, ctx);
}

}  // namespace pgl::rules
