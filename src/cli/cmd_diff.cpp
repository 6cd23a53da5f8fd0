#include <fmt/core.h>

#include "cli/cli.hpp"

namespace pgl::cli {

int cmd_diff(const std::vector<std::string>& /*args*/) {
  fmt::print(stderr, "pgconflint: 'diff' is not implemented yet\n");
  return k_exit_error;
}

}  // namespace pgl::cli
