// conf-log-file-mode-open: log_file_mode looser than 0600 while the collector writes log files. CIS PostgreSQL
// 17, 3.1.6.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogFileModeOpenRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-file-mode-open",
                                         "log files are readable by others than the server user (CIS 3.1.6)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_file_mode");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    if (!analysis::is_on(config, "logging_collector") ||
        (!analysis::logs_to(config, "stderr") && !analysis::logs_to(config, "csvlog") &&
         !analysis::logs_to(config, "jsonlog"))) {
      return;  // the server writes no log files of its own
    }
    const auto n = analysis::base_integer(config, *v);
    if (!n || (*n & ~0600LL) == 0) {
      return;
    }
    diag(ctx, v->span,
         v->describe() + fmt::format(": log files are created with mode {:04o}, readable by "
                                     "others than the server user (CIS 3.1.6 asks for 0600)",
                                     *n))
        .help("set log_file_mode = 0600");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_file_mode_open() {
  return std::make_unique<ConfLogFileModeOpenRule>();
}

}  // namespace pgl::rules
