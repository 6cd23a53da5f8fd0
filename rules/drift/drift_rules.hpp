// Rules of `pgconflint diff` and `check --cluster`. Their findings come from
// diff::diff_nodes; the classes
// exist so that `rules`, `explain`, --fail-on and the renderers know the ids.
#pragma once

#include "lint/rule.hpp"

namespace pgl::rules {

class DriftHbaRule final : public lint::Rule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

class DriftIdentRule final : public lint::Rule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

class DriftSettingRule final : public lint::Rule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

class DriftStandbyTooSmallRule final : public lint::Rule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

class DriftTlsRule final : public lint::Rule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

class DriftWeakerSecurityRule final : public lint::Rule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

}  // namespace pgl::rules
