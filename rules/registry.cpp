// Every rule, one line each, sorted by id. No self-registration.
#include "lint/rule.hpp"

namespace pgl::rules {
// Factories are declared here as each rule is added:
// std::unique_ptr<lint::Rule> make_hba_host_not_ssl();
}  // namespace pgl::rules

namespace pgl::lint {

const std::vector<std::unique_ptr<Rule>>& registry() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> v;
    return v;
  }();
  return rules;
}

}  // namespace pgl::lint
