// libpq connection strings (primary_conninfo): key/value and URI forms, parsed as libpq's
// conninfo_parse / conninfo_uri_parse do. No PEGTL types here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "model/conninfo.hpp"

namespace pgl::parse {

using model::Conninfo;
using model::ConninfoError;
using model::ConninfoParam;
using model::is_conninfo_keyword;

// libpq's recognize_connection_string: a URI prefix or an '=' somewhere. Anything else
// given as dbname-with-expansion (as primary_conninfo is) is taken as a database name.
[[nodiscard]] bool is_connection_string(std::string_view text);

// Parses a connection string. Unknown keywords are errors, as in libpq
// (`invalid connection option "x"`, `invalid URI query parameter: "x"`). Messages never
// contain a password: libpq would echo the URI, here its password part is replaced by ***.
[[nodiscard]] tl::expected<Conninfo, ConninfoError> parse_conninfo(std::string_view text);

// Where the secret values of a connection string are, as byte ranges [begin, end) of
// `text`, sorted: the values of password, sslpassword, oauth_client_secret and the
// scram_*_key keywords (in the URI form the password part and query keys, percent-encoded
// or not). nullopt when the string does not parse (where its values end is not known).
[[nodiscard]] std::optional<std::vector<std::pair<std::size_t, std::size_t>>> conninfo_secret_ranges(
    std::string_view text);

// The connection string with the value of every secret keyword (password, sslpassword,
// oauth_client_secret, scram_*_key; in the URI form the password part and query keys,
// percent-encoded or not) replaced by ***, from the parsed structure. A string that
// does not parse is masked whole ("***"): where its values end is not known.
[[nodiscard]] std::string mask_conninfo(std::string_view text);

// A parameter's value as shown to the user: primary_conninfo through mask_conninfo,
// ssl_passphrase_command with its arguments masked; others unchanged.
[[nodiscard]] std::string masked_setting_value(std::string_view name, std::string_view value);

// Number of problems PEGTL's analyze() finds in the grammar (loops without progress); 0 expected.
[[nodiscard]] std::size_t analyze_conninfo_grammar(bool verbose = false);

}  // namespace pgl::parse
