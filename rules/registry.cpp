// The registry: every area lists its rules explicitly, sorted by id, in
// rules/<area>/registry_<area>.cpp. No self-registering static objects.
#include "rules/registry.hpp"

#include <algorithm>

#include "lint/rule.hpp"

namespace pgl::lint {

const std::vector<std::unique_ptr<Rule>>& registry() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> v;
    rules::add_conf_rules(v);
    rules::add_drift_rules(v);
    rules::add_hba_rules(v);
    rules::add_lint_rules(v);
    rules::add_probe_rules(v);
    rules::add_repl_rules(v);
    rules::add_ssl_rules(v);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a->meta().id < b->meta().id; });
    return v;
  }();
  return rules;
}

}  // namespace pgl::lint
