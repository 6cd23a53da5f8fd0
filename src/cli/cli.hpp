#pragma once

#include <string>
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

// Subcommands; each parses its own arguments (args exclude the program and command name).
int cmd_check(const std::vector<std::string>& args);
int cmd_dump(const std::vector<std::string>& args);
int cmd_diff(const std::vector<std::string>& args);
int cmd_rules(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_hba(const std::vector<std::string>& args);  // hba who | hba exposure

}  // namespace pgl::cli
