// postgresql.conf grammar: an exact emulation of the server's flex scanner
// (src/backend/utils/misc/guc-file.l) and of the line loop in ParseConfigFp.
//
// flex picks the longest match at each position and breaks ties by rule order
// (ID, QUALIFIED_ID, STRING, UNQUOTED_STRING, INTEGER, REAL, EQUALS, ERROR). A PEG
// takes the first alternative that matches, so every token rule below is written so
// that the alternative tried first is exactly the one flex would pick:
//
//  * words start with a LETTER: QUALIFIED_ID if `ID.ID` is not followed by another
//    UNQUOTED_STRING byte, else ID if the ID is not followed by one, else the
//    (longer) UNQUOTED_STRING;
//  * numbers: REAL (it always contains a `.`, which INTEGER cannot, so when it
//    matches it is the longer one), then the hexadecimal INTEGER (never shorter than
//    the decimal reading of the same bytes), then the decimal INTEGER;
//  * quoted strings: a doubled quote is taken as an escaped quote only if a closing
//    quote can still follow on the line; otherwise the first of the two closes the
//    string (longest match of `'([^'\\\n]|\\.|'')*'`);
//  * anything else is a one-byte ERROR token (form feed, `*`, `"`, NUL, a lone sign).
//
// Columns count bytes. No encoding is assumed: bytes 0x80-0xFF are letters, so a
// UTF-8 byte order mark becomes part of the first name, as in the server.
#pragma once

#include "grammar/pegtl.hpp"

namespace pgl::grammar::conf {

using namespace tao::pegtl;  // NOLINT(google-build-using-namespace): grammar namespace only

// clang-format off

// --- character classes (spec 1.2)
struct letter : sor< ranges< 'A', 'Z', 'a', 'z', '_' >, range< '\x80', '\xff' > > {};
struct digit_ : range< '0', '9' > {};
struct hex_digit : ranges< '0', '9', 'a', 'f', 'A', 'F' > {};
struct unit_letter : ranges< 'a', 'z', 'A', 'Z' > {};
struct letter_or_digit : sor< letter, digit_ > {};
struct unquoted_char : sor< letter_or_digit, one< '-', '.', ':', '/' > > {};
struct sign : one< '-', '+' > {};

// --- skipped input
struct eol : one< '\n' > {};
struct blank : plus< one< ' ', '\t', '\r' > > {};
struct comment : seq< one< '#' >, until_byte< '\n' > > {};  // star< not_one< '\n' > >
struct skip : star< sor< blank, comment > > {};

// --- words: ID, QUALIFIED_ID, UNQUOTED_STRING
struct id_body : seq< letter, star< letter_or_digit > > {};
struct qualified_id : seq< id_body, one< '.' >, id_body, not_at< unquoted_char > > {};
struct id : seq< id_body, not_at< unquoted_char > > {};
struct unquoted_string : seq< letter, star< unquoted_char > > {};
struct word : sor< qualified_id, id, unquoted_string > {};

// --- numbers: INTEGER, REAL
struct exponent : seq< one< 'e', 'E' >, opt< sign >, plus< digit_ > > {};
struct real : seq< opt< sign >, star< digit_ >, one< '.' >, star< digit_ >, opt< exponent > > {};
struct integer_hex : seq< opt< sign >, string< '0', 'x' >, plus< hex_digit >, star< unit_letter > > {};
struct integer_dec : seq< opt< sign >, plus< digit_ >, star< unit_letter > > {};
struct number : sor< real, integer_hex, integer_dec > {};

// --- STRING
struct string_plain : not_one< '\'', '\\', '\n' > {};
struct string_escape : seq< one< '\\' >, not_one< '\n' > > {};
struct string_can_close : seq< star< sor< string_plain, string_escape > >, one< '\'' > > {};
struct string_pair : seq< two< '\'' >, at< string_can_close > > {};
struct quoted_string : seq< one< '\'' >, star< sor< string_plain, string_escape, string_pair > >, one< '\'' > > {};

// --- other tokens
struct equals : one< '=' > {};
struct error_byte : not_one< '\n' > {};

// Exactly one scanner token that is not an end of line (used to report syntax errors).
struct any_token : sor< quoted_string, word, number, equals, error_byte > {};

// --- the line loop of ParseConfigFp (spec 1.3)
struct setting_name : sor< qualified_id, id > {};

struct value_string : quoted_string {};
struct value_word : seq< not_at< qualified_id >, sor< id, unquoted_string > > {};
struct value_number : number {};
struct setting_value : sor< value_string, value_word, value_number > {};

// Rest of a line after a syntax error: tokens up to and including the end of line.
struct recover : seq< until_byte< '\n' >, opt< eol > > {};

struct bad_name : any_token {};          // first token of a line is not a name
struct bad_value : any_token {};         // token in the value position is not a value
struct bad_trailing : any_token {};      // anything after the value
struct value_missing_eol : eol {};       // `name =` then end of line
struct value_missing_eof : eof {};       // `name =` then end of file
struct entry_end : sor< eol, eof > {};   // a complete `name [=] value` line

struct entry_tail : sor< entry_end, seq< bad_trailing, recover > > {};
struct value_part : sor< seq< setting_value, skip, entry_tail >,
                         value_missing_eol,
                         value_missing_eof,
                         seq< bad_value, recover > > {};
struct entry : seq< setting_name, skip, opt< equals, skip >, value_part > {};

struct empty_line : eol {};
struct line : seq< skip, sor< empty_line, entry, seq< bad_name, recover > > > {};
struct file : seq< star< line >, skip, eof > {};

// clang-format on

}  // namespace pgl::grammar::conf
