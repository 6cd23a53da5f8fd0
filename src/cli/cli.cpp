#include "cli/cli.hpp"

#include <cstdio>
#include <exception>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <sys/stat.h>

#include "cli/common.hpp"
#include "core/read_file.hpp"
#include "core/result.hpp"
#include "pgl_version.hpp"

namespace pgl::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"check", "lint configuration directories or files (the default command)", cmd_check},
      {"dump", "print what the server's views would show for a file, as JSON", cmd_dump},
      {"diff", "compare a primary with its replicas", cmd_diff},
      {"hba", "pg_hba.conf analysis: `hba who` (which line takes a connection), `hba exposure`", cmd_hba},
      {"probe", "check SSL on a running server (never sends a password)", cmd_probe},
      {"rules", "list every rule", cmd_rules},
      {"explain", "print a rule's documentation", cmd_explain},
      {"help", "print the help of pgconflint or of a command", cmd_help},
      {"__generate", "write a man page or a shell completion script", cmd_generate, true},
  };
  return list;
}

namespace {

const Command* find_command(std::string_view name) {
  for (const auto& c : commands()) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : commands()) {
    if (!c.hidden) {
      names.emplace_back(c.name);
    }
  }
  return names;
}

bool path_exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

}  // namespace

std::string top_level_help() {
  CLI::App app{
      "Lint PostgreSQL configuration (postgresql.conf, postgresql.auto.conf, pg_hba.conf, pg_ident.conf, "
      "TLS files) as the server of each major version 12-18 reads it.",
      "pgconflint"};
  app.set_version_flag("-V,--version", "pgconflint " PGL_VERSION, "print the version and exit");
  for (const auto& c : commands()) {
    if (!c.hidden) {
      app.add_subcommand(std::string(c.name), std::string(c.summary));
    }
  }
  style_app(app);
  return app.help() +
         "\nWithout a command, the arguments are those of check. Run 'pgconflint help COMMAND' for a command's "
         "options.\n";
}

int cmd_help(const std::vector<std::string>& args) {
  CLI::App app{"Print the help of pgconflint, or of COMMAND.", "pgconflint help"};
  std::string command;
  app.add_option("COMMAND", command, "command to describe")->check(CLI::IsMember(command_names()));
  if (auto done = parse_options(app, args, "help")) {
    return *done;
  }
  if (command.empty()) {
    fmt::print("{}", top_level_help());
    return k_exit_ok;
  }
  return find_command(command)->run({"--help"});
}

void print_notices(const model::Config& config) {
  for (const auto& notice : config.notices) {
    fmt::print(stderr, "pgconflint: note: {}\n", notice);
  }
}

int run(int argc, char** argv) {
  const core::ReadBudgetScope budget;  // one read budget per command (docs/limits.md)
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty()) {
      fmt::print(stderr, "{}", top_level_help());
      return k_exit_error;
    }
    if (args[0] == "-h" || args[0] == "--help") {
      fmt::print("{}", top_level_help());
      return k_exit_ok;
    }
    if (args[0] == "-V" || args[0] == "--version") {
      fmt::print("pgconflint {}\n", PGL_VERSION);
      return k_exit_ok;
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (const Command* c = find_command(args[0])) {
      return c->run(rest);
    }
    // Default command: the first argument is a path (or an option of check). A word that is
    // no file but close to a command name is a mistyped command.
    if (!args[0].starts_with("-") && !path_exists(args[0])) {
      if (auto s = suggest(args[0], command_names())) {
        return usage_error_plain(fmt::format(
            "unknown command '{}'; did you mean '{}'? (run 'pgconflint --help' for the commands)", args[0], *s));
      }
    }
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
