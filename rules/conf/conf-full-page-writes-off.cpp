// conf-full-page-writes-off: full_page_writes = off: a page partly written at a crash (torn page) cannot be repaired by
// WAL replay.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfFullPageWritesOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-full-page-writes-off",
      "full_page_writes is off: a crash can leave torn pages that WAL replay cannot repair", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::bool_setting_is(config, "full_page_writes", false);
    if (!v) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": after an operating system crash or power loss, a data page written only partly (torn page) "
             "cannot be repaired by WAL replay: silent data corruption")
        .help(
            "set full_page_writes = on (turn it off only on storage that guarantees atomic 8 kB writes, such as ZFS)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_full_page_writes_off() {
  return std::make_unique<ConfFullPageWritesOffRule>();
}

}  // namespace pgl::rules
