// Project configuration: `.pgconflint.toml`, found by walking up from each checked path,
// or given with --config FILE.
//
//   pg_version = 16
//   profile = "strict"                 # default | strict | cis
//   fail_on = "error"                  # error | warning | note | never
//   enable = ["..."]                   # rule ids
//   disable = ["..."]
//   expiry_days = 30
//   hosts = ["db.example.com"]         # expected certificate host names
//   server_user = "postgres"
//   rule_url = "https://example.com/pgconflint/{area}/{id}.md"  # SARIF helpUri
//   [severity]
//   "hba-md5" = "error"
//   [rules."hba-trust-over-network"]
//   trusted_networks = ["10.0.0.0/8"]  # an option the rule declares (RuleMeta::options)
//   [diff]                             # read by the diff command
//   ignore = ["port"]
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "lint/engine.hpp"

namespace pgl::lint {

constexpr std::string_view k_project_config_name = ".pgconflint.toml";

// A value of the [diff] table (scalars are kept as strings, arrays as lists of strings).
struct ProjectValue {
  std::vector<std::string> values;
  bool is_array = false;
  std::uint32_t line = 0;
};

struct ProjectConfig {
  std::string path;  // file it was read from ("" = none)
  std::optional<int> pg_version;
  std::optional<Profile> profile;
  std::optional<FailOn> fail_on;
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::map<std::string, core::Severity> severity;
  std::map<std::string, OptionValue> options;  // "<rule-id>.<option>" -> validated value (LintContext::options)
  std::optional<int> expiry_days;
  std::vector<std::string> hosts;
  std::optional<std::string> server_user;
  std::optional<std::string> rule_url;  // SARIF helpUri template: {id} and {area} are replaced
  std::optional<bool> repo;             // repo = true: repository mode (LintContext::repo)
  // [diff]: every key as written (the diff command validates its own keys);
  // diff_ignore is diff.ignore for convenience.
  std::map<std::string, ProjectValue> diff;
  std::vector<std::string> diff_ignore;
  std::string text;  // the file's text, for a command that needs to re-parse its own table
};

// Parses the text of a project config and validates it: unknown keys, unknown rule ids
// (in enable, disable, [severity] and [rules."ID"]), options a rule does not declare
// (RuleMeta::options), values of the wrong type, networks that are not CIDRs (read as a
// pg_hba.conf address), integers out of range. Every error is "<path>:<line>:<column>:
// <message>" with a did-you-mean where there is one; all of them are reported, one per
// line (after "<path>: N errors" when there are several).
// `rules` are the valid rules with their declared options.
[[nodiscard]] Result<ProjectConfig> parse_project_config(std::string_view text, const std::string& path,
                                                         const std::vector<RuleMeta>& rules);
// The same with the registry's rules of these ids (all the registry's when empty; an id
// that is not in the registry is a rule without options).
[[nodiscard]] Result<ProjectConfig> parse_project_config(std::string_view text, const std::string& path,
                                                         const std::vector<std::string_view>& known_ids = {});
// Reads and parses a file.
[[nodiscard]] Result<ProjectConfig> load_project_config(const std::string& path);
// Walks up from `start` (a file or directory) to the filesystem root and returns the first
// `.pgconflint.toml` found.
[[nodiscard]] std::optional<std::string> find_project_config(const std::string& start);

}  // namespace pgl::lint
