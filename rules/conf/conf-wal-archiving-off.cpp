// conf-wal-archiving-off: archive_mode off (the default): WAL is not archived. CIS PostgreSQL
// 17, 7.4 "Ensure WAL archiving is configured and functional", as pgdsat and klouddbshield
// check it (an archive_mode on without a command is conf-archive-command-noop's). cis profile.
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfWalArchivingOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-wal-archiving-off", "WAL is not archived: archive_mode is off (CIS 7.4)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto mode = analysis::view_setting(config, "archive_mode");
    if (!mode || (mode->entry != nullptr && analysis::is_template_entry(config, *mode->entry))) {
      return;
    }
    const auto on = analysis::parse_bool(analysis::lower(analysis::trim(mode->value)));
    if (!on || *on) {
      return;  // on, always (or not a value the server accepts: conf-invalid-value)
    }
    const bool has_library = analysis::view_setting(config, "archive_library").has_value();  // 15 and later
    diag(ctx, mode->span,
         fmt::format("{}: WAL is not archived, so there is no point-in-time recovery: a restore can only go back to "
                     "the end of a base backup (CIS 7.4 asks for archive_mode = on with an archive_command{})",
                     mode->describe(), has_library ? " or archive_library" : ""))
        .help(fmt::format("set archive_mode = on and archive_command{} to copy each WAL segment to the archive (a "
                          "backup tool's, e.g. pgbackrest's archive-push %p); a restart is needed",
                          has_library ? " (or archive_library)" : ""));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_wal_archiving_off() {
  return std::make_unique<ConfWalArchivingOffRule>();
}

}  // namespace pgl::rules
