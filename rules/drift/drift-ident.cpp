// drift-ident: reported by `pgconflint diff` (src/diff), which compares several nodes.
// On a single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftIdentRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-ident", "pg_ident.conf mappings of a replica differ from the primary's",
                                         core::Severity::warning};
  return k_meta;
}

void DriftIdentRule::check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const {}

}  // namespace pgl::rules
