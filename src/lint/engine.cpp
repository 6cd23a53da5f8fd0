#include "lint/engine.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "core/text.hpp"

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
    case FailOn::note: return "note";
    case FailOn::warning: return "warning";
    case FailOn::error: return "error";
    case FailOn::never: return "never";
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
    case Profile::default_: return "default";
    case Profile::strict: return "strict";
    case Profile::cis: return "cis";
  }
  return "default";
}

bool at_or_above(core::Severity s, FailOn fail_on) {
  switch (fail_on) {
    case FailOn::never: return false;
    case FailOn::note: return true;
    case FailOn::warning: return s != core::Severity::note;
    case FailOn::error: return s == core::Severity::error;
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
  return find(id) != nullptr;
}

const Rule* RuleSelection::find(std::string_view id) const {
  auto it = std::find_if(rules.begin(), rules.end(), [&](const Rule* r) { return r->meta().id == id; });
  return it == rules.end() ? nullptr : *it;
}

namespace {

using core::edit_distance;

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
      run = meta.profile == Profile::default_ || meta.profile == options.profile || contains(options.enable, meta.id);
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

// The rule ids of `disable=a, b` from offset j of the line, one suppression each (as
// `base`, with its rule and column). False when there is none.
bool add_rule_ids(std::string_view line, std::size_t j, const Suppression& base, std::vector<Suppression>& out) {
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
  return any;
}

}  // namespace

std::vector<Suppression> parse_suppressions(const core::SourceFile& file) {
  std::vector<Suppression> out;
  const auto count = static_cast<std::uint32_t>(file.line_count());
  // Only a line holding the marker can hold a directive: the marker is searched in the whole
  // text, and each line holding it read once, in order.
  const std::string_view bytes = file.bytes();
  std::uint32_t last = 0;
  for (std::size_t at = bytes.find(k_marker); at != std::string_view::npos; at = bytes.find(k_marker, at + 1)) {
    const std::uint32_t ln = file.location_of(at).line;
    if (ln == last || ln == 0 || ln > count) {
      continue;
    }
    last = ln;
    const std::string_view line = file.line(ln);
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
    if ((directive != "disable" && directive != "disable-file") || word_end >= line.size() || line[word_end] != '=') {
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
    const bool any = add_rule_ids(line, word_end + 1, base, out);
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

namespace {

bool same_finding(const core::Diagnostic& a, const core::Diagnostic& b) {
  return a.rule == b.rule && a.severity == b.severity && a.span == b.span && a.message == b.message && a.help == b.help;
}

bool ran(const Rule& rule, RunScope scope) {
  return rule.meta().scope == Scope::config ? scope.config : scope.cluster;
}

void take(LintContext& ctx, const Rule& rule, std::vector<core::Diagnostic>& found) {
  const std::size_t needed = found.size() + ctx.diagnostics().size();
  if (needed > found.capacity()) {
    found.reserve(std::max(needed, 2 * found.capacity()));  // each finding moves once
  }
  for (auto& d : ctx.diagnostics()) {
    if (d.rule.empty()) {
      d.rule = std::string(rule.meta().id);
    }
    found.push_back(std::move(d));
  }
  ctx.diagnostics().clear();
}

// Every `# pgconflint:` directive of the files, each once (a file shared by two nodes too).
std::vector<Suppression> collect_suppressions(const std::vector<const core::SourceSet*>& sources) {
  std::vector<Suppression> out;
  std::set<std::string> seen_files;
  for (const core::SourceSet* set : sources) {
    for (const core::SourceFile* file : set->files()) {
      if (!seen_files.insert(std::string(file->path())).second) {
        continue;
      }
      auto list = parse_suppressions(*file);
      out.insert(out.end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
    }
  }
  return out;
}

// lint-unused-suppression's finding for suppression `s`, if any.
std::optional<core::Diagnostic> unused_finding(const Suppression& s, bool used, const RuleSelection& selection,
                                               RunScope scope, core::Severity sev) {
  core::Diagnostic d;
  d.rule = std::string(k_unused_suppression_id);
  d.severity = sev;
  if (s.malformed) {
    if (!scope.config) {
      return std::nullopt;  // said by `check`
    }
    d.message = fmt::format("malformed suppression comment: unknown directive '{}'", s.directive);
    d.span = core::Span::at(s.file, s.line, s.column, static_cast<std::uint32_t>(s.directive.size()));
    d.help = "write '# pgconflint: disable=RULE-ID[,RULE-ID]' or '# pgconflint: disable-file=RULE-ID'";
    return d;
  }
  if (std::find(selection.known_ids.begin(), selection.known_ids.end(), s.rule) == selection.known_ids.end()) {
    if (!scope.config) {
      return std::nullopt;
    }
    d.message = fmt::format("suppression names unknown rule '{}'", s.rule);
    d.span = core::Span::at(s.file, s.line, s.column, static_cast<std::uint32_t>(s.rule.size()));
    if (auto guess = suggest_rule_id(s.rule, selection.known_ids)) {
      d.help = fmt::format("did you mean '{}'?", *guess);
    } else {
      d.help = "run 'pgconflint rules' for the list of rule ids";
    }
    return d;
  }
  const Rule* rule = selection.find(s.rule);
  if (used || s.rule == k_unused_suppression_id || rule == nullptr || !ran(*rule, scope)) {
    return std::nullopt;
  }
  d.message = s.target_line == 0
                  ? fmt::format("unused suppression: '{}' reports nothing in this file", s.rule)
                  : fmt::format("unused suppression: '{}' reports nothing on line {}", s.rule, s.target_line);
  d.span = core::Span::at(s.file, s.line, s.column, static_cast<std::uint32_t>(s.rule.size()));
  d.help = "remove the rule id from the comment";
  return d;
}

}  // namespace

namespace {

// The leading part of core::diagnostic_less's order (file, line, column), with the file as
// its rank among the findings' files: compared as integers, with the rule and the message
// compared only between findings at the same place.
struct SortKey {
  std::uint32_t file;
  std::uint32_t line;
  std::uint32_t column;
};

// The keys of the findings at(0) ... at(n - 1).
template <typename At>
std::vector<SortKey> sort_keys(std::size_t n, At at) {
  std::map<std::string_view, std::uint32_t> ranks;
  const std::string* last = nullptr;  // findings come in runs of one file
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& file = at(i).span.begin.file.str();
    if (&file != last) {
      last = &file;
      ranks.try_emplace(file, 0);
    }
  }
  std::uint32_t rank = 0;
  for (auto& entry : ranks) {
    entry.second = rank++;
  }
  std::vector<SortKey> keys;
  keys.reserve(n);
  last = nullptr;
  std::uint32_t last_rank = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const core::Diagnostic& d = at(i);
    const std::string& file = d.span.begin.file.str();
    if (&file != last) {
      last = &file;
      last_rank = ranks.find(file)->second;
    }
    keys.push_back({last_rank, d.span.begin.line, d.span.begin.column});
  }
  return keys;
}

// core::diagnostic_less(da, db), its first three fields read from their keys.
bool key_less(const SortKey& ka, const SortKey& kb, const core::Diagnostic& da, const core::Diagnostic& db) {
  if (ka.file != kb.file) {
    return ka.file < kb.file;
  }
  if (ka.line != kb.line) {
    return ka.line < kb.line;
  }
  if (ka.column != kb.column) {
    return ka.column < kb.column;
  }
  return std::tie(da.rule, da.message) < std::tie(db.rule, db.message);
}

// The rules' findings (one list per rule, in the selection's order) as one list: in
// core::diagnostic_less's order when merging the lists' ascending runs puts each finding
// strictly before the next (no ties: that order is the only sorted one, the one sorting the
// concatenation gives, and finish()'s sort is then a single pass); otherwise concatenated in
// the rules' order, the list finish() has always sorted. Each finding moves once.
std::vector<core::Diagnostic> join_findings(std::vector<std::vector<core::Diagnostic>>& lists) {
  if (lists.empty()) {
    return {};
  }
  if (lists.size() == 1) {
    return std::move(lists.front());
  }
  std::vector<core::Diagnostic*> at;
  std::vector<std::uint32_t> bounds{0};  // the ascending runs: [bounds[k], bounds[k + 1])
  for (auto& list : lists) {
    for (auto& d : list) {
      at.push_back(&d);
    }
    bounds.push_back(static_cast<std::uint32_t>(at.size()));
  }
  const std::vector<SortKey> keys =
      sort_keys(at.size(), [&](std::size_t i) -> const core::Diagnostic& { return *at[i]; });
  auto less = [&](std::uint32_t a, std::uint32_t b) { return key_less(keys[a], keys[b], *at[a], *at[b]); };
  std::vector<std::uint32_t> runs{0};
  for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
    for (std::uint32_t i = bounds[k] + 1; i < bounds[k + 1]; ++i) {
      if (!less(i - 1, i)) {
        runs.push_back(i);
      }
    }
    runs.push_back(bounds[k + 1]);
  }
  std::vector<std::uint32_t> order(at.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = static_cast<std::uint32_t>(i);
  }
  // Adjacent runs merged pairwise until one is left.
  std::vector<std::uint32_t> merged(order.size());
  while (runs.size() > 2) {
    std::vector<std::uint32_t> next{0};
    for (std::size_t k = 0; k + 1 < runs.size(); k += 2) {
      const std::uint32_t lo = runs[k];
      const std::uint32_t mid = runs[k + 1];
      const std::uint32_t hi = k + 2 < runs.size() ? runs[k + 2] : mid;
      std::merge(order.begin() + lo, order.begin() + mid, order.begin() + mid, order.begin() + hi, merged.begin() + lo,
                 less);
      next.push_back(hi);
    }
    order.swap(merged);
    runs = std::move(next);
  }
  bool strict = true;
  for (std::size_t j = 1; j < order.size() && strict; ++j) {
    strict = less(order[j - 1], order[j]);
  }
  std::vector<core::Diagnostic> out;
  out.reserve(at.size());
  if (strict) {
    for (const std::uint32_t i : order) {
      out.push_back(std::move(*at[i]));
    }
  } else {
    for (core::Diagnostic* d : at) {
      out.push_back(std::move(*d));
    }
  }
  return out;
}

}  // namespace

namespace {

// Each rule's findings, one list per rule that found something, in the selection's order:
// the lists the rules wrote them to (no finding moved into a growing list of all).
std::vector<std::vector<core::Diagnostic>> rule_findings(const model::Config& config, LintContext& ctx,
                                                         const RuleSelection& selection) {
  std::vector<std::vector<core::Diagnostic>> lists(selection.rules.size());
  ctx.forget_facts();  // facts of another configuration (possibly at the same address)
  ctx.profile = selection.profile;
  // The rules that do not ask the first-match model's answers run first: the first of them
  // that reads pg_hba.conf builds the model, whose threads then compute its answers while the
  // others run. The lists stay in the selection's order whatever the order of running.
  for (const bool asking : {false, true}) {
    for (std::size_t k = 0; k < selection.rules.size(); ++k) {
      const Rule* rule = selection.rules[k];
      if (rule->meta().id == k_unused_suppression_id || rule->meta().scope != Scope::config ||
          rule->asks_hba_model() != asking) {
        continue;  // lint-unused-suppression: computed by finish()
      }
      ctx.diagnostics().clear();
      rule->check(config, ctx);
      lists[k] = std::move(ctx.diagnostics());
      ctx.diagnostics().clear();
      for (auto& d : lists[k]) {
        if (d.rule.empty()) {
          d.rule = std::string(rule->meta().id);
        }
      }
    }
  }
  ctx.forget_facts();
  lists.erase(std::remove_if(lists.begin(), lists.end(), [](const auto& list) { return list.empty(); }), lists.end());
  return lists;
}

}  // namespace

std::vector<core::Diagnostic> run_rules(const model::Config& config, LintContext& ctx, const RuleSelection& selection) {
  std::vector<std::vector<core::Diagnostic>> lists = rule_findings(config, ctx, selection);
  std::size_t total = 0;
  for (const auto& list : lists) {
    total += list.size();
  }
  std::vector<core::Diagnostic> found;
  found.reserve(total);
  for (auto& list : lists) {
    found.insert(found.end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
  }
  return found;
}

std::vector<core::Diagnostic> run_cluster_rules(const model::ClusterFacts& facts, LintContext& ctx,
                                                const RuleSelection& selection) {
  std::vector<core::Diagnostic> found;
  for (const Rule* rule : selection.rules) {
    if (rule->meta().scope != Scope::cluster) {
      continue;
    }
    ctx.diagnostics().clear();
    rule->check_cluster(facts, ctx);
    take(ctx, *rule, found);
  }
  return found;
}

std::vector<core::Diagnostic> cluster_findings(const model::ClusterFacts& facts) {
  LintContext ctx;
  std::vector<core::Diagnostic> found;
  for (const auto& rule : registry()) {
    if (rule->meta().scope == Scope::cluster) {
      rule->check_cluster(facts, ctx);
      take(ctx, *rule, found);
    }
  }
  std::sort(found.begin(), found.end(), core::diagnostic_less);
  return found;
}

namespace {

// Each finding strictly before the next in core::diagnostic_less's order: no two compare
// equal, so that order is the only sorted one and sorting would leave them as they are.
bool strictly_sorted(const std::vector<core::Diagnostic>& findings) {
  for (std::size_t i = 1; i < findings.size(); ++i) {
    if (!core::diagnostic_less(findings[i - 1], findings[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

void sort_findings(std::vector<core::Diagnostic>& findings) {
  // `check` sorts the findings of all its paths together, each path's already sorted by
  // finish(): with one path that is one pass instead of a sort.
  if (strictly_sorted(findings)) {
    return;
  }
  // std::sort on indices makes the same comparisons and the same moves as on the findings
  // (hence the same order, ties included), but moves each finding once. The comparison is
  // core::diagnostic_less's, its first three fields read from precomputed keys.
  std::vector<std::uint32_t> order(findings.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = static_cast<std::uint32_t>(i);
  }
  const std::vector<SortKey> keys =
      sort_keys(findings.size(), [&](std::size_t i) -> const core::Diagnostic& { return findings[i]; });
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key_less(keys[a], keys[b], findings[a], findings[b]); });
  std::vector<core::Diagnostic> sorted;
  sorted.reserve(findings.size());
  for (const std::uint32_t i : order) {
    sorted.push_back(std::move(findings[i]));
  }
  findings = std::move(sorted);
}

std::vector<core::Diagnostic> finish(std::vector<core::Diagnostic> found,
                                     const std::vector<const core::SourceSet*>& sources, const RuleSelection& selection,
                                     RunScope scope) {
  const std::vector<Suppression> suppressions = collect_suppressions(sources);
  std::vector<bool> used(suppressions.size(), false);
  // The suppressions that can hide a finding of each rule (the others never do): a finding
  // is compared with those only.
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_rule;
  for (std::size_t i = 0; i < suppressions.size(); ++i) {
    if (!suppressions[i].malformed) {
      by_rule[suppressions[i].rule].push_back(i);
    }
  }

  auto hidden = [&](const core::Diagnostic& d) {
    bool any = false;
    if (auto it = by_rule.find(d.rule); it != by_rule.end()) {
      for (const std::size_t i : it->second) {
        if (suppresses(suppressions[i], d)) {
          used[i] = true;
          any = true;
        }
      }
    }
    return any;
  };
  // The findings not hidden, in order, kept in place (no second array of them).
  std::vector<core::Diagnostic> kept = std::move(found);
  std::size_t shown = 0;
  for (std::size_t k = 0; k < kept.size(); ++k) {
    core::Diagnostic& d = kept[k];
    if (hidden(d)) {
      continue;
    }
    d.severity = effective_severity(selection, d.rule, d.severity);
    if (shown != k) {
      kept[shown] = std::move(d);
    }
    ++shown;
  }
  kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(shown), kept.end());
  auto filter = [&](std::vector<core::Diagnostic>& in) {
    for (auto& d : in) {
      if (!hidden(d)) {
        d.severity = effective_severity(selection, d.rule, d.severity);
        kept.push_back(std::move(d));
      }
    }
  };

  if (const Rule* unused_rule = selection.find(k_unused_suppression_id)) {
    std::vector<core::Diagnostic> unused;
    for (std::size_t i = 0; i < suppressions.size(); ++i) {
      if (auto d = unused_finding(suppressions[i], used[i], selection, scope, unused_rule->meta().default_severity)) {
        unused.push_back(std::move(*d));
      }
    }
    filter(unused);
  }

  sort_findings(kept);
  kept.erase(std::unique(kept.begin(), kept.end(), same_finding), kept.end());
  return kept;
}

std::vector<core::Diagnostic> run(const model::Config& config, LintContext& ctx, const RuleSelection& selection) {
  // One configuration's findings reach finish() already in order when that order is strict
  // (join_findings): its sort is then one pass.
  std::vector<std::vector<core::Diagnostic>> lists = rule_findings(config, ctx, selection);
  return finish(join_findings(lists), {&config.sources}, selection, RunScope{true, false});
}

}  // namespace pgl::lint
