#include "cli/cli.hpp"

#include <cstdio>
#include <exception>
#include <string_view>

#include <fmt/core.h>

#include "core/result.hpp"

namespace pgl::cli {

namespace {

constexpr std::string_view k_usage =
    "usage: pgconflint <command> [options]\n"
    "\n"
    "commands:\n"
    "  check PATH...          lint configuration directories or files (default command)\n"
    "  dump hba|conf|ident F  print what the server's views would show for a file, as JSON\n"
    "  diff PRIMARY REPLICA...  compare a primary with its replicas\n"
    "  hba who|exposure FILE  which line takes a connection; who reaches what (pg_hba.conf)\n"
    "  rules                  list every rule\n"
    "  explain ID             print a rule's documentation\n"
    "\n"
    "Run 'pgconflint <command> --help' for a command's options.\n";

}  // namespace

void print_notices(const model::Config& config) {
  for (const auto& notice : config.notices) {
    fmt::print(stderr, "pgconflint: note: {}\n", notice);
  }
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
      fmt::print(args.empty() ? stderr : stdout, "{}", k_usage);
      return args.empty() ? k_exit_error : k_exit_ok;
    }
    if (args[0] == "--version") {
      fmt::print("pgconflint 0.1.0\n");
      return k_exit_ok;
    }
    const std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "check") {
      return cmd_check(rest);
    }
    if (command == "dump") {
      return cmd_dump(rest);
    }
    if (command == "diff") {
      return cmd_diff(rest);
    }
    if (command == "hba") {
      return cmd_hba(rest);
    }
    if (command == "rules") {
      return cmd_rules(rest);
    }
    if (command == "explain") {
      return cmd_explain(rest);
    }
    // Default command: the first argument is a path (or an option of check).
    return cmd_check(args);
  } catch (const Fatal& e) {
    fmt::print(stderr, "pgconflint: error: {}\n", e.what());
    return k_exit_error;
  } catch (const std::exception& e) {
    fmt::print(stderr, "pgconflint: internal error: {}\n", e.what());
    return k_exit_error;
  }
}

}  // namespace pgl::cli
