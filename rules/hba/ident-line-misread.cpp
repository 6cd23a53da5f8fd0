// ident-line-misread: a pg_ident.conf line the server accepts but reads differently from what it
// says: fields after the third are ignored; `\1` in the database user name is taken literally
// when the system user name is not a regular expression (substitution needs a leading `/`).
#include <fmt/format.h>

#include "core/secrets.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

struct Token {
  std::size_t begin;
  std::size_t length;
};

// Blank-separated tokens of an authentication-file line ("..." groups blanks, `#` outside
// quotes starts a comment), as the server's tokenizer splits fields.
std::vector<Token> tokens(std::string_view line) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
      ++i;
    }
    if (i >= line.size() || line[i] == '#') {
      break;
    }
    const std::size_t start = i;
    bool quoted = false;
    while (i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '#'))) {
      if (line[i] == '"') {
        quoted = !quoted;
      }
      ++i;
    }
    out.push_back({start, i - start});
  }
  return out;
}

class IdentLineMisread final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ident-line-misread", "pg_ident.conf line the server reads differently than written", core::Severity::warning};
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
      const auto* src = config.sources.find(r.file);
      if (src != nullptr && r.line != 0 && r.line <= src->line_count()) {
        const std::string_view line = src->line(r.line);
        const auto t = tokens(line);
        if (t.size() > 3) {
          diag(ctx,
               core::Span::at(r.file, r.line, static_cast<std::uint32_t>(t[3].begin + 1),
                              static_cast<std::uint32_t>(t.back().begin + t.back().length - t[3].begin)),
               fmt::format("the server ignores everything after the third field (`{}`): the line maps "
                           "`{}` to `{}` and nothing else",
                           core::mask_secrets(std::string(line.substr(t[3].begin, t[3].length))), r.system_user.text,
                           r.pg_user.text))
              .help("one line per mapping: MAPNAME SYSTEM-USERNAME DATABASE-USERNAME; put notes after a `#`");
        }
      }
      const bool regex = !r.system_user.unknown && r.system_user.text.starts_with("/");  // quoted or not
      if (!regex && r.pg_user.text.find("\\1") != std::string::npos) {
        diag(ctx, hba::span_or_line(r.pg_user.span, r.file, r.line),
             fmt::format("`\\1` in the database user name `{}` is taken literally: it is replaced only when "
                         "the system user name is a regular expression (a leading `/`), and `{}` is not",
                         r.pg_user.text, r.system_user.text))
            .help(
                "write the system user as a regular expression with a group, e.g. `/^(.*)$`, or name "
                "the database user");
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ident_line_misread() {
  return std::make_unique<IdentLineMisread>();
}

}  // namespace pgl::rules
