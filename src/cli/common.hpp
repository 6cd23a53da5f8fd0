// Helpers shared by the commands: messages, CLI11 option parsing, project configuration.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "lint/engine.hpp"
#include "lint/project_config.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace pgl::cli {

// Says "pgconflint <command>: <message>" on stderr; returns k_exit_error.
int usage_error(std::string_view command, std::string_view message);

// Says "pgconflint: error: <message>" on stderr; returns k_exit_error.
int input_error(std::string_view message);

// Says "pgconflint: <message>" on stderr; returns k_exit_error.
int usage_error_plain(std::string_view message);

// The closest of `candidates` to a mistyped `word` (a few edits away), if any.
[[nodiscard]] std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates);

// `pgconflint --help`: the commands of commands() (src/cli/cli.cpp).
[[nodiscard]] std::string top_level_help();

// The help layout every command shares (column widths, defaults shown).
void style_app(CLI::App& app);

// Describe mode: instead of parsing, parse_options records each app it is given (what the
// man page and the completions are generated from, so they say what --help says).
struct OptionDoc {
  std::vector<std::string> names;  // "-q", "--quiet"; a positional: its name ("PATH")
  std::string value_name;          // "TEXT", "INT" ... ("" for a flag)
  std::string description;
  std::string default_value;         // "" when none is shown
  std::vector<std::string> choices;  // from CLI::IsMember
  bool positional = false;
  bool repeatable = false;
};
struct CommandDoc {
  std::string name;  // "check", "dump hba"
  std::string description;
  std::string help;  // what --help prints
  std::vector<OptionDoc> options;
};
// Runs `run` with no arguments in describe mode and returns what its parse_options calls
// recorded (a command that parses nothing records nothing).
[[nodiscard]] std::vector<CommandDoc> describe(int (*run)(const std::vector<std::string>&));
[[nodiscard]] bool describing();

// --color auto|always|never: auto colours a terminal unless NO_COLOR is set or TERM=dumb.
[[nodiscard]] bool color_for(const std::string& mode);

// Parses `args` (program and command name excluded) into `app`. Returns the exit code when
// the command is done: help printed (k_exit_ok) or a usage error said (k_exit_error).
[[nodiscard]] std::optional<int> parse_options(CLI::App& app, const std::vector<std::string>& args,
                                               std::string_view command);

// Options that mean the same in every command.
void add_fail_on_option(CLI::App& app, std::string& fail_on);
void add_config_option(CLI::App& app, std::string& config);
void add_color_option(CLI::App& app, std::string& color);

// The project configuration: the file named by --config, else the nearest
// .pgconflint.toml above `near`, else an empty one.
[[nodiscard]] Result<lint::ProjectConfig> load_project(const std::string& config_option, const std::string& near);

// --fail-on, else the project's fail_on, else warning.
[[nodiscard]] lint::FailOn fail_on_for(const std::string& fail_on_option, const lint::ProjectConfig& project);

// --pg-version (0 = not given), else the project's pg_version, else none.
[[nodiscard]] std::optional<int> pg_version_for(int pg_version_option, const lint::ProjectConfig& project);

}  // namespace pgl::cli
