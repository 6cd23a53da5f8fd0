// Rule interface. One class per rule in rules/<area>/<id>.cpp, registered explicitly in
// rules/registry.cpp (sorted by id), documented in rules/<area>/<id>.md.
//
// A rule reports through diag(), bound to the rule itself: the finding gets the rule's id
// and default severity, and location, message, help and related notes are given in one
// place:
//
//   diag(ctx, span, "message").help("the fix").note(other_span, "first set here");
//
// Every rule reports through diag() (or LintContext::diag(meta, ...) from a static helper);
// there is no other way in.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/config.hpp"
#include "model/drift.hpp"

namespace pgl::lint {

enum class Profile { default_, strict, cis };  // profile a rule belongs to ("default" rules run always)

// What a rule looks at: one server's configuration (`check`), or the facts of comparing
// several nodes (`diff`, `check --cluster`).
enum class Scope { config, cluster };

// Rule options: [rules."<id>"] name = value in .pgconflint.toml. A rule declares each option
// it reads in RuleMeta::options; the project configuration is validated against the
// declarations when it is read (every unknown option and bad value is an error, all at
// once), and the rule reads the validated value through Rule::option_*(ctx, declaration).
enum class OptionType {
  string,        // "text"
  string_list,   // ["a", "b"]
  integer,       // 30 (between min and max)
  boolean,       // true | false
  network_list,  // ["10.0.0.0/8", "::1"]: CIDRs as an address of pg_hba.conf (a bare address is one host)
  choice,        // "one" of `choices`
};

// How a type is written in messages and docs ("list of CIDRs").
[[nodiscard]] std::string_view option_type_name(OptionType type);

struct RuleOption {
  std::string_view name;
  OptionType type = OptionType::string;
  std::string_view summary;         // one line
  std::string_view default_text{};  // the value when unset, as the doc says it ("`postgres`")
  long long min = 0;                // integer: the accepted range
  long long max = 0;
  std::span<const std::string_view> choices{};  // choice: the accepted values
};

// A validated option value; the member for the option's type is set.
struct OptionValue {
  std::vector<std::string> strings;    // string and choice (one), string_list
  std::vector<model::IpNet> networks;  // network_list (as written: host bits are kept)
  long long integer = 0;
  bool boolean = false;
};

struct RuleMeta {
  std::string_view id;       // <area>-<what-is-wrong>
  std::string_view summary;  // one line
  core::Severity default_severity;
  Profile profile = Profile::default_;
  Scope scope = Scope::config;
  std::span<const RuleOption> options{};  // options the rule reads (validated when the config is read)
};

// One finding under construction, already stored in its LintContext. Cheap to copy; valid
// until the next finding is reported.
class FindingBuilder {
 public:
  FindingBuilder(std::vector<core::Diagnostic>& out, std::size_t index) : m_out(&out), m_index(index) {}
  // The fix.
  FindingBuilder& help(std::string text);
  // A related location ("first set here", "the primary's line").
  FindingBuilder& note(core::Span span, std::string message);
  FindingBuilder& notes(std::vector<core::Related> related);
  // A severity other than the rule's default, for the cases its doc page names.
  FindingBuilder& severity(core::Severity s);
  [[nodiscard]] core::Diagnostic& diagnostic() { return (*m_out)[m_index]; }

 private:
  std::vector<core::Diagnostic>* m_out;
  std::size_t m_index;
};

// Everything a rule may read besides the configuration: clock, options. No globals.
class LintContext {
 public:
  std::time_t now = 0;                      // reference time (--now), never the wall clock inside a rule
  int expiry_days = 30;                     // ssl-cert-expiring window
  std::optional<std::string> server_user;   // --server-user
  std::vector<std::string> expect_hosts;    // --expect-host / hosts = [...]
  std::vector<std::string> extra_ca_files;  // --ca
  Profile profile = Profile::default_;      // the selected profile (set by lint::run), for severities that depend on it
  // Repository mode (--repo, `repo = true`): the files are a repository's copy, so a file named
  // by an absolute or data-directory path that does not exist here is a note that it could not
  // be checked, not "the server does not start".
  bool repo = false;
  // Per-rule options from .pgconflint.toml, validated against the rules' declarations:
  // key "<rule-id>.<option>". Rules read them through Rule::option_*.
  std::map<std::string, OptionValue> options;

