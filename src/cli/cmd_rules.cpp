#include <fmt/core.h>

#include "cli/cli.hpp"

namespace pgl::cli {
int cmd_rules(const std::vector<std::string>& /*args*/) {
  fmt::print(stderr, "pgconflint: 'rules' is not implemented yet\n");
  return k_exit_error;
}
int cmd_explain(const std::vector<std::string>& /*args*/) {
  fmt::print(stderr, "pgconflint: 'explain' is not implemented yet\n");
  return k_exit_error;
}
}  // namespace pgl::cli
