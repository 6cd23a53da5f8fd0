// drift-standby-too-small: reported by `pgconflint diff` (src/diff), which compares several nodes.
// On a single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftStandbyTooSmallRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-standby-too-small", "a standby's max_connections, max_worker_processes, ... is below the primary's: it refuses to start",
                                         core::Severity::error};
  return k_meta;
}

void DriftStandbyTooSmallRule::check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const {}

}  // namespace pgl::rules
