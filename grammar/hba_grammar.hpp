// Tokenizer grammar of pg_hba.conf / pg_ident.conf (spec 3.2, hba.c next_token).
//
// Input: one logical line (continuations already joined, no line terminator).
// A line is a sequence of separators (blanks and commas), comments and tokens.
// A token is a run of pieces; a piece is a quoted part (`"..."`, with `""` for a
// literal quote, running to the end of the line when unterminated) or a run of plain bytes.
// Field assembly (a token directly followed by `,` continues the field) is done by
// the actions, see hba_actions.hpp.
#pragma once

#include "grammar/pegtl.hpp"

namespace pgl::grammar::hba {

// clang-format off
struct blank : pegtl::one<' ', '\t', '\r'> {};
struct separator : pegtl::sor<blank, pegtl::one<','>> {};
struct separators : pegtl::plus<separator> {};

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
struct token {
  using rule_t = token;
  using subs_t = pegtl::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) noexcept {
    const char* const begin = in.current();
    const char* const end = in.end();
    const char* p = begin;
    while (p != end) {
      const char c = *p;
      if (c == '"') {  // quoted_piece: `""` inside is an escaped quote; eof closes it too
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
      } else if (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '#') {
        break;
      } else {
        ++p;  // plain_char
      }
    }
    if (p == begin) {
      return false;
    }
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
