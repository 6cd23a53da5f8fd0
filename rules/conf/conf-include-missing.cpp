// conf-include-missing: include / include_dir directives the server cannot follow
// (missing target, unreadable directory entry, empty name, self-inclusion, nesting deeper
// than 10, a target that is no regular text file: directory, FIFO, device, NUL bytes, too
// large, more than 5,000 files; postgresql.auto.conf too). Each rejects the whole configuration. include_if_exists is
// never reported.
#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

namespace {
std::string help_for(model::ConfProblemKind kind) {
  switch (kind) {
    case model::ConfProblemKind::include_missing:
      return "create the file, fix the path (relative paths resolve against the directory of the including "
             "file), or use include_if_exists for an optional file";
    case model::ConfProblemKind::include_dir_missing:
      return "create the directory or fix the path (relative paths resolve against the directory of the "
             "including file)";
    case model::ConfProblemKind::stat_failed: return "remove the dangling symbolic link or file from the directory";
    case model::ConfProblemKind::empty_include_name:
      return "give the file or directory name in quotes, e.g. include_dir 'conf.d'";
    case model::ConfProblemKind::recursion: return "remove the directive: a file cannot include itself";
    case model::ConfProblemKind::depth_exceeded:
      return "includes nest at most 10 levels below postgresql.conf; look for a cycle of includes";
    case model::ConfProblemKind::include_unreadable:
      return "name a regular text file (not a directory, FIFO or device, no NUL bytes, at most 64 MiB); use "
             "include_dir for a directory";
    default: return {};
  }
}
}  // namespace

class ConfIncludeMissingRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-include-missing", "include or include_dir directive the server cannot follow", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf) {
      return;
    }
    for (const auto& item : config.conf->items) {
      if (!item.problem) {
        continue;
      }
      const auto& p = *item.problem;
      switch (p.kind) {
        case model::ConfProblemKind::include_missing:
        case model::ConfProblemKind::include_dir_missing:
          if (ctx.repo) {
            // Repository mode: the target is not in this copy; that says nothing about the server.
            diag(ctx, p.span,
                 fmt::format("{}: not in this copy, so it could not be checked (repository mode)", p.log_message))
                .help(
                    "check the included file on the server, or pass --root DIR where a copy of the server's "
                    "files is")
                .severity(core::Severity::note);
            break;
          }
          diag(ctx, p.span, p.log_message).help(help_for(p.kind));
          break;
        case model::ConfProblemKind::stat_failed:
        case model::ConfProblemKind::empty_include_name:
        case model::ConfProblemKind::recursion:
        case model::ConfProblemKind::depth_exceeded:
        case model::ConfProblemKind::include_unreadable: diag(ctx, p.span, p.log_message).help(help_for(p.kind)); break;
        default: break;
      }
    }
  }
};

std::unique_ptr<lint::Rule> make_conf_include_missing() {
  return std::make_unique<ConfIncludeMissingRule>();
}

}  // namespace pgl::rules
