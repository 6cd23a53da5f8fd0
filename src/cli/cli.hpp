#pragma once

#include <string>
#include <vector>

namespace pgl::cli {

// Exit codes shared by every command.
constexpr int k_exit_ok = 0;        // nothing at or above --fail-on
constexpr int k_exit_findings = 1;  // findings at or above --fail-on
constexpr int k_exit_error = 2;     // usage error, unreadable input, internal error

int run(int argc, char** argv);

// Subcommands; each parses its own arguments (args exclude the program and command name).
int cmd_check(const std::vector<std::string>& args);
int cmd_dump(const std::vector<std::string>& args);
int cmd_diff(const std::vector<std::string>& args);
int cmd_rules(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);

}  // namespace pgl::cli
