// Rules of this area, sorted by id, one line each.
#include "rules/drift/drift_rules.hpp"
#include "rules/registry.hpp"

namespace pgl::rules {

void add_drift_rules(RuleList& out) {
  out.push_back(std::make_unique<DriftHbaRule>());
  out.push_back(std::make_unique<DriftIdentRule>());
  out.push_back(std::make_unique<DriftSettingRule>());
  out.push_back(std::make_unique<DriftStandbyTooSmallRule>());
  out.push_back(std::make_unique<DriftTlsRule>());
  out.push_back(std::make_unique<DriftWeakerSecurityRule>());
}

}  // namespace pgl::rules
