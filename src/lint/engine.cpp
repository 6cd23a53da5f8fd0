#include "lint/engine.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include <fmt/format.h>

namespace pgl::lint {

std::optional<FailOn> fail_on_from_string(std::string_view s) {
  if (s == "error") {
    return FailOn::error;
  }
  if (s == "warning") {
    return FailOn::warning;
  }
  if (s == "note") {
    return FailOn::note;
  }
  if (s == "never") {
    return FailOn::never;
  }
  return std::nullopt;
}

std::string_view to_string(FailOn f) {
  switch (f) {
    case FailOn::note:
      return "note";
    case FailOn::warning:
      return "warning";
    case FailOn::error:
      return "error";
    case FailOn::never:
      return "never";
  }
  return "never";
}

std::optional<Profile> profile_from_string(std::string_view s) {
  if (s == "default") {
    return Profile::default_;
  }
  if (s == "strict") {
    return Profile::strict;
  }
  if (s == "cis") {
    return Profile::cis;
  }
  return std::nullopt;
}

std::string_view to_string(Profile p) {
  switch (p) {
    case Profile::default_:
      return "default";
    case Profile::strict:
      return "strict";
    case Profile::cis:
      return "cis";
  }
  return "default";
}

bool at_or_above(core::Severity s, FailOn fail_on) {
  switch (fail_on) {
    case FailOn::never:
      return false;
    case FailOn::note:
      return true;
    case FailOn::warning:
      return s != core::Severity::note;
    case FailOn::error:
      return s == core::Severity::error;
  }
  return false;
}

int exit_code(const std::vector<core::Diagnostic>& diagnostics, FailOn fail_on) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [&](const core::Diagnostic& d) { return at_or_above(d.severity, fail_on); })
             ? 1
             : 0;
}

bool RuleSelection::selected(std::string_view id) const {
  return std::any_of(rules.begin(), rules.end(), [&](const Rule* r) { return r->meta().id == id; });
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<const Rule*> registry_rules() {
  std::vector<const Rule*> out;
  for (const auto& r : registry()) {
    out.push_back(r.get());
  }
  return out;
}

bool contains(const std::vector<std::string>& v, std::string_view id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

}  // namespace

std::optional<std::string> suggest_rule_id(std::string_view id, const std::vector<std::string_view>& known) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(3, id.size() / 3) + 1;
  for (const auto& k : known) {
    // A known id that contains the given text (e.g. "md5" -> "hba-md5") is a good guess.
    const std::size_t d = (id.size() >= 3 && k.find(id) != std::string_view::npos) ? 1 : edit_distance(id, k);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(k);
    }
  }
  return best;
}

std::optional<std::time_t> parse_timestamp(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    if (text.size() > 12) {
      return std::nullopt;
    }
    return static_cast<std::time_t>(std::stoll(std::string(text)));
  }
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  const std::string s(text);
  char tail[8] = {0};
  int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%7s", &year, &month, &day, &hour, &minute, &second, tail);
  if (n == 3 && s.size() == 10) {
    hour = minute = second = 0;
  } else if (n < 6 || (n == 7 && std::string_view(tail) != "Z")) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || year < 1970) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return timegm(&tm);
}

Result<RuleSelection> select_rules(const EngineOptions& options) {
  return select_rules(options, registry_rules());
}

Result<RuleSelection> select_rules(const EngineOptions& options, const std::vector<const Rule*>& rules) {
  RuleSelection sel;
  sel.profile = options.profile;
  for (const Rule* r : rules) {
    sel.known_ids.push_back(r->meta().id);
  }
  auto check_id = [&](const std::string& id, std::string_view where) -> Result<void> {
    if (std::find(sel.known_ids.begin(), sel.known_ids.end(), id) != sel.known_ids.end()) {
      return {};
    }
    std::string msg = fmt::format("unknown rule id '{}' in {}", id, where);
    if (auto s = suggest_rule_id(id, sel.known_ids)) {
      msg += fmt::format(" (did you mean '{}'?)", *s);
    }
    return fail(msg);
  };
  for (const auto& id : options.enable) {
    if (auto r = check_id(id, "--enable"); !r) {
      return tl::unexpected(r.error());
    }
  }
  for (const auto& id : options.disable) {
    if (auto r = check_id(id, "--disable"); !r) {
      return tl::unexpected(r.error());
    }
  }
  for (const auto& [id, sev] : options.severity) {
    if (auto r = check_id(id, "severity overrides"); !r) {
      return tl::unexpected(r.error());
    }
  }
  if (options.only) {
    for (const auto& id : *options.only) {
      if (auto r = check_id(id, "the rule list"); !r) {
        return tl::unexpected(r.error());
      }
    }
  }
  for (const Rule* r : rules) {
    const auto& meta = r->meta();
    bool run = false;
    if (options.only) {
      run = contains(*options.only, meta.id);
    } else {
      run = meta.profile == Profile::default_ || meta.profile == options.profile ||
            contains(options.enable, meta.id);
      run = run && !contains(options.disable, meta.id);
    }
    if (run) {
      sel.rules.push_back(r);
    }
  }
  std::sort(sel.rules.begin(), sel.rules.end(),
            [](const Rule* a, const Rule* b) { return a->meta().id < b->meta().id; });
  sel.severity = options.severity;
  sel.raise_notes = options.profile == Profile::strict && !options.only;
  return sel;
}

