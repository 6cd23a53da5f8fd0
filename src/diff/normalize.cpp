// Canonical values for comparison: conf::check_value's normalized form (booleans on/off,
// numbers in the base unit, enums in their canonical spelling).
#include <string>

#include "conf/guc.hpp"
#include "diff/diff.hpp"

namespace pgl::diff {


std::string normalize_setting(int pg_version, std::string_view name, std::string_view value) {
  const conf::GucDef* def = conf::find_guc(pg_version, name);
  if (def == nullptr) {
    return std::string(value);
  }
  const conf::ValueCheck check = conf::check_value(pg_version, *def, value);
  if (!check.ok) {
    return std::string(value);
  }
  return check.normalized;
}

int auth_method_rank(std::string_view method) {
  // Order of what a stolen or sniffed credential is worth; reject refuses everything.
  if (method == "trust") return 0;
  if (method == "ident") return 10;
  if (method == "password" || method == "ldap" || method == "radius" || method == "pam" ||
      method == "bsd") {
    return 20;  // the password travels to the server in clear text
  }
  if (method == "md5") return 30;
  if (method == "scram-sha-256" || method == "peer" || method == "gss" || method == "sspi" ||
      method == "oauth") {
    return 50;
  }
  if (method == "cert") return 60;
  if (method == "reject") return 100;
  return 40;  // unknown: between md5 and scram
}

}  // namespace pgl::diff
