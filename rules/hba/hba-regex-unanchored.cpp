// hba-regex-unanchored: a regular expression in the database or user column of pg_hba.conf
// (PostgreSQL 16 and later) with no anchor at all. The server searches the name for a match
// (regexec), so `/admin` also matches `sysadmin` and `admin_ro`. A leading and a trailing
// `.*`/`.+` make the anchors irrelevant; a prefix or suffix match (`/^app_`) is deliberate;
// `reject` lines (a wider match only refuses more) are not reported.
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/auth_regex_shape.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

// The expression is a plain name (letters, digits, _ - and escaped dots): the literal it
// matches, for an example in the message.
std::optional<std::string> literal_of(std::string_view re) {
  std::string out;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size() && re[i + 1] == '.') {
      out += '.';
      ++i;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
      out += c;
    } else {
      return std::nullopt;
    }
  }
  return out.empty() ? std::nullopt : std::optional<std::string>(out);
}

class HbaRegexUnanchored final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-regex-unanchored",
                                         "pg_hba.conf regular expression matches names that only contain it",
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
    if (re.empty() || analysis::regex_has_director_or_options(re)) {
      return;
    }
    const analysis::RegexAnchors s = analysis::regex_anchors(re);
    if (!s.ok || s.start || s.end || (analysis::regex_starts_unbounded(re) && analysis::regex_ends_unbounded(re))) {
      return;
    }
    const bool need_start = !analysis::regex_starts_unbounded(re);
    const bool need_end = !analysis::regex_ends_unbounded(re);
    const std::string body = s.top_alternation ? fmt::format("(?:{})", re) : std::string(re);
    std::string example;
    if (const auto lit = literal_of(re)) {
      example = fmt::format(" (e.g. `{}{}{}`)", need_start ? "x" : "", *lit, need_end ? "y" : "");
    }
    diag(ctx, hba::span_or_line(t.span, r.file, r.line),
         fmt::format("the regular expression `{}` has no anchor{}: the server searches the {} name for it, so this "
                     "line also applies to every {} whose name {}{}",
                     t.text, need_start && need_end ? "" : (need_start ? " at the start" : " at the end"), what, what,
                     need_start ? "contains a match" : "starts with a match", example))
        .help(
            fmt::format("anchor it to match whole names: `/{}{}{}`", need_start ? "^" : "", body, need_end ? "$" : ""));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_regex_unanchored() {
  return std::make_unique<HbaRegexUnanchored>();
}

}  // namespace pgl::rules
