#include "cli/common.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/cli.hpp"

namespace pgl::cli {

int usage_error(std::string_view command, std::string_view message) {
  fmt::print(stderr, "pgconflint {}: {}\n", command, message);
  return k_exit_error;
}

int input_error(std::string_view message) {
  fmt::print(stderr, "pgconflint: error: {}\n", message);
  return k_exit_error;
}

bool color_for(const std::string& mode) {
  if (mode == "always") {
    return true;
  }
  if (mode == "never") {
    return false;
  }
  const char* term = std::getenv("TERM");
  return isatty(fileno(stdout)) != 0 && std::getenv("NO_COLOR") == nullptr &&
         !(term != nullptr && std::string_view(term) == "dumb");
}

std::optional<int> parse_options(CLI::App& app, const std::vector<std::string>& args, std::string_view command) {
  // CLI11 takes the arguments last first.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return k_exit_ok;
  } catch (const CLI::ParseError& e) {
    return usage_error(command, e.what());
  }
  return std::nullopt;
}

void add_fail_on_option(CLI::App& app, std::string& fail_on) {
  app.add_option("--fail-on", fail_on, "lowest severity that makes the exit code 1 (default: warning)")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
}

void add_config_option(CLI::App& app, std::string& config) {
  app.add_option("--config", config, "project configuration file (default: nearest .pgconflint.toml)");
}

void add_color_option(CLI::App& app, std::string& color) {
  app.add_option("--color", color, "colored text output")->check(CLI::IsMember({"auto", "always", "never"}));
}

Result<lint::ProjectConfig> load_project(const std::string& config_option, const std::string& near) {
  const std::optional<std::string> path =
      config_option.empty() ? lint::find_project_config(near) : std::optional<std::string>(config_option);
  if (!path) {
    return lint::ProjectConfig{};
  }
  return lint::load_project_config(*path);
}

lint::FailOn fail_on_for(const std::string& fail_on_option, const lint::ProjectConfig& project) {
  if (!fail_on_option.empty()) {
    return *lint::fail_on_from_string(fail_on_option);
  }
  return project.fail_on.value_or(lint::FailOn::warning);
}

std::optional<int> pg_version_for(int pg_version_option, const lint::ProjectConfig& project) {
  if (pg_version_option != 0) {
    return pg_version_option;
  }
  return project.pg_version;
}

}  // namespace pgl::cli
