// Rules of `pgconflint diff` and `check --cluster` (lint::Scope::cluster). src/diff compares
// the nodes and produces facts (model::DriftFact); each rule reports the facts of its kind
// as findings with its own id and severity, which the lint engine then post-processes like
// every other finding (suppressions, overrides, --fail-on).
#pragma once

#include "lint/rule.hpp"

namespace pgl::rules {

// One finding of `rule` per fact of `kind`: the fact's location, message, help and notes.
class DriftRule : public lint::Rule {
 protected:
  void report_drift(model::DriftKind kind, const model::ClusterFacts& facts, lint::LintContext& ctx) const {
    for (const auto& f : facts.drift) {
      if (f.kind == kind) {
        diag(ctx, f.span, f.message).help(f.help).notes(f.related);
      }
    }
  }
};

class DriftHbaRule final : public DriftRule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}
  void check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const override;
};

class DriftIdentRule final : public DriftRule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}
  void check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const override;
};

class DriftSettingRule final : public DriftRule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}
  void check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const override;
};

class DriftStandbyTooSmallRule final : public DriftRule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}
  void check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const override;
};

class DriftTlsRule final : public DriftRule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}
  void check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const override;
};

class DriftWeakerSecurityRule final : public DriftRule {
 public:
  [[nodiscard]] const lint::RuleMeta& meta() const override;
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}
  void check_cluster(const model::ClusterFacts& facts, lint::LintContext& ctx) const override;
};

}  // namespace pgl::rules
