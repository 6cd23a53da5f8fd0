// Rules of this area, sorted by id, one line each.
#include "rules/registry.hpp"

namespace pgl::rules {

std::unique_ptr<lint::Rule> make_lint_unused_suppression();

void add_lint_rules(RuleList& out) {
  out.push_back(make_lint_unused_suppression());
}

}  // namespace pgl::rules
