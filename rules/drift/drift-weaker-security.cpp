// drift-weaker-security: reported by `pgconflint diff` (src/diff), which compares several nodes.
// On a single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftWeakerSecurityRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-weaker-security", "a replica accepts connections the primary refuses",
                                         core::Severity::error};
  return k_meta;
}

void DriftWeakerSecurityRule::check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const {}

}  // namespace pgl::rules
