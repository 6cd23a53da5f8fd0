// drift-weaker-security: a fact of comparing several nodes (`pgconflint diff`, `check --cluster`):
// src/diff finds the model::DriftKind::weaker_security differences, this rule reports them. On a
// single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftWeakerSecurityRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-weaker-security", "a replica accepts connections the primary refuses",
                                         core::Severity::error, lint::Profile::default_, lint::Scope::cluster};
  return k_meta;
}

void DriftWeakerSecurityRule::check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const {
  report_drift(model::DriftKind::weaker_security, facts, ctx);
}

}  // namespace pgl::rules
