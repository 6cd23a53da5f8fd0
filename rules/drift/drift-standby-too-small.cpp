// drift-standby-too-small: a fact of comparing several nodes (`pgconflint diff`, `check --cluster`):
// src/diff finds the model::DriftKind::standby_too_small differences, this rule reports them. On a
// single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftStandbyTooSmallRule::meta() const {
  static constexpr lint::RuleMeta k_meta{
      "drift-standby-too-small",
      "a standby's max_connections, max_worker_processes, ... is below the primary's: it refuses to start",
      core::Severity::error, lint::Profile::default_, lint::Scope::cluster};
  return k_meta;
}

void DriftStandbyTooSmallRule::check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const {
  report_drift(model::DriftKind::standby_too_small, facts, ctx);
}

}  // namespace pgl::rules
