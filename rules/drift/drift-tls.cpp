// drift-tls: reported by `pgconflint diff` (src/diff), which compares several nodes.
// On a single node there is nothing to compare, so check() reports nothing.
#include "rules/drift/drift_rules.hpp"

namespace pgl::rules {

const lint::RuleMeta& DriftTlsRule::meta() const {
  static constexpr lint::RuleMeta k_meta{"drift-tls", "TLS material of a replica differs from the primary's",
                                         core::Severity::warning};
  return k_meta;
}

void DriftTlsRule::check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const {}

}  // namespace pgl::rules
