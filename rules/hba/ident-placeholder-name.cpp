// ident-placeholder-name: a pg_ident.conf line whose fields are placeholders that were never
// filled in: `<os-user>`, a shell variable `$PGUSER`, or the sample file's own column header
// `MAPNAME SYSTEM-USERNAME PG-USERNAME` left uncommented. The server accepts such a line and
// reads the words as literal names, so it maps nobody. (`${...}`, `{{ }}` and the other
// template forms are hba-template-syntax's.)
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// `<os-user>`, `<name of the map>`-like tokens (no nested brackets) and `$NAME`.
bool placeholder(const model::AuthToken& t) {
  const std::string_view s = t.text;
  if (t.unknown || s.size() < 3) {
    return false;
  }
  if (s.front() == '<' && s.back() == '>') {
    const std::string_view inner = s.substr(1, s.size() - 2);
    return inner.find_first_of("<>") == std::string_view::npos &&
           inner.find_first_not_of(' ') != std::string_view::npos;
  }
  if (s.front() == '$' && !t.quoted) {
    for (const char c : s.substr(1)) {
      if (!word_char(c) || c == '-') {
        return false;
      }
    }
    return !(s[1] >= '0' && s[1] <= '9');
  }
  return false;
}

class IdentPlaceholderName final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ident-placeholder-name",
                                         "pg_ident.conf line holds placeholders the server reads as names",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const model::IdentFile* ident = hba::ident_file(config);
    if (ident == nullptr) {
      return;
    }
    for (const auto& r : ident->records) {
      if (r.error) {
        continue;
      }
      if (r.map_name == "MAPNAME" && r.system_user.text == "SYSTEM-USERNAME" && r.pg_user.text == "PG-USERNAME") {
        diag(ctx, hba::span_or_line(r.map_span, r.file, r.line),
             "the sample file's column header `MAPNAME SYSTEM-USERNAME PG-USERNAME` is not commented out: the "
             "server reads it as a map named `MAPNAME` for the system user `SYSTEM-USERNAME`")
            .help("put `#` before the header line");
        continue;
      }
      const model::AuthToken map_token{r.map_name, false, r.map_span, false};
      for (const model::AuthToken* t : std::array{&map_token, &r.system_user, &r.pg_user}) {
        if (!placeholder(*t)) {
          continue;
        }
        diag(ctx, hba::span_or_line(t->span, r.file, r.line),
             fmt::format("`{}` looks like a placeholder that was never filled in: the server reads it as the literal "
                         "name `{}`, so this line of map `{}` maps no real user",
                         t->text, t->text, r.map_name))
            .help("replace it with the real name (or render the file with its template tool first)");
        break;  // one finding per line
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ident_placeholder_name() {
  return std::make_unique<IdentPlaceholderName>();
}

}  // namespace pgl::rules
