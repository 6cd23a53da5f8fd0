// libpq connection strings (primary_conninfo), as conninfo_parse and
// conninfo_uri_parse_options in libpq's fe-connect.c read them.
//
// Two forms:
//   key/value: `host=db1 port = 5432 password='a b\'c'` — blanks around `=` are skipped,
//              single-quoted values take `\x` escapes, unquoted values end at a blank and
//              take `\x` escapes too.
//   URI:       `postgresql://user:pw@h1:5432,[::1]:5433/db?sslmode=verify-full&a=b`
//              (percent-decoding is done by the actions).
#pragma once

#include "grammar/pegtl.hpp"

namespace pgl::grammar::conninfo {
using namespace tao::pegtl;

// clang-format off

// isspace() in the C locale
struct blank_ : one<' ', '\t', '\n', '\r', '\f', '\v'> {};
struct blanks : star<blank_> {};

// ---- key/value form
struct kv_key : star<not_one<'=', ' ', '\t', '\n', '\r', '\f', '\v'>> {};
struct kv_equals : one<'='> {};
struct kv_escape : seq<one<'\\'>, any> {};
struct kv_quoted_char : sor<kv_escape, not_one<'\'', '\\'>> {};
struct kv_close_quote : one<'\''> {};
struct kv_quoted : seq<one<'\''>, star<kv_quoted_char>, must<kv_close_quote>> {};
struct kv_trailing_backslash : seq<one<'\\'>, eof> {};
struct kv_plain_char : sor<kv_escape, kv_trailing_backslash, not_one<' ', '\t', '\n', '\r', '\f', '\v'>> {};
struct kv_plain : star<kv_plain_char> {};
struct kv_value : sor<kv_quoted, kv_plain> {};
struct kv_pair : seq<kv_key, blanks, must<kv_equals>, blanks, kv_value> {};
struct kv_string : seq<blanks, until<eof, kv_pair, blanks>> {};

// ---- URI form
struct uri_prefix : sor<TAO_PEGTL_STRING("postgresql://"), TAO_PEGTL_STRING("postgres://")> {};
struct uri_user : star<not_one<':', '@'>> {};
struct uri_password : star<not_one<'@'>> {};
struct uri_userinfo : seq<uri_user, opt<one<':'>, uri_password>, one<'@'>> {};
// libpq looks ahead for '@' before the first '/' (anywhere else, even inside the query)
struct uri_has_userinfo : at<star<not_one<'@', '/'>>, one<'@'>> {};
struct uri_ipv6_close : one<']'> {};
struct uri_ipv6_addr : star<not_one<']'>> {};
struct uri_after_ipv6 : sor<eof, at<one<':', '/', '?', ','>>> {};
struct uri_ipv6_host : seq<one<'['>, uri_ipv6_addr, must<uri_ipv6_close>, must<uri_after_ipv6>> {};
struct uri_plain_host : star<not_one<':', '/', '?', ','>> {};
struct uri_host : sor<uri_ipv6_host, uri_plain_host> {};
struct uri_port : star<not_one<'/', '?', ','>> {};
struct uri_hostspec : seq<uri_host, opt<one<':'>, uri_port>> {};
struct uri_hosts : list<uri_hostspec, one<','>> {};
struct uri_dbname : star<not_one<'?'>> {};
struct uri_param_key : star<not_one<'=', '&'>> {};
struct uri_param_equals : one<'='> {};
struct uri_param_value : star<not_one<'=', '&'>> {};
struct uri_param_end : sor<one<'&'>, eof> {};
struct uri_param : seq<uri_param_key, must<uri_param_equals>, uri_param_value, must<uri_param_end>> {};
struct uri_params : until<eof, uri_param> {};
struct uri_string : seq<uri_prefix, opt<uri_has_userinfo, uri_userinfo>, uri_hosts,
                        opt<one<'/'>, uri_dbname>, opt<one<'?'>, uri_params>, eof> {};

struct conninfo : sor<uri_string, kv_string> {};

// clang-format on

}  // namespace pgl::grammar::conninfo
