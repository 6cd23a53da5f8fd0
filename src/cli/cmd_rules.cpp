// pgconflint rules [--format text|json] ; pgconflint explain ID
#include <algorithm>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "lint/engine.hpp"
#include "lint/rule.hpp"

namespace pgl::cli {

int cmd_rules(const std::vector<std::string>& args) {
  std::string format = "text";
  CLI::App app{"List every rule: id, default severity, profile, summary.", "pgconflint rules"};
  app.add_option("--format", format, "output format")->check(CLI::IsMember({"text", "json"}));
  if (auto done = parse_options(app, args, "rules")) {
    return *done;
  }
  const auto& rules = lint::registry();
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : rules) {
      const auto& m = r->meta();
      out.push_back({{"id", std::string(m.id)},
                     {"severity", std::string(core::to_string(m.default_severity))},
                     {"profile", std::string(lint::to_string(m.profile))},
                     {"summary", std::string(m.summary)}});
    }
    fmt::print("{}\n", out.dump(2));
    return k_exit_ok;
  }
  std::size_t width = 2;
  for (const auto& r : rules) {
    width = std::max(width, r->meta().id.size());
  }
  fmt::print("{:<{}}  {:<8}  {:<8}  {}\n", "ID", width, "SEVERITY", "PROFILE", "SUMMARY");
  for (const auto& r : rules) {
    const auto& m = r->meta();
    fmt::print("{:<{}}  {:<8}  {:<8}  {}\n", m.id, width, core::to_string(m.default_severity),
               lint::to_string(m.profile), m.summary);
  }
  return k_exit_ok;
}

int cmd_explain(const std::vector<std::string>& args) {
  std::string rule_id;
  CLI::App app{"Print the documentation page of a rule (what it does, why, examples, options).", "pgconflint explain"};
  app.add_option("RULE-ID", rule_id, "rule id, as 'pgconflint rules' lists them")->required();
  if (auto done = parse_options(app, args, "explain")) {
    return *done;
  }
  const std::string& id = rule_id;
  if (lint::find_rule(id) == nullptr) {
    std::vector<std::string_view> known;
    for (const auto& r : lint::registry()) {
      known.push_back(r->meta().id);
    }
    std::string msg = fmt::format("pgconflint explain: unknown rule id '{}'", id);
    if (auto s = lint::suggest_rule_id(id, known)) {
      msg += fmt::format("; did you mean '{}'?", *s);
    } else {
      msg += "; run 'pgconflint rules' for the list";
    }
    fmt::print(stderr, "{}\n", msg);
    return k_exit_error;
  }
  const auto doc = lint::rule_doc(id);
  if (!doc) {
    fmt::print(stderr, "pgconflint explain: rule '{}' has no documentation page\n", id);
    return k_exit_error;
  }
  fmt::print("{}", *doc);
  if (!doc->empty() && doc->back() != '\n') {
    fmt::print("\n");
  }
  return k_exit_ok;
}

}  // namespace pgl::cli
