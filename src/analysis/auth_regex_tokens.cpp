#include "analysis/auth_regex_tokens.hpp"

#include "analysis/auth_regex_shape.hpp"
#include "analysis/hba_reach.hpp"

namespace pgl::analysis {

namespace {

// The expression of a token that is one (text after the `/`), or an empty view.
std::string_view regex_of(const model::AuthToken& t) {
  if (t.unknown || !t.text.starts_with("/")) {
    return {};
  }
  const std::string_view re = std::string_view(t.text).substr(1);
  if (re.empty() || regex_has_director_or_options(re)) {
    return {};
  }
  return re;
}

}  // namespace

std::string_view column_name(AuthColumn column) {
  switch (column) {
    case AuthColumn::database: return "database";
    case AuthColumn::role: return "role";
    case AuthColumn::system_user: return "system user";
    case AuthColumn::database_user: return "database user";
  }
  return "";
}

std::vector<HbaRegex> hba_regexes(const model::HbaFile& file, int pg_version) {
  std::vector<HbaRegex> out;
  if (pg_version < 16) {
    return out;  // a leading `/` is a plain name before 16
  }
  for (const auto& r : file.records) {
    if (!participates(r) || r.method == "reject") {
      continue;
    }
    for (const auto& t : r.databases) {
      if (const auto re = regex_of(t); !re.empty()) {
        out.push_back({&r, &t, re, AuthColumn::database});
      }
    }
    for (const auto& t : r.users) {
      if (const auto re = regex_of(t); !re.empty()) {
        out.push_back({&r, &t, re, AuthColumn::role});
      }
    }
  }
  return out;
}

std::vector<IdentRegex> ident_regexes(const model::IdentFile& file, int pg_version) {
  std::vector<IdentRegex> out;
  for (const auto& r : file.records) {
    if (r.error) {
      continue;
    }
    if (const auto re = regex_of(r.system_user); !re.empty()) {
      out.push_back({&r, &r.system_user, re, AuthColumn::system_user});
    }
    if (pg_version >= 16) {
      if (const auto re = regex_of(r.pg_user); !re.empty()) {
        out.push_back({&r, &r.pg_user, re, AuthColumn::database_user});
      }
    }
  }
  return out;
}

}  // namespace pgl::analysis
