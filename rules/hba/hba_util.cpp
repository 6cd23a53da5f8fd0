#include "rules/hba/hba_util.hpp"

#include <algorithm>
#include <charconv>

#include <arpa/inet.h>
#include <fmt/format.h>

#include "analysis/hba_template.hpp"

namespace pgl::rules::hba {

core::Span span_or_line(const core::Span& span, const std::string& file, std::uint32_t line) {
  if (span.begin.line != 0 && !span.begin.file.empty()) {
    return span;
  }
  return core::Span{core::Location{file, line, 0}, line, 0};
}

core::Span type_span(const model::HbaRecord& r) {
  return span_or_line(r.type_span, r.file, r.line);
}
core::Span method_span(const model::HbaRecord& r) {
  return span_or_line(r.method_span, r.file, r.line);
}
core::Span address_span(const model::HbaRecord& r) {
  return span_or_line(r.address_span, r.file, r.line);
}
core::Span line_span(const model::HbaRecord& r) {
  return core::Span{core::Location{r.file, r.line, 0}, r.line, 0};
}

std::string line_ref(const model::HbaRecord& r, const model::HbaFile& file) {
  if (r.file.empty() || r.file == file.path) {
    return fmt::format("line {}", r.line);
  }
  return fmt::format("line {} of {}", r.line, r.file);
}

const model::HbaOption* find_option(const model::HbaRecord& r, std::string_view name) {
  const model::HbaOption* found = nullptr;
  for (const auto& o : r.options) {
    if (o.name == name) {
      found = &o;
    }
  }
  return found;
}

namespace {
const model::AuthToken* all_keyword(const std::vector<model::AuthToken>& column) {
  for (const auto& t : column) {
    if (!t.quoted && !t.unknown && t.text == "all") {
      return &t;
    }
  }
  return nullptr;
}
}  // namespace

AllKeywords all_keywords(const model::HbaRecord& r) {
  return {all_keyword(r.databases), all_keyword(r.users)};
}

bool sends_password(std::string_view method) {
  static constexpr std::string_view k_methods[] = {"password", "md5", "scram-sha-256", "ldap", "radius", "pam", "bsd"};
  return std::find(std::begin(k_methods), std::end(k_methods), method) != std::end(k_methods);
}

PasswordExposure password_exposure(std::string_view method) {
  if (method == "md5") {
    return PasswordExposure::hash_response;
  }
  static constexpr std::string_view k_cleartext[] = {"password", "ldap", "radius", "pam", "bsd"};
  return std::find(std::begin(k_cleartext), std::end(k_cleartext), method) != std::end(k_cleartext)
             ? PasswordExposure::cleartext
             : PasswordExposure::none;
}

std::optional<model::IpNet> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const std::string addr(text.substr(0, slash));
  model::IpNet n;
  if (inet_pton(AF_INET, addr.c_str(), n.bytes.data()) == 1) {
    n.family = 4;
    n.prefix = 32;
  } else if (inet_pton(AF_INET6, addr.c_str(), n.bytes.data()) == 1) {
    n.family = 6;
    n.prefix = 128;
  } else {
    return std::nullopt;
  }
  if (slash != std::string_view::npos) {
    const auto bits = text.substr(slash + 1);
    int p = -1;
    auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), p);
    if (ec != std::errc() || ptr != bits.data() + bits.size() || p < 0 || p > n.prefix) {
      return std::nullopt;
    }
    n.prefix = p;
  }
  return analysis::normalized(n);
}

core::Span setting_span(const model::EffectiveSetting& s) {
  if (!s.entry) {
    return {};
  }
  if (s.entry->name_span.begin.line != 0) {
    core::Span sp = s.entry->name_span;
    if (s.entry->value_span.begin.line != 0) {
      sp.end_line = s.entry->value_span.end_line;
      sp.end_column = s.entry->value_span.end_column;
    }
    return sp;
  }
  return core::Span{core::Location{s.entry->file, s.entry->line, 0}, s.entry->line, 0};
}

