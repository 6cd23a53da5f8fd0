// libpq connection strings (primary_conninfo): key/value and URI forms, parsed as libpq's
// conninfo_parse / conninfo_uri_parse do. No PEGTL types here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace pgl::parse {

struct ConninfoParam {
  std::string key;    // keyword; URI parts are reported as user, password, host, port, dbname
  std::string value;  // de-escaped / percent-decoded value
  std::size_t key_offset = 0;    // byte offset of the keyword (URI parts: of the part) in the string
  std::size_t key_length = 0;
  std::size_t value_offset = 0;  // byte offset of the value as written (quotes included)
  std::size_t value_length = 0;
};

struct Conninfo {
  bool uri = false;
  std::vector<ConninfoParam> params;  // in order of appearance
  // The value libpq uses for a keyword: the last occurrence wins.
  [[nodiscard]] const ConninfoParam* find(std::string_view key) const;
};

struct ConninfoError {
  std::string message;     // libpq's wording, e.g. `missing "=" after "x" in connection info string`
  std::size_t offset = 0;  // byte offset where the problem was found
};

// libpq's recognize_connection_string: a URI prefix or an '=' somewhere. Anything else
// given as dbname-with-expansion (as primary_conninfo is) is taken as a database name.
[[nodiscard]] bool is_connection_string(std::string_view text);

// Parses a connection string. Unknown keywords are errors, as in libpq
// (`invalid connection option "x"`, `invalid URI query parameter: "x"`). Messages never
// contain a password: libpq would echo the URI, here its password part is replaced by ***.
[[nodiscard]] tl::expected<Conninfo, ConninfoError> parse_conninfo(std::string_view text);

// The connection string with the value of every secret keyword (password, sslpassword,
// oauth_client_secret, scram_*_key; in the URI form the password part and query keys,
// percent-encoded or not) replaced by ***, from the parsed structure. A string that
// does not parse is masked whole ("***"): where its values end is not known.
[[nodiscard]] std::string mask_conninfo(std::string_view text);

// A parameter's value as shown to the user: primary_conninfo through mask_conninfo,
// ssl_passphrase_command with its arguments masked; others unchanged.
[[nodiscard]] std::string masked_setting_value(std::string_view name, std::string_view value);

// Keywords libpq 12-18 accepts (union over the versions).
[[nodiscard]] bool is_conninfo_keyword(std::string_view key);

// Number of problems PEGTL's analyze() finds in the grammar (loops without progress); 0 expected.
[[nodiscard]] std::size_t analyze_conninfo_grammar(bool verbose = false);

}  // namespace pgl::parse
