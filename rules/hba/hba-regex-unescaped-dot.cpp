// hba-regex-unescaped-dot: a regular expression in the database or user column of pg_hba.conf
// (PostgreSQL 16 and later) with an unescaped `.` where a literal dot was meant
// (`/^app.prod$`): it matches any character, so the line also applies to `app-prod`. Dots that
// plausibly mean "any character" are left alone (analysis::loose_dots).
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/auth_regex_shape.hpp"
#include "analysis/auth_regex_tokens.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaRegexUnescapedDot final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-regex-unescaped-dot",
                                         "pg_hba.conf regular expression has an unescaped `.` meant as a dot",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    if (!view.present()) {
      return;
    }
    for (const auto& x : analysis::hba_regexes(view.file(), config.pg_version)) {
      const auto dots = analysis::loose_dots(x.re);
      if (dots.empty()) {
        continue;
      }
      const std::string_view what = analysis::column_name(x.column);
      diag(ctx, hba::span_or_line(x.token->span, x.record->file, x.record->line),
           fmt::format("the regular expression `{}` has an unescaped `.` in `{}`: it matches any character, so this "
                       "line also applies to {} names with `{}` there",
                       x.token->text, dots.front().word, what, dots.front().variant()))
          .help(fmt::format("escape the dot to match only a dot: `/{}`", analysis::escape_dots(x.re, dots)));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_regex_unescaped_dot() {
  return std::make_unique<HbaRegexUnescapedDot>();
}

}  // namespace pgl::rules
