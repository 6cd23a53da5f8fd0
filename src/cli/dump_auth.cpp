#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/dump.hpp"

namespace pgl::cli {
int dump_hba(const std::vector<std::string>& /*args*/) {
  fmt::print(stderr, "pgconflint: dump_hba is not implemented yet\n");
  return k_exit_error;
}
int dump_ident(const std::vector<std::string>& /*args*/) {
  fmt::print(stderr, "pgconflint: dump_ident is not implemented yet\n");
  return k_exit_error;
}
}  // namespace pgl::cli