// --- suppressions ---

namespace {

bool is_blank_or_comment(std::string_view line) {
  const auto pos = line.find_first_not_of(" \t\f\v\r");
  return pos == std::string_view::npos || line[pos] == '#';
}

// Offset of the `#` that starts a comment, outside '...' (postgresql.conf) and "..." (hba).
std::size_t comment_start(std::string_view line) {
  bool in_single = false;
  bool in_double = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_single) {
      if (c == '\\') {
        ++i;
      } else if (c == '\'') {
        in_single = false;
      }
    } else if (in_double) {
      if (c == '"') {
        in_double = false;
      }
    } else if (c == '\'') {
      in_single = true;
    } else if (c == '"') {
      in_double = true;
    } else if (c == '#') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

constexpr std::string_view k_marker = "pgconflint:";

}  // namespace

std::vector<Suppression> parse_suppressions(const core::SourceFile& file) {
  std::vector<Suppression> out;
  const auto count = static_cast<std::uint32_t>(file.line_count());
  for (std::uint32_t ln = 1; ln <= count; ++ln) {
    const std::string_view line = file.line(ln);
    if (line.find(k_marker) == std::string_view::npos) {
      continue;
    }
    const std::size_t hash = comment_start(line);
    if (hash == std::string_view::npos) {
      continue;
    }
    std::size_t i = line.find_first_not_of(" \t", hash + 1);
    if (i == std::string_view::npos || line.substr(i, k_marker.size()) != k_marker) {
      continue;
    }
    const bool standalone = line.substr(0, hash).find_first_not_of(" \t\f\v") == std::string_view::npos;
    i = line.find_first_not_of(" \t", i + k_marker.size());
    if (i == std::string_view::npos) {
      i = line.size();
    }
    std::size_t word_end = i;
    while (word_end < line.size() && is_id_char(line[word_end])) {
      ++word_end;
    }
    const std::string_view directive = line.substr(i, word_end - i);
    Suppression base;
    base.file = file.path();
    base.line = ln;
    base.column = static_cast<std::uint32_t>(i + 1);
    if ((directive != "disable" && directive != "disable-file") || word_end >= line.size() ||
        line[word_end] != '=') {
      base.malformed = true;
      base.directive = std::string(line.substr(i, line.find_first_of(" \t", i) - i));
      out.push_back(base);
      continue;
    }
    if (directive == "disable-file") {
      base.target_line = 0;
    } else if (standalone) {
      base.target_line = count + 1;  // none: never matches
      for (std::uint32_t next = ln + 1; next <= count; ++next) {
        if (!is_blank_or_comment(file.line(next))) {
          base.target_line = next;
          break;
        }
      }
    } else {
      base.target_line = ln;
    }
    std::size_t j = word_end + 1;
    bool any = false;
    while (true) {
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) {
        ++j;
      }
      std::size_t id_end = j;
      while (id_end < line.size() && is_id_char(line[id_end])) {
        ++id_end;
      }
      if (id_end == j) {
        break;
      }
      Suppression s = base;
      s.rule = std::string(line.substr(j, id_end - j));
      s.column = static_cast<std::uint32_t>(j + 1);
      out.push_back(std::move(s));
      any = true;
      j = id_end;
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) {
        ++j;
      }
      if (j < line.size() && line[j] == ',') {
        ++j;
        continue;
      }
      break;
    }
    if (!any) {
      base.malformed = true;
      base.directive = std::string(directive) + "=";
      out.push_back(base);
    }
  }
  return out;
}

