// Tokenizer grammar of pg_hba.conf / pg_ident.conf (spec 3.2, hba.c next_token).
//
// Input: one logical line (continuations already joined, no line terminator).
// A line is a sequence of separators (blanks and commas), comments and tokens.
// A token is a run of pieces; a piece is a quoted part (`"..."`, with `""` for a
// literal quote, running to the end of the line when unterminated) or a run of plain bytes.
// Field assembly (a token directly followed by `,` continues the field) is done by
// the actions, see hba_actions.hpp.
#pragma once

#include <array>

#include "grammar/pegtl.hpp"

namespace pgl::grammar::hba {

// clang-format off
struct blank : pegtl::one<' ', '\t', '\r'> {};
struct separator : pegtl::sor<blank, pegtl::one<','>> {};
// plus<separator> (a blank or a comma, one or more), matched in one loop.
struct separators : run_of<' ', '\t', '\r', ','> {};

struct comment : pegtl::seq<pegtl::one<'#'>, rest_of_input> {};  // star<any>

struct quote : pegtl::one<'"'> {};
struct escaped_quote : pegtl::two<'"'> {};
struct quoted_char : pegtl::not_one<'"'> {};
struct quoted_close : pegtl::sor<quote, pegtl::eof> {};
struct quoted_piece : pegtl::seq<quote, pegtl::star<pegtl::sor<escaped_quote, quoted_char>>, quoted_close> {};
struct plain_char : pegtl::not_one<' ', '\t', '\r', ',', '#', '"'> {};
// A run of plain bytes is matched in one go (same language as one piece per byte):
// plus<plain_char> in one loop.
struct plain_run : run_without<' ', '\t', '\r', ',', '#', '"'> {};
struct piece : pegtl::sor<quoted_piece, plain_run> {};
// The definition of a token; `token` below matches the same bytes in one loop.
struct token_pieces : pegtl::plus<piece> {};
// What a byte is to `token`: part of it, its end (a blank, a comma, a comment start), or a quote.
enum class token_byte : unsigned char { plain, stop, quote };
inline constexpr auto k_token_bytes = [] {
  std::array<token_byte, 256> t{};
  for (const unsigned char c : {' ', '\t', '\r', ',', '#'}) {
    t[c] = token_byte::stop;
  }
  t[static_cast<unsigned char>('"')] = token_byte::quote;
  return t;
}();
struct token {
  using rule_t = token;
  using subs_t = pegtl::empty_list;
  // A state with a `token_has_quote` member learns whether the token holds a quote (so
  // that its action need not scan the bytes again).
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&... st) noexcept {
    const char* const begin = in.current();
    const char* const end = in.end();
    const char* p = begin;
    [[maybe_unused]] bool has_quote = false;  // read only when a state takes it
    while (p != end) {
      const token_byte k = k_token_bytes[static_cast<unsigned char>(*p)];
      if (k == token_byte::plain) {
        ++p;  // plain_char
        continue;
      }
      if (k == token_byte::stop) {
        break;
      }
      // quoted_piece: `""` inside is an escaped quote; eof closes it too
      has_quote = true;
      ++p;
      while (p != end) {
        if (*p == '"') {
          if (p + 1 != end && p[1] == '"') {
            p += 2;
            continue;
          }
          break;
        }
        ++p;
      }
      if (p != end) {
        ++p;  // the closing quote
      }
    }
    if (p == begin) {
      return false;
    }
    (
        [&](auto& s) {
          if constexpr (requires { s.token_has_quote = true; }) {
            s.token_has_quote = has_quote;
          }
        }(st),
        ...);
    in.bump_in_this_line(static_cast<std::size_t>(p - begin));
    return true;
  }
};
// The comma that directly follows a token: the next token belongs to the same field.
struct terminating_comma : pegtl::one<','> {};
struct token_item : pegtl::seq<token, pegtl::opt<terminating_comma>> {};

struct line_item : pegtl::sor<separators, comment, token_item> {};
struct line_end : pegtl::eof {};
struct line : pegtl::seq<pegtl::star<line_item>, pegtl::must<line_end>> {};
// clang-format on

}  // namespace pgl::grammar::hba

namespace tao::pegtl {
template <typename Name>
struct analyze_traits<Name, pgl::grammar::hba::token> : analyze_any_traits<> {};
}  // namespace tao::pegtl
