// Actions of the hba tokenizer grammar: build raw tokens with their byte offsets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/hba_grammar.hpp"

namespace pgl::grammar::hba {

// One token as next_token() would return it.
struct RawToken {
  // The text, dequoted: a view of the line's bytes for a token without quotes (the
  // common case: no copy), else of `decoded` (see text()).
  std::string_view plain;
  std::string decoded;     // the dequoted text of a token with a quote
  bool has_quote = false;  // the text is `decoded`
  bool quoted = false;     // a quote before the first character (initial quote)
  bool comma = false;      // directly followed by a comma: the field continues
  std::size_t begin = 0;   // byte offset of the first raw byte in the logical line
  std::size_t end = 0;     // byte offset after the last raw byte (before the comma)
  // Length limit emulation (PG12-15): true when the server's fixed buffer overflows
  // while reading this token (see mark_too_long).
  bool too_long = false;
  [[nodiscard]] std::string_view text() const { return has_quote ? std::string_view(decoded) : plain; }
};

struct TokenizeState {
  std::size_t max_token = 0;   // 0 = unlimited; else bytes the buffer holds (255 / 10239)
  const char* base = nullptr;  // start of the logical line (token offsets are relative to it)
  // The line's tokens: `tokens[0, count)` (the elements after them are kept, with their
  // buffers, for the next lines).
  std::vector<RawToken> tokens;
  std::size_t count = 0;
  bool token_has_quote = false;  // set by the token rule: the token just matched holds a quote
};

// Decodes the raw text of one token and applies the server's buffer check: the error
// fires when another byte is processed while `max_token` bytes are already stored.
// The terminating comma is also processed (hba.c checks the length before the comma),
// see action<terminating_comma>.
// `has_quote`: whether `raw` holds a '"'.
inline void decode_token(std::string_view raw, bool has_quote, std::size_t max_token, RawToken& out) {
  out.has_quote = has_quote;
  out.quoted = false;
  out.too_long = false;
  if (!has_quote) {  // no quotes: the text is the raw bytes
    if (max_token != 0 && raw.size() > max_token) {
      out.too_long = true;
      raw = raw.substr(0, max_token);
    }
    out.plain = raw;
    return;
  }
  bool in_quote = false;
  bool was_quote = false;
  std::string& buf = out.decoded;
  buf.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (max_token != 0 && buf.size() >= max_token) {
      out.too_long = true;
      break;
    }
    if (c != '"' || was_quote) {
      buf.push_back(c);
    }
    if (in_quote && c == '"') {
      was_quote = !was_quote;
    } else {
      was_quote = false;
    }
    if (c == '"') {
      in_quote = !in_quote;
      if (buf.empty()) {
        out.quoted = true;
      }
    }
  }
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<token> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, TokenizeState& state) {
    if (state.count == state.tokens.size()) {
      state.tokens.emplace_back();
    }
    RawToken& t = state.tokens[state.count++];
    t.comma = false;
    t.begin = static_cast<std::size_t>(in.begin() - state.base);
    t.end = t.begin + in.size();
    decode_token(std::string_view(in.begin(), in.size()), state.token_has_quote, state.max_token, t);
  }
};

template <>
struct action<terminating_comma> {
  static void apply0(TokenizeState& state) {
    RawToken& t = state.tokens[state.count - 1];
    t.comma = true;
    if (!t.too_long && state.max_token != 0 && t.text().size() >= state.max_token) {
      t.too_long = true;
    }
  }
};

}  // namespace pgl::grammar::hba
