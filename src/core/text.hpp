// Text helpers shared by every layer (loader, parsers' callers, analysis, rules, diff): one
// implementation each. Rules reach them through analysis/conf_support.hpp as well.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pgl::core {

// ASCII lower case (the server's pg_tolower on identifiers and keywords); other bytes unchanged.
[[nodiscard]] std::string ascii_lower(std::string_view s);

// Without leading and trailing blanks (space, tab, CR, LF, FF, VT).
[[nodiscard]] std::string trim(std::string_view s);

// parse_bool of the server (src/backend/utils/adt/bool.c): unique prefixes of true/false/
// yes/no, on/off (at least two letters), 1/0, any case; no trimming. nullopt otherwise.
[[nodiscard]] std::optional<bool> parse_bool(std::string_view value);

// Levenshtein distance, for "did you mean" suggestions.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace pgl::core