namespace {

bool suppresses(const Suppression& s, const core::Diagnostic& d) {
  if (s.malformed || s.rule != d.rule || s.file != d.span.begin.file) {
    return false;
  }
  return s.target_line == 0 || (d.span.begin.line != 0 && s.target_line == d.span.begin.line);
}

core::Severity effective_severity(const RuleSelection& sel, const std::string& rule, core::Severity s) {
  if (auto it = sel.severity.find(rule); it != sel.severity.end()) {
    return it->second;
  }
  if (sel.raise_notes && s == core::Severity::note) {
    return core::Severity::warning;
  }
  return s;
}

}  // namespace

std::vector<core::Diagnostic> run(const model::Config& config, LintContext& ctx, const RuleSelection& selection) {
  std::vector<core::Diagnostic> found;
  const Rule* unused_rule = nullptr;
  ctx.profile = selection.profile;
  for (const Rule* rule : selection.rules) {
    if (rule->meta().id == k_unused_suppression_id) {
      unused_rule = rule;
      continue;  // computed below, after the other rules
    }
    ctx.diagnostics().clear();
    rule->check(config, ctx);
    for (auto& d : ctx.diagnostics()) {
      if (d.rule.empty()) {
        d.rule = std::string(rule->meta().id);
      }
      found.push_back(std::move(d));
    }
    ctx.diagnostics().clear();
  }

  std::vector<Suppression> suppressions;
  for (const core::SourceFile* file : config.sources.files()) {
    auto list = parse_suppressions(*file);
    suppressions.insert(suppressions.end(), std::make_move_iterator(list.begin()),
                        std::make_move_iterator(list.end()));
  }
  std::vector<bool> used(suppressions.size(), false);

  std::vector<core::Diagnostic> kept;
  auto filter = [&](std::vector<core::Diagnostic>& in) {
    for (auto& d : in) {
      bool hidden = false;
      for (std::size_t i = 0; i < suppressions.size(); ++i) {
        if (suppresses(suppressions[i], d)) {
          used[i] = true;
          hidden = true;
        }
      }
      if (!hidden) {
        d.severity = effective_severity(selection, d.rule, d.severity);
        kept.push_back(std::move(d));
      }
    }
  };
  filter(found);

  if (unused_rule != nullptr) {
    std::vector<core::Diagnostic> unused;
    const auto sev = unused_rule->meta().default_severity;
    const std::string id(k_unused_suppression_id);
    for (std::size_t i = 0; i < suppressions.size(); ++i) {
      const auto& s = suppressions[i];
      core::Diagnostic d;
      d.rule = id;
      d.severity = sev;
      if (s.malformed) {
        d.message = fmt::format("malformed suppression comment: unknown directive '{}'", s.directive);
        d.span = core::Span::at(s.file, s.line, s.column, static_cast<std::uint32_t>(s.directive.size()));
        d.help = "write '# pgconflint: disable=RULE-ID[,RULE-ID]' or '# pgconflint: disable-file=RULE-ID'";
      } else if (std::find(selection.known_ids.begin(), selection.known_ids.end(), s.rule) ==
                 selection.known_ids.end()) {
        d.message = fmt::format("suppression names unknown rule '{}'", s.rule);
        d.span = core::Span::at(s.file, s.line, s.column, static_cast<std::uint32_t>(s.rule.size()));
        if (auto guess = suggest_rule_id(s.rule, selection.known_ids)) {
          d.help = fmt::format("did you mean '{}'?", *guess);
        } else {
          d.help = "run 'pgconflint rules' for the list of rule ids";
        }
      } else if (!used[i] && s.rule != k_unused_suppression_id && selection.selected(s.rule)) {
        d.message = s.target_line == 0
                        ? fmt::format("unused suppression: '{}' reports nothing in this file", s.rule)
                        : fmt::format("unused suppression: '{}' reports nothing on line {}", s.rule,
                                      s.target_line);
        d.span = core::Span::at(s.file, s.line, s.column, static_cast<std::uint32_t>(s.rule.size()));
        d.help = "remove the rule id from the comment";
      } else {
        continue;
      }
      unused.push_back(std::move(d));
    }
    filter(unused);
  }

  std::sort(kept.begin(), kept.end(), core::diagnostic_less);
  return kept;
}

}  // namespace pgl::lint