namespace {

std::optional<analysis::TemplateMatch> first_template(const model::Config& config, const std::string& path) {
  const core::SourceFile* src = config.sources.find(path);
  if (src == nullptr) {
    return std::nullopt;
  }
  analysis::TemplateDetectOptions opt;
  opt.quote = '"';
  for (auto& m : analysis::detect_templates(src->bytes(), opt)) {
    if (!m.in_comment) {
      return std::move(m);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<analysis::TemplateMatch> hba_template(const model::Config& config, std::string* file) {
  const auto t = analysis::hba_template(config);  // searched once per loaded file
  if (t->match && file != nullptr) {
    *file = t->file;
  }
  return t->match;
}

std::optional<analysis::TemplateMatch> ident_template(const model::Config& config) {
  return config.ident ? first_template(config, config.ident->path) : std::nullopt;
}

const model::IdentFile* ident_file(const model::Config& config) {
  return config.ident && !ident_template(config) ? &*config.ident : nullptr;
}

HbaView::HbaView(const model::Config& config) {
  if (config.hba && !hba_template(config)) {
    m_file = &*config.hba;
    m_reach = analysis::hba_model(config);
  }
}

bool HbaView::live(std::size_t index) const {
  if (!m_file || index >= m_file->records.size() || !analysis::participates(m_file->records[index])) {
    return false;
  }
  return m_reach->reach_all(index).verdict != analysis::Verdict::no;
}

std::vector<HbaView::Answer> HbaView::reach_live(const std::function<bool(const model::HbaRecord&)>& pick,
                                                 const analysis::ReachQuery& query) const {
  std::vector<std::size_t> asked;
  for (const auto& [i, r] : records()) {
    if (pick(r) && live(i)) {
      asked.push_back(i);
    }
  }
  std::vector<Answer> out;
  if (asked.empty()) {
    return out;
  }
  std::vector<analysis::Reach> answers = m_reach->reach_each(asked, query);
  out.reserve(asked.size());
  for (std::size_t k = 0; k < asked.size(); ++k) {
    out.push_back(Answer{m_file->records[asked[k]], std::move(answers[k])});
  }
  return out;
}

std::string display_net(const model::IpNet& net) {
  return analysis::normalized(net).to_string();
}

std::string reach_example(const model::HbaRecord& r, const model::HbaFile& file, const analysis::Reach& reach) {
  static constexpr std::string_view k_from = " connections from ";
  const std::size_t at = reach.example.find(k_from);
  if (at == std::string::npos) {
    return reach.example;
  }
  const std::string phrase = reach.example.substr(0, at);
  const std::string from = reach.example.substr(at + k_from.size());
  std::string own;
  if (r.addr_kind == model::AddrKind::ip && r.net) {
    own = display_net(*r.net);
  } else if (r.addr_kind == model::AddrKind::all) {
    if (from == "0.0.0.0/0" || from == "::/0") {
      return reach.example;
    }
    own = "any address";
  } else {
    return reach.example;
  }
  if (from == own || reach.taken_by.empty()) {
    return reach.example;
  }
  // "line 26", "lines 26 and 27", "lines 26, 27 and 30", "lines 26, 27, 30 and 2 more".
  const std::size_t limit = 3;
  const std::size_t n = reach.taken_by.size();
  std::vector<std::string> refs;
  for (std::size_t k = 0; k < n && k < limit; ++k) {
    const auto& e = file.records[reach.taken_by[k]];
    refs.push_back(e.file.empty() || e.file == file.path ? std::to_string(e.line) : line_ref(e, file));
  }
  if (n > limit) {
    refs.push_back(fmt::format("{} more", n - limit));
  }
  std::string lines = n > 1 ? "lines " : "line ";
  for (std::size_t k = 0; k < refs.size(); ++k) {
    if (k > 0) {
      lines += k + 1 == refs.size() ? " and " : ", ";
    }
    lines += refs[k];
  }
  return fmt::format("{} connections from {} that {} {} not take first", phrase, own, lines,
                     reach.taken_by.size() > 1 ? "do" : "does");
}

std::vector<core::Related> taken_by_notes(const model::HbaFile& file, const std::vector<std::size_t>& taken,
                                          std::string_view what, std::size_t limit) {
  std::vector<core::Related> notes;
  for (std::size_t k = 0; k < taken.size() && k < limit; ++k) {
    notes.push_back({line_span(file.records[taken[k]]), std::string(what)});
  }
  return notes;
}

}  // namespace pgl::rules::hba
