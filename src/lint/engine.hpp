// The lint engine: selects rules (profile, --enable/--disable, severity overrides), runs
// them over one model::Config, applies `# pgconflint:` suppressions, reports unused or
// unknown suppressions (rule lint-unused-suppression) and sorts the findings.
//
// Used by `check`, the rule fixture driver and any command that lints a configuration:
//
//   auto selection = lint::select_rules(options);          // Result: unknown id -> error
//   lint::LintContext ctx; ctx.now = ...;
//   std::vector<core::Diagnostic> found = lint::run(config, ctx, *selection);
//   int code = lint::exit_code(found, lint::FailOn::warning);
#pragma once

#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "lint/rule.hpp"
#include "model/config.hpp"

namespace pgl::lint {

constexpr std::string_view k_unused_suppression_id = "lint-unused-suppression";

// --fail-on: the lowest severity that makes the exit code 1 (never: always 0).
enum class FailOn { note, warning, error, never };
[[nodiscard]] std::optional<FailOn> fail_on_from_string(std::string_view s);
[[nodiscard]] std::string_view to_string(FailOn f);
[[nodiscard]] std::optional<Profile> profile_from_string(std::string_view s);
[[nodiscard]] std::string_view to_string(Profile p);

// True when a finding of this severity counts against --fail-on.
[[nodiscard]] bool at_or_above(core::Severity s, FailOn fail_on);
// 0 when no finding is at or above fail_on, else 1.
[[nodiscard]] int exit_code(const std::vector<core::Diagnostic>& diagnostics, FailOn fail_on);

struct EngineOptions {
  Profile profile = Profile::default_;
  std::vector<std::string> enable;                 // run these too, whatever their profile
  std::vector<std::string> disable;                // never run these (wins over enable)
  std::map<std::string, core::Severity> severity;  // per-rule severity override
  // When set, run only these rules (the fixture driver); profile and enable are ignored.
  std::optional<std::vector<std::string>> only;
};

struct RuleSelection {
  std::vector<const Rule*> rules;                  // to run, sorted by id
  std::vector<std::string_view> known_ids;         // every id of the rule set (for suppressions)
  std::map<std::string, core::Severity> severity;  // explicit overrides
  bool raise_notes = false;                        // strict profile: note -> warning
  Profile profile = Profile::default_;             // the selected profile (LintContext::profile)
  [[nodiscard]] bool selected(std::string_view id) const;
  [[nodiscard]] const Rule* find(std::string_view id) const;  // nullptr when not selected
};

// Selects from `rules` (the registry by default). Unknown ids in enable/disable/severity/only
// fail with a message naming the id (and a close match, if any).
[[nodiscard]] Result<RuleSelection> select_rules(const EngineOptions& options);
[[nodiscard]] Result<RuleSelection> select_rules(const EngineOptions& options, const std::vector<const Rule*>& rules);

// --- the pipeline: rules produce raw findings, finish() post-processes them once
//
//   check:            finish(run_rules(config), {config.sources}, sel, {config})
//   check --cluster:  finish(run_rules(node)... + run_cluster_rules(facts), {every node's sources}, sel, {config,
//   cluster}) diff:             finish(run_cluster_rules(facts), {every node's sources}, sel, {cluster})

// Which kinds of rules produced the findings given to finish(): a suppression naming a rule
// that did not run (a drift-* id in a one-server `check`) is not reported as unused.
struct RunScope {
  bool config = true;    // Scope::config rules ran
  bool cluster = false;  // Scope::cluster rules ran
};

// Raw findings of the selected Scope::config rules over one configuration.
// ctx.diagnostics() is used as scratch space and left empty.
[[nodiscard]] std::vector<core::Diagnostic> run_rules(const model::Config& config, LintContext& ctx,
                                                      const RuleSelection& selection);
// Raw findings of the selected Scope::cluster rules (drift-*) over the facts of a comparison.
[[nodiscard]] std::vector<core::Diagnostic> run_cluster_rules(const model::ClusterFacts& facts, LintContext& ctx,
                                                              const RuleSelection& selection);
// Every Scope::cluster rule of the registry over the facts, default severities, sorted
// (diff::DiffResult::diagnostics).
[[nodiscard]] std::vector<core::Diagnostic> cluster_findings(const model::ClusterFacts& facts);

// Sorts as std::sort with core::diagnostic_less does (the same order, ties included), moving
// each finding once.
void sort_findings(std::vector<core::Diagnostic>& findings);

// The one post-processing step of every command: inline and file suppressions of the files
// in `sources` (each file once), lint-unused-suppression, severity overrides and the strict
// profile, sorting (core::diagnostic_less) and de-duplication of identical findings.
[[nodiscard]] std::vector<core::Diagnostic> finish(std::vector<core::Diagnostic> found,
                                                   const std::vector<const core::SourceSet*>& sources,
                                                   const RuleSelection& selection, RunScope scope);

// run_rules + finish for one configuration: its findings, suppressions applied, severities
// adjusted, sorted.
[[nodiscard]] std::vector<core::Diagnostic> run(const model::Config& config, LintContext& ctx,
                                                const RuleSelection& selection);

// --now / case.toml `now`: "2026-01-01T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01",
// or seconds since the epoch. Always UTC.
[[nodiscard]] std::optional<std::time_t> parse_timestamp(std::string_view text);

// The closest known rule id to `id` (edit distance), for "did you mean" messages.
[[nodiscard]] std::optional<std::string> suggest_rule_id(std::string_view id,
                                                         const std::vector<std::string_view>& known);

// --- suppressions (exposed for tests) ---
struct Suppression {
  std::string file;
  std::uint32_t line = 0;         // line of the comment
  std::uint32_t column = 0;       // column of the rule id in the comment
  std::uint32_t target_line = 0;  // line it applies to; 0 = whole file (disable-file)
  std::string rule;               // rule id as written
  bool malformed = false;         // `# pgconflint:` with an unknown directive
  std::string directive;          // for malformed ones: what was written
};

// Every `# pgconflint:` directive in a file's text.
[[nodiscard]] std::vector<Suppression> parse_suppressions(const core::SourceFile& file);

}  // namespace pgl::lint
