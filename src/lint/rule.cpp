#include "lint/rule.hpp"

namespace pgl::lint {
namespace generated {
const std::map<std::string, std::string_view>& rule_docs();
}

std::vector<std::string> LintContext::option_list(std::string_view rule, std::string_view key) const {
  std::string full(rule);
  full += '.';
  full += key;
  auto it = options.find(full);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : registry()) {
    if (r->meta().id == id) {
      return r.get();
    }
  }
  return nullptr;
}

std::optional<std::string_view> rule_doc(std::string_view id) {
  const auto& docs = generated::rule_docs();
  auto it = docs.find(std::string(id));
  if (it == docs.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace pgl::lint
