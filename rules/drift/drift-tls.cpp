// drift-tls: a fact of comparing several nodes (`pgconflint diff`, `check --cluster`):
// src/diff finds the model::DriftKind::tls differences, this rule reports them. On a
// single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftTlsRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-tls", "TLS material of a replica differs from the primary's",
                                         core::Severity::warning, lint::Profile::default_, lint::Scope::cluster};
  return k_meta;
}

void DriftTlsRule::check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const {
  report_drift(model::DriftKind::tls, facts, ctx);
}

}  // namespace pgl::rules
