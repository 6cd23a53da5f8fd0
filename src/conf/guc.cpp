#include "conf/guc.hpp"

#include <algorithm>
#include <cctype>

namespace pgl::conf {
namespace generated {
const std::vector<GucDef>* table_for(int version);
}

namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

const std::vector<GucDef>& all_gucs(int version) {
  static const std::vector<GucDef> empty;
  const auto* t = generated::table_for(version);
  return t ? *t : empty;
}

const GucDef* find_guc(int version, std::string_view name) {
  if (iequals(name, "sort_mem")) {
    name = "work_mem";
  } else if (iequals(name, "vacuum_mem")) {
    name = "maintenance_work_mem";
  } else if (version >= 18 && iequals(name, "ssl_ecdh_curve")) {
    name = "ssl_groups";
  }
  for (const auto& def : all_gucs(version)) {
    if (iequals(def.name, name)) {
      return def.debug_only ? nullptr : &def;
    }
  }
  return nullptr;
}

}  // namespace pgl::conf
