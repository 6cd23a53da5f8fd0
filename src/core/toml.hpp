// toml++, with what it does on a failed internal assertion or at an "unreachable" point
// decided here: it throws core::TomlInternalError. toml++ lets the including project
// define TOML_ASSERT; by default an assertion is compiled out with NDEBUG (and becomes an
// optimiser assumption) and an unreachable point is __builtin_unreachable(): undefined
// behaviour on the inputs that reach them. Every translation unit that uses toml++
// includes this header instead of <toml++/toml.h> (one definition of the library).
#pragma once

#include <stdexcept>
#include <string>

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
