// ident-regex-unanchored: a pg_ident.conf system user name written as a regular expression
// without the anchors that make it match the whole name. The server runs the expression as a
// search (regexec, advanced syntax): `/alice` matches `alice`, `xalicey` and `malice`.
//
// Reported (decidable from the text of the expression):
//  - no anchor at all (`^`, `$`, `\A`, `\Z` outside bracket expressions), unless a leading and
//    a trailing `.*`/`.+` make both anchors irrelevant;
//  - a leading `^` but no `$` when the database user takes `\1`: `/^(.*)@example\.com`
//    maps `bob@example.com.evil.org` to `bob`.
// In 16 and later the database user may be a regular expression too: reported when it has no
// anchor at all (`/admin` lets the mapped users connect as `sysadmin`); a one-sided anchor
// there is deliberate. Quoting does not change either column's reading.
// Expressions with a director (`***`) or embedded options (`(?...)` at the start) are left alone.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/auth_regex_shape.hpp"
#include "analysis/auth_regex_tokens.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class IdentRegexUnanchored final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ident-regex-unanchored",
                                         "pg_ident.conf regular expression matches names that only contain it",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const model::IdentFile* ident = hba::ident_file(config);
    if (ident == nullptr) {
      return;
    }
    for (const auto& x : analysis::ident_regexes(*ident, config.pg_version)) {
      const std::string_view re = x.re;
      const analysis::RegexAnchors s = analysis::regex_anchors(re);
      if (!s.ok) {
        continue;
      }
      const bool need_start = !s.start && !analysis::regex_starts_unbounded(re);
      const bool need_end = !s.end && !analysis::regex_ends_unbounded(re);
      if (!s.start && !s.end && (need_start || need_end)) {
        report(ctx, x, need_start, need_end, s.top_alternation);
      } else if (x.column == analysis::AuthColumn::system_user && s.start && !s.end && need_end &&
                 takes_group(*x.record, config.pg_version) && !s.top_alternation) {
        report(ctx, x, false, true, false);
      }
    }
  }

 private:
  // The database user takes the system user's first group (`\1`): before 16 always, in 16+
  // unless it is a `+role` or a regular expression (the server substitutes only then).
  static bool takes_group(const model::IdentRecord& r, int pg_version) {
    if (r.pg_user.text.find("\\1") == std::string::npos) {
      return false;
    }
    const bool member = r.pg_user.text.starts_with("+") && !r.pg_user.quoted;
    return pg_version < 16 || !(member || r.pg_user.text.starts_with("/"));
  }

  void report(lint::LintContext& ctx, const analysis::IdentRegex& x, bool need_start, bool need_end,
              bool alternation) const {
    const std::string_view re = x.re;
    const model::IdentRecord& r = *x.record;
    const std::string body = alternation ? fmt::format("(?:{})", re) : std::string(re);
    const bool has_caret = re.starts_with("^");
    const std::string anchored = fmt::format("/{}{}{}", need_start && !has_caret ? "^" : "", body, need_end ? "$" : "");
    std::string example;
    if (const auto lit = analysis::regex_literal(re, true)) {
      example = fmt::format(" (e.g. `{}{}{}`)", need_start ? "x" : "", *lit, need_end ? "y" : "");
    }
    // without `^` the search may start anywhere; with `^` only the end is open
    const char* where = has_caret ? "starts with a match" : "contains a match";
    const char* open = need_start && need_end ? "" : (need_start ? " at the start" : " at the end");
    if (x.column == analysis::AuthColumn::database_user) {
      diag(ctx, hba::span_or_line(x.token->span, r.file, r.line),
           fmt::format("the regular expression `{}` is not anchored{}: the server searches the requested database "
                       "user name for it, so map `{}` lets its system users connect as every role whose name {}{}",
                       x.token->text, open, r.map_name, where, example))
          .help(fmt::format("anchor it to match whole names: `{}`", anchored));
      return;
    }
    diag(ctx, hba::span_or_line(x.token->span, r.file, r.line),
         fmt::format("the regular expression `{}` is not anchored{}: the server searches the system user name for it, "
                     "so map `{}` also accepts every name that {}{}",
                     x.token->text, open, r.map_name, where, example))
        .help(fmt::format("anchor it to match whole names: `{}`", anchored));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ident_regex_unanchored() {
  return std::make_unique<IdentRegexUnanchored>();
}

}  // namespace pgl::rules
