// Error messages of the connection-string grammar, worded as libpq words them.
// Messages may contain {key} (the keyword being read) and {uri} (the URI with its
// password masked); {char} and {pos} describe the unexpected byte.
#pragma once

#include <string>
#include <type_traits>

#include "grammar/conninfo_actions.hpp"
#include "grammar/conninfo_grammar.hpp"

namespace pgl::grammar::conninfo {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr const char* error_message<kv_equals> = "missing \"=\" after \"{key}\" in connection info string";
template <> inline constexpr const char* error_message<kv_close_quote> = "unterminated quoted string in connection info string";
template <> inline constexpr const char* error_message<uri_ipv6_close> = "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"{uri}\"";
template <> inline constexpr const char* error_message<uri_after_ipv6> = "unexpected character \"{char}\" at position {pos} in URI (expected \":\" or \"/\"): \"{uri}\"";
template <> inline constexpr const char* error_message<uri_param_equals> = "missing key/value separator \"=\" in URI query parameter: \"{key}\"";
template <> inline constexpr const char* error_message<uri_param_end> = "extra key/value separator \"=\" in URI query parameter: \"{key}\"";
// clang-format on

inline void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
}

template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, State& st, States&&... /*unused*/) {
    static_assert(error_message<Rule> != nullptr, "every must<> point of the conninfo grammar needs a message");
    std::string msg = error_message<Rule>;
    replace_all(msg, "{key}", st.key_raw);
    replace_all(msg, "{uri}", st.masked_input());
    if (msg.find("{char}") != std::string::npos) {
      const std::string c = in.empty() ? std::string() : std::string(1, in.peek_char());
      replace_all(msg, "{char}", c);
      replace_all(msg, "{pos}", std::to_string(in.position().byte + 1));
    }
    if constexpr (std::is_same_v<Rule, kv_equals>) {
      // point at the keyword that lacks its '=', not at what follows it
      throw pegtl::parse_error(msg, pegtl::position(st.key_offset, 1, st.key_offset + 1, "conninfo"));
    } else {
      throw pegtl::parse_error(msg, in);
    }
  }
};

}  // namespace pgl::grammar::conninfo
