// drift-ident: a fact of comparing several nodes (`pgconflint diff`, `check --cluster`):
// src/diff finds the model::DriftKind::ident differences, this rule reports them. On a
// single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftIdentRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-ident", "pg_ident.conf mappings of a replica differ from the primary's",
                                         core::Severity::warning, lint::Profile::default_, lint::Scope::cluster};
  return k_meta;
}

void DriftIdentRule::check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const {
  report_drift(model::DriftKind::ident, facts, ctx);
}

}  // namespace pgl::rules
