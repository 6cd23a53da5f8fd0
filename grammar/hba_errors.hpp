// Error messages for the must<> points of the hba tokenizer grammar.
#pragma once

#include <string_view>

#include "grammar/hba_grammar.hpp"

namespace pgl::grammar::hba {

template <typename Rule>
inline constexpr std::string_view k_error_message = {};  // no message: static_assert below fires

// Every byte is a blank, a comma, a comment start, a quote or a plain byte, so this
// cannot fail; the message exists so that a grammar change cannot produce a bare
// PEGTL error.
template <>
inline constexpr std::string_view k_error_message<line_end> = "unexpected character in authentication file line";

struct error_control {
  template <typename Rule>
  struct control : pegtl::normal<Rule> {
    template <typename Input, typename... States>
    [[noreturn]] static void raise(const Input& in, States&&... /*unused*/) {
      static_assert(!k_error_message<Rule>.empty(), "every must<> point needs a message in hba_errors.hpp");
      throw pegtl::parse_error(std::string(k_error_message<Rule>), in);
    }
  };
};

template <typename Rule>
using control = error_control::control<Rule>;

}  // namespace pgl::grammar::hba
