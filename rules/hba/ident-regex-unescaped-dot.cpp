// ident-regex-unescaped-dot: a pg_ident.conf system user regular expression with an unescaped
// `.` where a literal dot was meant (`/^(.*)@example.com$`): the dot matches any character, so
// the map also accepts `bob@example-com`, `bob@exampleXcom`. Dots that plausibly mean "any
// character" (`.*`, `.+`, `.{2}`, a dot beside an anchor, a group or a one-letter word) are
// left alone (analysis::loose_dots).
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/auth_regex_shape.hpp"
#include "analysis/auth_regex_tokens.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class IdentRegexUnescapedDot final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ident-regex-unescaped-dot",
                                         "pg_ident.conf regular expression has an unescaped `.` meant as a dot",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const model::IdentFile* ident = hba::ident_file(config);
    if (ident == nullptr) {
      return;
    }
    for (const auto& x : analysis::ident_regexes(*ident, config.pg_version)) {
      const auto dots = analysis::loose_dots(x.re);
      if (dots.empty()) {
        continue;
      }
      const model::IdentRecord& r = *x.record;
      const std::string_view whose = x.column == analysis::AuthColumn::database_user
                                         ? "lets its system users connect as roles whose names have"
                                         : "accepts system user names with";
      diag(ctx, hba::span_or_line(x.token->span, r.file, r.line),
           fmt::format("the regular expression `{}` has an unescaped `.` in `{}`: it matches any character, so map "
                       "`{}` also {} `{}` there",
                       x.token->text, dots.front().word, r.map_name, whose, dots.front().variant()))
          .help(fmt::format("escape the dot to match only a dot: `/{}`", analysis::escape_dots(x.re, dots)));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ident_regex_unescaped_dot() {
  return std::make_unique<IdentRegexUnescapedDot>();
}

}  // namespace pgl::rules
