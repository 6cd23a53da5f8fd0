#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/dump.hpp"

namespace pgl::cli {

int cmd_dump(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    fmt::print(args.empty() ? stderr : stdout,
               "usage: pgconflint dump hba|conf|ident FILE [--pg-version N] [options]\n"
               "Prints, as a JSON array, the rows the server's view would show for FILE:\n"
               "  hba    pg_hba_file_rules\n  conf   pg_file_settings\n  ident  pg_ident_file_mappings\n");
    return args.empty() ? k_exit_error : k_exit_ok;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "hba") {
    return dump_hba(rest);
  }
  if (args[0] == "ident") {
    return dump_ident(rest);
  }
  if (args[0] == "conf") {
    return dump_conf(rest);
  }
  if (args[0] == "value") {  // hidden: validate one parameter value (used by the value tests)
    return dump_value(rest);
  }
  fmt::print(stderr, "pgconflint: dump: unknown kind '{}' (expected hba, conf or ident)\n", args[0]);
  return k_exit_error;
}

}  // namespace pgl::cli
