// Placeholder until value validation lands.
#include "conf/guc.hpp"

namespace pgl::conf {
ValueCheck check_value(int, const GucDef&, std::string_view value) {
  ValueCheck c;
  c.normalized = std::string(value);
  return c;
}
}  // namespace pgl::conf
