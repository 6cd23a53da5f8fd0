#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/dump.hpp"

namespace pgl::cli {
int dump_value(const std::vector<std::string>& /*args*/) {
  fmt::print(stderr, "pgconflint: dump_value is not implemented yet\n");
  return k_exit_error;
}
}  // namespace pgl::cli
