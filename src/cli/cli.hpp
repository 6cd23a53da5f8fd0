#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"

namespace pgl::cli {

// Exit codes shared by every command.
constexpr int k_exit_ok = 0;        // nothing at or above --fail-on
constexpr int k_exit_findings = 1;  // findings at or above --fail-on
constexpr int k_exit_error = 2;     // usage error, unreadable input, internal error

int run(int argc, char** argv);

// Says on stderr what the loader noticed about a node (an ignored --pg-version, a missing
// hba_file target ...).
void print_notices(const model::Config& config);

// One subcommand. Its function parses its own arguments (program and command name
// excluded) with CLI11 through parse_options (src/cli/common.hpp), which gives every
// command the same help layout, did-you-mean and describe mode (man page, completions).
struct Command {
  std::string_view name;
  std::string_view summary;  // one line, for `pgconflint --help`
  int (*run)(const std::vector<std::string>& args);
  bool hidden = false;  // not listed in help, man page or completions
};

// Every subcommand, in the order of `pgconflint --help` (src/cli/cli.cpp). Adding a command
// is one entry there and its function.
[[nodiscard]] const std::vector<Command>& commands();

// Subcommands; each parses its own arguments (args exclude the program and command name).
int cmd_check(const std::vector<std::string>& args);
int cmd_dump(const std::vector<std::string>& args);
int cmd_diff(const std::vector<std::string>& args);
int cmd_probe(const std::vector<std::string>& args);  // src/cli/cmd_probe.cpp
int cmd_rules(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_help(const std::vector<std::string>& args);
// Hidden: `__generate man1|man7|bash|zsh|fish FILE` writes a man page or a completion
// script (src/cli/cmd_generate.cpp; run by the build, cmake/install.cmake).
int cmd_generate(const std::vector<std::string>& args);
int cmd_hba(const std::vector<std::string>& args);  // hba who | hba exposure

}  // namespace pgl::cli
