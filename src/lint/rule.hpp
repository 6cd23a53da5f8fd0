// Rule interface. One class per rule in rules/<area>/<id>.cpp, registered explicitly in
// rules/registry.cpp (sorted by id), documented in rules/<area>/<id>.md.
#pragma once

#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/config.hpp"

namespace pgl::lint {

enum class Profile { default_, strict, cis };  // profile a rule belongs to ("default" rules run always)

struct RuleMeta {
  std::string_view id;       // <area>-<what-is-wrong>
  std::string_view summary;  // one line
  core::Severity default_severity;
  Profile profile = Profile::default_;
};

// Everything a rule may read besides the configuration: clock, options. No globals.
struct LintContext {
  std::time_t now = 0;     // reference time (--now), never the wall clock inside a rule
  int expiry_days = 30;    // ssl-cert-expiring window
  std::optional<std::string> server_user;  // --server-user
  std::vector<std::string> expect_hosts;   // --expect-host / hosts = [...]
  std::vector<std::string> extra_ca_files; // --ca
  Profile profile = Profile::default_;     // the selected profile (set by lint::run), for severities that depend on it
  // Repository mode (--repo, `repo = true`): the files are a repository's copy, so a file named
  // by an absolute or data-directory path that does not exist here is a note that it could not
  // be checked, not "the server does not start".
  bool repo = false;
  // Per-rule options from .pgconflint.toml: key "<rule-id>.<option>" -> values.
  std::map<std::string, std::vector<std::string>> options;

  [[nodiscard]] std::vector<std::string> option_list(std::string_view rule, std::string_view key) const;

  void report(core::Diagnostic d) { m_out.push_back(std::move(d)); }
  [[nodiscard]] std::vector<core::Diagnostic>& diagnostics() { return m_out; }

 private:
  std::vector<core::Diagnostic> m_out;
};

class Rule {
 public:
  virtual ~Rule() = default;
  [[nodiscard]] virtual const RuleMeta& meta() const = 0;
  virtual void check(const model::Config& config, LintContext& ctx) const = 0;
};

// All rules, sorted by id (rules/registry.cpp).
[[nodiscard]] const std::vector<std::unique_ptr<Rule>>& registry();
[[nodiscard]] const Rule* find_rule(std::string_view id);
// Doc page of a rule (embedded at build time), if any.
[[nodiscard]] std::optional<std::string_view> rule_doc(std::string_view id);

}  // namespace pgl::lint
