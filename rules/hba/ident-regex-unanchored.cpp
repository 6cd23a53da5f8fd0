// ident-regex-unanchored: a pg_ident.conf system user name written as a regular expression
// without the anchors that make it match the whole name. The server runs the expression as a
// search (regexec, advanced syntax): `/alice` matches `alice`, `xalicey` and `malice`.
//
// Reported (decidable from the text of the expression):
//  - no anchor at all (`^`, `$`, `\A`, `\Z` outside bracket expressions), unless a leading and
//    a trailing `.*`/`.+` make both anchors irrelevant;
//  - a leading `^` but no `$` when the database user takes `\1`: `/^(.*)@example\.com`
//    maps `bob@example.com.evil.org` to `bob`.
// Expressions with a director (`***`) or embedded options (`(?...)` at the start) are left alone.
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

struct RegexShape {
  bool start_anchor = false;  // ^ or \A outside brackets, anywhere
  bool end_anchor = false;    // $ or \Z outside brackets, anywhere
  bool top_alternation = false;
  bool ok = true;  // scanned to the end (balanced brackets)
};

// The index of the `]` that closes the bracket expression opened at `open`; nullopt when it is
// not closed. `]` right after `[` or `[^` is a member; [:class:] [.x.] [=x=] are skipped whole.
std::optional<std::size_t> bracket_end(std::string_view re, std::size_t open) {
  std::size_t j = open + 1;
  if (j < re.size() && re[j] == '^') {
    ++j;
  }
  if (j < re.size() && re[j] == ']') {
    ++j;
  }
  while (j < re.size() && re[j] != ']') {
    if (re[j] == '[' && j + 1 < re.size() && (re[j + 1] == ':' || re[j + 1] == '.' || re[j + 1] == '=')) {
      const char kind = re[j + 1];
      const auto close = re.find(std::string{kind, ']'}, j + 2);
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      j = close + 2;
      continue;
    }
    if (re[j] == '\\') {
      ++j;  // ARE: backslash escapes inside brackets
    }
    ++j;
  }
  if (j >= re.size()) {
    return std::nullopt;
  }
  return j;
}

RegexShape scan(std::string_view re) {
  RegexShape s;
  int depth = 0;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      if (i + 1 < re.size()) {
        const char n = re[i + 1];
        s.start_anchor |= n == 'A';
        s.end_anchor |= n == 'Z';
        ++i;
      }
      continue;
    }
    if (c == '[') {
      const auto close = bracket_end(re, i);
      if (!close) {
        s.ok = false;
        return s;
      }
      i = *close;
      continue;
    }
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      s.top_alternation = true;
    } else if (c == '^') {
      s.start_anchor = true;
    } else if (c == '$') {
      s.end_anchor = true;
    }
  }
  return s;
}

// A leading `.*`/`.+` (possibly inside leading groups) matches from the start anyway.
bool starts_unbounded(std::string_view re) {
  std::size_t i = 0;
  while (i < re.size() && re[i] == '(') {
    ++i;
  }
  return i + 1 < re.size() && re[i] == '.' && (re[i + 1] == '*' || re[i + 1] == '+');
}
// A trailing `.*`/`.+` (possibly inside closing groups) matches to the end anyway.
bool ends_unbounded(std::string_view re) {
  std::size_t n = re.size();
  while (n > 0 && re[n - 1] == ')') {
    --n;
  }
  if (n < 2 || re[n - 2] != '.' || (re[n - 1] != '*' && re[n - 1] != '+')) {
    return false;
  }
  return n < 3 || re[n - 3] != '\\';
}

// The expression is a plain name (letters, digits, _ - @ and escaped dots): the literal it
// matches, for an example in the message.
std::optional<std::string> literal_of(std::string_view re) {
  std::string out;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size() && re[i + 1] == '.') {
      out += '.';
      ++i;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '@') {
      out += c;
    } else {
      return std::nullopt;
    }
  }
  return out.empty() ? std::nullopt : std::optional<std::string>(out);
}

class IdentRegexUnanchored final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ident-regex-unanchored",
                                         "pg_ident.conf regular expression matches names that only contain it",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.ident || hba::ident_template(config)) {
      return;
    }
    for (const auto& r : config.ident->records) {
      if (r.error || r.system_user.quoted || !r.system_user.text.starts_with("/")) {
        continue;
      }
      const std::string_view re = std::string_view(r.system_user.text).substr(1);
      if (re.empty() || re.starts_with("***") || re.starts_with("(?")) {
        continue;
      }
      const RegexShape s = scan(re);
      if (!s.ok) {
        continue;
      }
      const bool backref = r.pg_user.text.find("\\1") != std::string::npos;
      const bool need_start = !s.start_anchor && !starts_unbounded(re);
      const bool need_end = !s.end_anchor && !ends_unbounded(re);
      if (!s.start_anchor && !s.end_anchor && (need_start || need_end)) {
        report(ctx, r, re, need_start, need_end, s.top_alternation);
      } else if (s.start_anchor && !s.end_anchor && need_end && backref && !s.top_alternation) {
        report(ctx, r, re, false, true, false);
      }
    }
  }

 private:
  void report(lint::LintContext& ctx, const model::IdentRecord& r, std::string_view re, bool need_start, bool need_end,
              bool alternation) const {
    const std::string body = alternation ? fmt::format("(?:{})", re) : std::string(re);
    const bool has_caret = re.starts_with("^");
    const std::string anchored = fmt::format("/{}{}{}", need_start && !has_caret ? "^" : "", body, need_end ? "$" : "");
    std::string example;
    if (const auto lit = literal_of(re)) {
      example = fmt::format(" (e.g. `{}{}{}`)", need_start ? "x" : "", *lit, need_end ? "y" : "");
    }
    // without `^` the search may start anywhere; with `^` only the end is open
    const char* where = has_caret ? "starts with a match" : "contains a match";
    diag(ctx, hba::span_or_line(r.system_user.span, r.file, r.line),
         fmt::format("the regular expression `{}` is not anchored{}: the server searches the system user name for it, "
                     "so map `{}` also accepts every name that {}{}",
                     r.system_user.text, need_start && need_end ? "" : (need_start ? " at the start" : " at the end"),
                     r.map_name, where, example))
        .help(fmt::format("anchor it to match whole names: `{}`", anchored));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ident_regex_unanchored() {
  return std::make_unique<IdentRegexUnanchored>();
}

}  // namespace pgl::rules
