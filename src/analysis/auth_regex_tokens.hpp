// The regular expressions written in pg_hba.conf and pg_ident.conf, one list per file, for
// the rules that judge their shape (analysis/auth_regex_shape.hpp). A token is a regular
// expression when its text starts with `/`, quoted or not (the server compiles it either
// way): in pg_ident.conf's system user column in every version, in pg_hba.conf's database
// and user columns and pg_ident.conf's database user column from PostgreSQL 16 on (a plain
// name before).
#pragma once

#include <string_view>
#include <vector>

#include "model/hba.hpp"

namespace pgl::analysis {

enum class AuthColumn { database, role, system_user, database_user };

// "database", "role", "system user", "database user".
[[nodiscard]] std::string_view column_name(AuthColumn column);

struct HbaRegex {
  const model::HbaRecord* record;
  const model::AuthToken* token;
  std::string_view re;  // the expression, after the `/`
  AuthColumn column;    // database or role
};

// The database and user regular expressions of the records that take part in matching, in
// file order; `reject` lines are left out (a wider match there only refuses more), and so are
// empty expressions and those with a director or embedded options (their reading is not
// modelled). None before 16.
[[nodiscard]] std::vector<HbaRegex> hba_regexes(const model::HbaFile& file, int pg_version);

struct IdentRegex {
  const model::IdentRecord* record;
  const model::AuthToken* token;
  std::string_view re;  // the expression, after the `/`
  AuthColumn column;    // system_user or database_user
};

// The regular expressions of the records that load, in file order (system user first within a
// record); empty expressions and those with a director or embedded options are left out.
[[nodiscard]] std::vector<IdentRegex> ident_regexes(const model::IdentFile& file, int pg_version);

}  // namespace pgl::analysis
