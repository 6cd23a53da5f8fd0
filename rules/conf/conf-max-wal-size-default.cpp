// conf-max-wal-size-default: max_wal_size at its default of 1GB, which klouddbshield's
// configuration audit reports (a busy server then checkpoints by WAL volume rather than by
// checkpoint_timeout). A sizing choice: strict profile, a note.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/conf_values.hpp"

namespace pgl::rules {
namespace {

class ConfMaxWalSizeDefaultRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-max-wal-size-default", "max_wal_size is left at its default of 1GB",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "max_wal_size");
    const auto n = judged_integer(config, v);
    if (!n || *n != 1024) {  // MB
      return;
    }
    diag(ctx, v->span,
         describe_sized(config, *v, *n) + (v->entry != nullptr ? ", the default" : "") +
             ": the server starts a checkpoint whenever about 1GB / (1 + checkpoint_completion_target) of WAL has "
             "been written since the last one, so a write-heavy server checkpoints far more often than "
             "checkpoint_timeout (klouddbshield's configuration audit reports the default)")
        .help(
            "size max_wal_size to the WAL written in one checkpoint_timeout (log_checkpoints shows checkpoints "
            "started by WAL volume), e.g. max_wal_size = '4GB'");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_max_wal_size_default() {
  return std::make_unique<ConfMaxWalSizeDefaultRule>();
}

}  // namespace pgl::rules
