// hba-regex-unanchored: a regular expression in the database or user column of pg_hba.conf
// (PostgreSQL 16 and later) with no anchor at all. The server searches the name for a match
// (regexec), so `/admin` also matches `sysadmin` and `admin_ro`. A leading and a trailing
// `.*`/`.+` make the anchors irrelevant; a prefix or suffix match (`/^app_`) is deliberate;
// `reject` lines (a wider match only refuses more) are not reported.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/auth_regex_shape.hpp"
#include "analysis/auth_regex_tokens.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaRegexUnanchored final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-regex-unanchored",
                                         "pg_hba.conf regular expression matches names that only contain it",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    if (!view.present()) {
      return;
    }
    for (const auto& x : analysis::hba_regexes(view.file(), config.pg_version)) {
      check_token(ctx, x);
    }
  }

 private:
  void check_token(lint::LintContext& ctx, const analysis::HbaRegex& x) const {
    const std::string_view re = x.re;
    const analysis::RegexAnchors s = analysis::regex_anchors(re);
    if (!s.ok || s.start || s.end || (analysis::regex_starts_unbounded(re) && analysis::regex_ends_unbounded(re))) {
      return;
    }
    const bool need_start = !analysis::regex_starts_unbounded(re);
    const bool need_end = !analysis::regex_ends_unbounded(re);
    const std::string body = s.top_alternation ? fmt::format("(?:{})", re) : std::string(re);
    std::string example;
    if (const auto lit = analysis::regex_literal(re, false)) {
      example = fmt::format(" (e.g. `{}{}{}`)", need_start ? "x" : "", *lit, need_end ? "y" : "");
    }
    const std::string_view what = analysis::column_name(x.column);
    diag(ctx, hba::span_or_line(x.token->span, x.record->file, x.record->line),
         fmt::format("the regular expression `{}` has no anchor{}: the server searches the {} name for it, so this "
                     "line also applies to every {} whose name {}{}",
                     x.token->text, need_start && need_end ? "" : (need_start ? " at the start" : " at the end"), what,
                     what, need_start ? "contains a match" : "starts with a match", example))
        .help(
            fmt::format("anchor it to match whole names: `/{}{}{}`", need_start ? "^" : "", body, need_end ? "$" : ""));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_regex_unanchored() {
  return std::make_unique<HbaRegexUnanchored>();
}

}  // namespace pgl::rules
