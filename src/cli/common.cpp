#include "cli/common.hpp"

#include <unistd.h>

#include <algorithm>
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

int usage_error_plain(std::string_view message) {
  fmt::print(stderr, "pgconflint: {}\n", message);
  return k_exit_error;
}

namespace {

// Edits (insert, delete, substitute, swap two neighbours) between two short words.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<CommandDoc>* g_describe = nullptr;

void capture_defaults(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_type_size() == 0 || opt->get_name() == "--help") {
      continue;  // flags
    }
    opt->capture_default_str();
    // 0 and -1 stand for "not given" (the description says what applies then).
    const std::string d = opt->get_default_str();
    if (d == "0" || d == "-1" || d == "[]") {
      opt->default_str("");
    }
  }
}

std::vector<std::string> choices_of(const std::string& type_name) {
  // CLI::IsMember shows as TEXT:{a,b,c}
  std::vector<std::string> out;
  const auto open = type_name.find('{');
  const auto close = type_name.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return out;
  }
  std::string cur;
  for (char c : type_name.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) {
    out.push_back(cur);
  }
  return out;
}

CommandDoc record(CLI::App& app, std::string_view command) {
  CommandDoc doc;
  doc.name = std::string(command);
  doc.description = app.get_description();
  doc.help = app.help();
  for (const CLI::Option* opt : app.get_options()) {
    OptionDoc o;
    o.positional = opt->get_positional() && opt->get_snames().empty() && opt->get_lnames().empty();
    if (o.positional) {
      o.names.push_back(opt->get_name());
    } else {
      for (const auto& s : opt->get_snames()) {
        o.names.push_back("-" + s);
      }
      for (const auto& l : opt->get_lnames()) {
        o.names.push_back("--" + l);
      }
    }
    o.value_name = opt->get_type_size() == 0 ? std::string() : opt->get_type_name();
    if (const auto colon = o.value_name.find(':'); colon != std::string::npos) {
      o.value_name = o.value_name.substr(0, colon);
    }
    o.description = opt->get_description();
    o.default_value = opt->get_default_str();
    o.choices = choices_of(opt->get_type_name());
    o.repeatable = opt->get_expected_max() > 1;
    doc.options.push_back(std::move(o));
  }
  return doc;
}

// An option the app does not know, with the closest one it does.
std::optional<std::string> unknown_option(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& l : opt->get_lnames()) {
      names.push_back("--" + l);
    }
    for (const auto& s : opt->get_snames()) {
      names.push_back("-" + s);
    }
  }
  for (const auto& arg : args) {
    if (arg == "--") {
      break;
    }
    if (arg.size() < 2 || arg[0] != '-' || (arg[1] >= '0' && arg[1] <= '9')) {
      continue;
    }
    std::string name = arg.substr(0, arg.find('='));
    if (name.size() > 2 && name[1] != '-') {
      name = name.substr(0, 2);  // -qV, -Vfile: the first short option
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      continue;
    }
    std::string msg = fmt::format("unknown option '{}'", name);
    if (auto s = suggest(name, names)) {
      msg += fmt::format("; did you mean '{}'?", *s);
    }
    return msg + " (see --help)";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates) {
  // More edits than this is no typo.
  const std::size_t limit = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

void style_app(CLI::App& app) {
  app.get_formatter()->column_width(34);
  app.get_formatter()->label("REQUIRED", "(required)");
}

bool describing() {
  return g_describe != nullptr;
}

std::vector<CommandDoc> describe(int (*run)(const std::vector<std::string>&)) {
  std::vector<CommandDoc> docs;
  g_describe = &docs;
  try {
    run({});
  } catch (...) {
    g_describe = nullptr;
    throw;
  }
  g_describe = nullptr;
  return docs;
}

std::optional<int> parse_options(CLI::App& app, const std::vector<std::string>& args, std::string_view command) {
  style_app(app);
  capture_defaults(app);
  if (g_describe != nullptr) {
    g_describe->push_back(record(app, command));
    return k_exit_ok;
  }
  if (std::find(args.begin(), args.end(), "-h") == args.end() &&
      std::find(args.begin(), args.end(), "--help") == args.end()) {
    if (auto msg = unknown_option(app, args)) {
      return usage_error(command, *msg);
    }
  }
  // CLI11 takes the arguments last first.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return k_exit_ok;
  } catch (const CLI::ParseError& e) {
    // The message, then the usage line of the help.
    const std::string help = app.help();
    const auto at = help.find("Usage: ");
    std::string usage;
    if (at != std::string::npos) {
      usage = help.substr(at + 7, help.find('\n', at) - at - 7);
    }
    return usage_error(
        command, usage.empty() ? std::string(e.what()) : fmt::format("{}\nusage: {} (see --help)", e.what(), usage));
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
