// Compile-time checks of PostgreSQL Advanced Regular Expressions (src/backend/regex),
// as pg_regcomp would report them for a /regex in pg_hba.conf or pg_ident.conf.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pgl::parse::auth {

// Returns the pg_regerror() text of the first error pg_regcomp(REG_ADVANCED) would
// report, or nothing when the expression compiles. Covered: parentheses, brackets,
// braces and bounds, quantifier operands, escapes, back references, character classes,
// collating elements, ranges, director prefixes (***: ***=) and leading embedded options.
// Parentheses nested deeper than 1,000 levels give REG_ETOOBIG ("regular expression is too
// complex"), as the server reports past its stack depth limit. Not covered: expanded syntax
// (x flag) comments, the server's other REG_ETOOBIG / REG_ESPACE limits, and multibyte
// collating element names.
[[nodiscard]] std::optional<std::string> check_regex(std::string_view re);

}  // namespace pgl::parse::auth
