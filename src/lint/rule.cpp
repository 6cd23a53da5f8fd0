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

FindingBuilder& FindingBuilder::help(std::string text) {
  diagnostic().help = std::move(text);
  return *this;
}

FindingBuilder& FindingBuilder::note(core::Span span, std::string message) {
  diagnostic().related.push_back(core::Related{std::move(span), std::move(message)});
  return *this;
}

FindingBuilder& FindingBuilder::notes(std::vector<core::Related> related) {
  auto& r = diagnostic().related;
  r.insert(r.end(), std::make_move_iterator(related.begin()), std::make_move_iterator(related.end()));
  return *this;
}

FindingBuilder& FindingBuilder::severity(core::Severity s) {
  diagnostic().severity = s;
  return *this;
}

FindingBuilder LintContext::diag(const RuleMeta& meta, core::Span span, std::string message) {
  core::Diagnostic d;
  d.rule = std::string(meta.id);
  d.severity = meta.default_severity;
  d.span = std::move(span);
  d.message = std::move(message);
  m_out.push_back(std::move(d));
  return FindingBuilder(m_out, m_out.size() - 1);
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
