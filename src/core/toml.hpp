// toml++, with what it does on a failed internal assertion or at an "unreachable" point
// decided here: it throws core::TomlInternalError. toml++ lets the including project
// define TOML_ASSERT; by default an assertion is compiled out with NDEBUG (and becomes an
// optimiser assumption) and an unreachable point is __builtin_unreachable(): undefined
// behaviour on the inputs that reach them. Every translation unit that uses toml++
// includes this header instead of <toml++/toml.h> (one definition of the library).
//
// The library is compiled into the project (header-only): Debian's libtomlplusplus3 is
// built with its assertions compiled out, and a parser running in that shared library
// never sees this TOML_ASSERT (nor is it instrumented by the sanitizers and the fuzzer).
// The tomlplusplus::tomlplusplus target selects the shared library (-DTOML_HEADER_ONLY=0
// -DTOML_SHARED_LIB=1 on every compile line): overridden here, for the only header that
// includes toml++. (Dropping the target from CMakeLists.txt would also drop the unused
// run-time dependency on libtomlplusplus.so.3; it changes every compile line.)
//
// Parse with core::toml_parse, not toml::parse: it first bounds what toml++ leaves
// unbounded (toml_nesting_error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace pgl::core {

struct TomlInternalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void toml_internal_error(const char* what) {
  throw TomlInternalError(std::string("TOML parser internal check failed: ") + what);
}

}  // namespace pgl::core

#ifdef TOML_ASSERT
#error "toml++ is configured by core/toml.hpp alone"
#endif
#undef TOML_HEADER_ONLY
#define TOML_HEADER_ONLY 1
#undef TOML_SHARED_LIB
#define TOML_SHARED_LIB 0
// NDEBUG would replace TOML_ASSERT by nothing: the library's check for it is made with
// NDEBUG undefined (toml++'s headers do not otherwise depend on it).
#pragma push_macro("NDEBUG")
#undef NDEBUG
#define TOML_ASSERT(expr) ((expr) ? static_cast<void>(0) : ::pgl::core::toml_internal_error(#expr))
#include <toml++/impl/preprocessor.h>
#undef TOML_UNREACHABLE
#define TOML_UNREACHABLE ::pgl::core::toml_internal_error("unreachable code reached")
#include <toml++/toml.h>
#pragma pop_macro("NDEBUG")

namespace pgl::core {

// toml++ bounds the nesting of arrays and inline tables (TOML_MAX_NESTED_VALUES, 256), not
// the parts of a dotted key: each part is a table inside the previous one, and its
// recursive parser overflows the stack on `a.a.a...=1` with some 30,000 parts (one 60 KB
// line; SIGSEGV). Refused before parsing: more than k_max_toml_dots dots outside strings
// and comments in the whole file (dotted keys and table headers, also the dots of
// numbers and times; a real file has a few dozen), so no key, and no nesting of dotted
// keys inside the 256 nested values, is deep. Linear, one pass.
inline constexpr std::size_t k_max_toml_dots = 2000;

struct TomlNestingError {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based byte column
  std::string message;
};

// The position after the TOML string that starts at `i` (its opening quote), counting the
// newlines of a multi-line one into `line` / `line_start`. An unterminated one-line string
// ends at its newline (toml++ reports it).
[[nodiscard]] inline std::size_t skip_toml_string(std::string_view text, std::size_t i, std::uint32_t& line,
                                                  std::size_t& line_start) {
  const char q = text[i];
  const std::string_view triple = q == '"' ? "\"\"\"" : "'''";
  const bool multi = text.substr(i, 3) == triple;
  i += multi ? 3 : 1;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\\' && q == '"') {
      i += 2;  // an escape: never the end of a basic string
      continue;
    }
    if (c == '\n') {
      if (!multi) {
        return i;
      }
      ++line;
      line_start = i + 1;
    } else if (c == q && (!multi || text.substr(i, 3) == triple)) {
      return i + (multi ? 3 : 1);
    }
    ++i;
  }
  return i;
}

[[nodiscard]] inline std::optional<TomlNestingError> toml_nesting_error(std::string_view text) {
  std::size_t dots = 0;
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
    } else if (c == '#') {
      const std::size_t nl = text.find('\n', i);
      i = nl == std::string_view::npos ? text.size() : nl;
    } else if (c == '"' || c == '\'') {
      i = skip_toml_string(text, i, line, line_start);
    } else {
      if (c == '.' && ++dots > k_max_toml_dots) {
        return TomlNestingError{line, static_cast<std::uint32_t>(i - line_start + 1),
                                "more than " + std::to_string(k_max_toml_dots) +
                                    " dots outside strings (each part of a dotted key is a table inside the "
                                    "previous one; a .pgconflint.toml needs a few dozen)"};
      }
      ++i;
    }
  }
  return std::nullopt;
}

// toml::parse after toml_nesting_error: a refused text throws toml::parse_error at its
// position, as a syntax error would.
[[nodiscard]] inline toml::table toml_parse(std::string_view text, std::string_view path) {
  if (auto e = toml_nesting_error(text)) {
    throw toml::parse_error(e->message.c_str(), toml::source_position{e->line, e->column},
                            std::make_shared<const std::string>(path));
  }
  return toml::parse(text, path);
}

}  // namespace pgl::core
