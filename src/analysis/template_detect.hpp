// Detects unrendered template syntax (Jinja/Go `{{ }}` `{% %}` `{# #}`, ERB/EPP `<% %>`,
// Mako `% if`/`${...}`, envsubst `${VAR}`, `@@X@@` / autoconf `@X@` placeholders, bare
// sed tokens such as `port = PG_PORT`) in configuration text. A file holding such
// constructs is a template: the server would read it verbatim and fail, usually with a
// confusing syntax error. Rules use the detector to say "unrendered template" instead.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pgl::analysis {

enum class TemplateKind {
  jinja,             // {{ }}, {% %}, {# #}
  erb,               // <% %>, <%= %>, <%- -%> (also Puppet EPP)
  mako_line,         // % if ...: / % endif at the start of a line
  dollar_brace,      // ${VAR} (envsubst, shell, Mako)
  at_placeholder,    // @@NAME@@ or @NAME@
  bare_placeholder,  // postgresql.conf only: `work_mem = WORK_MEM`, `port = PG_PRIMARY_PORT`
};

[[nodiscard]] std::string_view to_string(TemplateKind kind);

struct TemplateMatch {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based byte column
  std::uint32_t length = 0;  // bytes of the construct (to the end of the line if unclosed)
  TemplateKind kind = TemplateKind::jinja;
  std::string text;         // the construct as written
  bool in_comment = false;  // after a '#' that starts a comment (outside quotes and constructs)
};

struct TemplateDetectOptions {
  char quote = '\'';         // quote character of the format (' for postgresql.conf, " for pg_hba.conf)
  bool conf_format = false;  // postgresql.conf: bare sed tokens in `name = VALUE` lines;
                             // ${VAR} in *_command values is shell syntax run by the server
  int pg_version = 18;       // parameter types for the bare-token heuristic
};

[[nodiscard]] std::vector<TemplateMatch> detect_templates(std::string_view text,
                                                          const TemplateDetectOptions& options = {});

// Lines holding at least one construct outside a comment: parse errors on these lines are
// reported as template syntax, not as syntax errors.
[[nodiscard]] std::set<std::uint32_t> template_lines(std::string_view text, const TemplateDetectOptions& options = {});

}  // namespace pgl::analysis
