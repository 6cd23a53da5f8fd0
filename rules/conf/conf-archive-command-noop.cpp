// conf-archive-command-noop: archive_mode is on but archive_command archives nothing: either
// a command that succeeds without copying (`/bin/true`, `exit 0`): WAL is reported archived and
// recycled, so there is no archive to recover from; or empty: WAL piles up in pg_wal.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t;");
  return std::string(s.substr(b, e - b + 1));
}

bool is_noop(const std::string& cmd) {
  static constexpr std::string_view k_noops[] = {"true", "/bin/true", "/usr/bin/true", "exit 0", ":"};
  for (auto n : k_noops) {
    if (cmd == n) {
      return true;
    }
  }
  return false;
}

class ConfArchiveCommandNoopRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-archive-command-noop", "archive_mode is on but archive_command archives nothing", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto mode = analysis::view_setting(config, "archive_mode");
    const auto cmd = analysis::view_setting(config, "archive_command");
    if (!mode || !cmd || mode->entry == nullptr) {
      return;
    }
    const std::string m = analysis::lower(trimmed(mode->value));
    const auto b = analysis::parse_bool(m);
    if (m != "always" && !(b && *b)) {
      return;
    }
    if (const auto lib = analysis::view_setting(config, "archive_library"); lib && !trimmed(lib->value).empty()) {
      return;  // an archive module does the archiving
    }
    if ((cmd->entry != nullptr && analysis::is_template_entry(config, *cmd->entry)) ||
        analysis::is_template_entry(config, *mode->entry)) {
      return;
    }
    const std::string c = trimmed(cmd->value);
    if (c.empty()) {
      diag(ctx, cmd->entry != nullptr ? cmd->span : mode->span,
           fmt::format("{} with an empty archive_command: nothing is archived, and the server keeps every WAL "
                       "segment in pg_wal waiting for a command, until the disk is full",
                       mode->describe()))
          .help(
              "set archive_command to a command that copies %p to the archive (or use a backup tool's), or set "
              "archive_mode = off");
      return;
    }
    if (!is_noop(c)) {
      return;
    }
    diag(ctx, cmd->span,
         fmt::format("{} with archive_command = '{}': every WAL segment is reported archived without being copied "
                     "anywhere, so there is no archive for point-in-time recovery or for a standby to catch up from",
                     mode->describe(), c))
        .help(
            "set archive_command to a command that copies %p to the archive (or use a backup tool's), or set "
            "archive_mode = off if no archive is wanted")
        .note(mode->span, "archive_mode set here");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_archive_command_noop() {
  return std::make_unique<ConfArchiveCommandNoopRule>();
}

}  // namespace pgl::rules
