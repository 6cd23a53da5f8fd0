#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "cli/dump.hpp"

namespace pgl::cli {

namespace {

struct DumpKind {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>&);
};

constexpr DumpKind k_kinds[] = {
    {"hba", "pg_hba_file_rules of a pg_hba.conf", dump_hba},
    {"conf", "pg_file_settings of a postgresql.conf", dump_conf},
    {"ident", "pg_ident_file_mappings of a pg_ident.conf", dump_ident},
};

}  // namespace

int cmd_dump(const std::vector<std::string>& args) {
  if (describing()) {
    for (const auto& k : k_kinds) {
      (void)k.run({});
    }
    return k_exit_ok;
  }
  std::vector<std::string> names;
  for (const auto& k : k_kinds) {
    names.emplace_back(k.name);
  }
  if (!args.empty() && !args[0].starts_with("-")) {
    for (const auto& k : k_kinds) {
      if (args[0] == k.name) {
        return k.run(std::vector<std::string>(args.begin() + 1, args.end()));
      }
    }
    if (args[0] == "value") {  // hidden: validate one parameter value (used by the value tests)
      return dump_value(std::vector<std::string>(args.begin() + 1, args.end()));
    }
    std::string msg = fmt::format("unknown kind '{}' (expected hba, conf or ident)", args[0]);
    if (auto s = suggest(args[0], names)) {
      msg = fmt::format("unknown kind '{}'; did you mean '{}'?", args[0], *s);
    }
    return usage_error("dump", msg);
  }
  CLI::App app{
      "Print, as a JSON array, the rows the server's view would show for FILE. "
      "Run 'pgconflint dump KIND --help' for the options of a kind.",
      "pgconflint dump"};
  for (const auto& k : k_kinds) {
    app.add_subcommand(k.name, k.summary);
  }
  app.require_subcommand(1);
  style_app(app);
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    fmt::print("{}", app.help());
    return k_exit_ok;
  }
  fmt::print(stderr, "{}", app.help());
  return usage_error("dump", args.empty() ? "KIND is required (hba, conf or ident)"
                                          : fmt::format("unknown option '{}' (KIND comes first)", args[0]));
}

}  // namespace pgl::cli
