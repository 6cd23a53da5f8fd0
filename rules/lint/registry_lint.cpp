// Rules of this area, sorted by id, one line each.
#include "rules/registry.hpp"

namespace pgl::rules {

void add_lint_rules(RuleList& /*out*/) {}

}  // namespace pgl::rules
