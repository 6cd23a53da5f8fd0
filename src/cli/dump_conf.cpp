#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/dump.hpp"

namespace pgl::cli {
int dump_conf(const std::vector<std::string>& /*args*/) {
  fmt::print(stderr, "pgconflint: dump_conf is not implemented yet\n");
  return k_exit_error;
}
}  // namespace pgl::cli
