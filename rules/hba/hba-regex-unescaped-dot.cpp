// hba-regex-unescaped-dot: a regular expression in the database or user column of pg_hba.conf
// (PostgreSQL 16 and later) with an unescaped `.` where a literal dot was meant
// (`/^app.prod$`): it matches any character, so the line also applies to `app-prod`. Dots that
// plausibly mean "any character" are left alone (analysis::loose_dots).
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/auth_regex_shape.hpp"
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
    if (config.pg_version < 16) {
      return;  // a leading `/` is a plain name before 16
    }
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (!analysis::participates(r) || r.method == "reject") {
        continue;
      }
      for (const auto& t : r.databases) {
        check_token(ctx, r, t, "database");
      }
      for (const auto& t : r.users) {
        check_token(ctx, r, t, "role");
      }
    }
  }

 private:
  void check_token(lint::LintContext& ctx, const model::HbaRecord& r, const model::AuthToken& t,
                   std::string_view what) const {
    if (t.unknown || !t.text.starts_with("/")) {
      return;
    }
    const std::string_view re = std::string_view(t.text).substr(1);
    if (analysis::regex_has_director_or_options(re)) {
      return;
    }
    const auto dots = analysis::loose_dots(re);
    if (dots.empty()) {
      return;
    }
    diag(ctx, hba::span_or_line(t.span, r.file, r.line),
         fmt::format("the regular expression `{}` has an unescaped `.` in `{}`: it matches any character, so this "
                     "line also applies to {} names with `{}` there",
                     t.text, dots.front().word, what, dots.front().variant()))
        .help(fmt::format("escape the dot to match only a dot: `/{}`", analysis::escape_dots(re, dots)));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_regex_unescaped_dot() {
  return std::make_unique<HbaRegexUnescapedDot>();
}

}  // namespace pgl::rules
