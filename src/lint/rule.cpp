#include "lint/rule.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace pgl::lint {
namespace generated {
const std::map<std::string, std::string_view>& rule_docs();
}

std::string_view option_type_name(OptionType type) {
  switch (type) {
    case OptionType::string: return "string";
    case OptionType::string_list: return "list of strings";
    case OptionType::integer: return "integer";
    case OptionType::boolean: return "boolean";
    case OptionType::network_list: return "list of CIDRs";
    case OptionType::choice: return "one of a set of strings";
  }
  return "value";
}

const OptionValue* LintContext::option(const RuleMeta& meta, const RuleOption& option) const {
  const bool declared = std::any_of(meta.options.begin(), meta.options.end(), [&](const RuleOption& d) {
    return d.name == option.name && d.type == option.type;
  });
  if (!declared) {
    throw std::logic_error(fmt::format("rule {} reads option '{}' ({}) that its RuleMeta does not declare", meta.id,
                                       option.name, option_type_name(option.type)));
  }
  std::string key(meta.id);
  key += '.';
  key += option.name;
  auto it = options.find(key);
  return it == options.end() ? nullptr : &it->second;
}

namespace {

const OptionValue* typed(const RuleMeta& meta, const LintContext& ctx, const RuleOption& o,
                         std::initializer_list<OptionType> types) {
  if (std::find(types.begin(), types.end(), o.type) == types.end()) {
    throw std::logic_error(fmt::format("rule {} reads option '{}' ({}) with the wrong accessor", meta.id, o.name,
                                       option_type_name(o.type)));
  }
  return ctx.option(meta, o);
}

}  // namespace

std::vector<std::string> Rule::option_strings(const LintContext& ctx, const RuleOption& o) const {
  const auto* v = typed(meta(), ctx, o, {OptionType::string, OptionType::string_list, OptionType::choice});
  return v == nullptr ? std::vector<std::string>{} : v->strings;
}

std::vector<model::IpNet> Rule::option_networks(const LintContext& ctx, const RuleOption& o) const {
  const auto* v = typed(meta(), ctx, o, {OptionType::network_list});
  return v == nullptr ? std::vector<model::IpNet>{} : v->networks;
}

std::optional<long long> Rule::option_integer(const LintContext& ctx, const RuleOption& o) const {
  const auto* v = typed(meta(), ctx, o, {OptionType::integer});
  return v == nullptr ? std::nullopt : std::optional<long long>(v->integer);
}

std::optional<bool> Rule::option_bool(const LintContext& ctx, const RuleOption& o) const {
  const auto* v = typed(meta(), ctx, o, {OptionType::boolean});
  return v == nullptr ? std::nullopt : std::optional<bool>(v->boolean);
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
