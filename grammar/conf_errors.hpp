// postgresql.conf syntax errors: the server's exact messages (guc-file.l, ParseConfigFp).
//
// The grammar has no must<> points: every line matches one of its alternatives, and a
// line that is not `name [=] value` matches one of the bad_* rules, whose action
// records the error (conf_actions.hpp). A syntax error is never a PEGTL exception.
// The only exception used is AbandonFile, thrown by an action once the per-file error
// limit is reached and caught by the parse layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace pgl::grammar::conf {

// The postmaster gives up after 100 syntax errors per file; a backend re-reading the
// file for pg_file_settings logs at DEBUG and gives up after the first one.
constexpr int k_max_syntax_errors = 100;

struct AbandonFile {
  std::string file;
};

[[nodiscard]] inline std::string syntax_error_near_token(std::string_view file, std::uint32_t line,
                                                         std::string_view token) {
  // The server prints the token with %s: a NUL byte ends it.
  token = token.substr(0, token.find('\0'));
  return fmt::format("syntax error in file \"{}\" line {}, near token \"{}\"", file, line, token);
}

[[nodiscard]] inline std::string syntax_error_near_eol(std::string_view file, std::uint32_t line) {
  return fmt::format("syntax error in file \"{}\" line {}, near end of line", file, line);
}

[[nodiscard]] inline std::string too_many_syntax_errors(std::string_view file) {
  return fmt::format("too many syntax errors found, abandoning file \"{}\"", file);
}

}  // namespace pgl::grammar::conf
