// conf-fsync-off: fsync = off: WAL and data are never forced to disk; an OS crash or power loss can corrupt the
// cluster.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfFsyncOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-fsync-off", "fsync is off: an operating system crash can corrupt the cluster", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "fsync", false);
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": the server never forces WAL and data to disk, so an operating system crash or power loss "
             "can leave the cluster corrupt beyond repair")
        .help(
            "set fsync = on; to trade durability for speed, synchronous_commit = off loses at most the latest commits "
            "on a "
            "crash and never corrupts data");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_fsync_off() {
  return std::make_unique<ConfFsyncOffRule>();
}

}  // namespace pgl::rules
