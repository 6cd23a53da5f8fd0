// lint-unused-suppression: a `# pgconflint: disable=...` comment that suppresses nothing,
// names an unknown rule, or is malformed. The findings need the other rules' results, so
// the engine (src/lint/engine.cpp) computes them after every other rule has run; this
// class only carries the rule's identity and metadata.
#include "rules/registry.hpp"

namespace pgl::rules {

class UnusedSuppressionRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "lint-unused-suppression",
      "suppression comment that suppresses nothing, names an unknown rule or is malformed",
      core::Severity::warning,
  };
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}
};

std::unique_ptr<lint::Rule> make_lint_unused_suppression() {
  return std::make_unique<UnusedSuppressionRule>();
}

}  // namespace pgl::rules
