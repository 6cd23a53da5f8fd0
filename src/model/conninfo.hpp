// A parsed libpq connection string (primary_conninfo): plain data, filled by the
// connection-string grammar's actions (grammar/conninfo_actions.hpp) for parse/conninfo.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pgl::model {

struct ConninfoParam {
  std::string key;             // keyword; URI parts are reported as user, password, host, port, dbname
  std::string value;           // de-escaped / percent-decoded value
  std::size_t key_offset = 0;  // byte offset of the keyword (URI parts: of the part) in the string
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

// Keywords libpq 12-18 accepts (union over the versions).
[[nodiscard]] bool is_conninfo_keyword(std::string_view key);

}  // namespace pgl::model