  // The value of `option` of `meta`'s rule, null when not set. std::logic_error when the
  // rule does not declare `option` (name and type) in meta.options: a rule reads only what
  // it declares.
  [[nodiscard]] const OptionValue* option(const RuleMeta& meta, const RuleOption& option) const;

  // A new finding of `meta`'s rule, at its default severity (Rule::diag is the usual way in).
  FindingBuilder diag(const RuleMeta& meta, core::Span span, std::string message);
  [[nodiscard]] std::vector<core::Diagnostic>& diagnostics() { return m_out; }

  // A fact derived from one configuration (e.g. its TLS files, rules/ssl/ssl_common.hpp),
  // computed by `make` (returning std::shared_ptr<const T>, possibly null) on first use and
  // shared by every rule that asks for it afterwards. The engine forgets them between
  // configurations (lint::run_rules).
  template <class T, class Make>
  std::shared_ptr<const T> fact(const model::Config& config, Make&& make) {
    const FactKey key{&config, std::type_index(typeid(T))};
    auto it = m_facts.find(key);
    if (it == m_facts.end()) {
      std::shared_ptr<const T> made = std::forward<Make>(make)();
      it = m_facts.emplace(key, std::shared_ptr<const void>(std::move(made))).first;
    }
    return std::static_pointer_cast<const T>(it->second);
  }
  void forget_facts() { m_facts.clear(); }

 private:
  using FactKey = std::pair<const model::Config*, std::type_index>;
  std::vector<core::Diagnostic> m_out;
  std::map<FactKey, std::shared_ptr<const void>> m_facts;
};

class Rule {
 public:
  virtual ~Rule() = default;
  [[nodiscard]] virtual const RuleMeta& meta() const = 0;
  virtual void check(const model::Config& config, LintContext& ctx) const = 0;
  // Scope::cluster rules: the facts of comparing the nodes (model/drift.hpp).
  virtual void check_cluster(const model::ClusterFacts& /*facts*/, LintContext& /*ctx*/) const {}
  // True for a rule that asks the pg_hba.conf first-match model's answers (which wait for
  // the model's threads): the engine runs the other rules first, beside those threads.
  // Only the speed depends on it.
  [[nodiscard]] virtual bool asks_hba_model() const { return false; }

 protected:
  // A finding of this rule (its id, its default severity).
  FindingBuilder diag(LintContext& ctx, core::Span span, std::string message) const {
    return ctx.diag(meta(), std::move(span), std::move(message));
  }

  // The value of one of this rule's declared options (meta().options), by type; empty /
  // nullopt when .pgconflint.toml does not set it. std::logic_error for an undeclared
  // option or the wrong accessor for its type.
  [[nodiscard]] std::vector<std::string> option_strings(const LintContext& ctx, const RuleOption& o) const;
  [[nodiscard]] std::vector<model::IpNet> option_networks(const LintContext& ctx, const RuleOption& o) const;
  [[nodiscard]] std::optional<long long> option_integer(const LintContext& ctx, const RuleOption& o) const;
  [[nodiscard]] std::optional<bool> option_bool(const LintContext& ctx, const RuleOption& o) const;
};

// All rules, sorted by id (rules/registry.cpp).
[[nodiscard]] const std::vector<std::unique_ptr<Rule>>& registry();
[[nodiscard]] const Rule* find_rule(std::string_view id);
// Doc page of a rule (embedded at build time), if any.
[[nodiscard]] std::optional<std::string_view> rule_doc(std::string_view id);

}  // namespace pgl::lint
