// conf-log-filename-empty: log_filename = '' with the logging collector on: the collector opens
// the log directory itself as its file and the server does not start ("could not open log file
// "log/": Is a directory", whatever log_destination says). CIS PostgreSQL 17, 3.1.5.
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogFilenameEmptyRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-filename-empty",
                                         "log_filename is empty: the logging collector cannot open its file",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_filename");
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry) || !v->value.empty() ||
        !analysis::is_on(config, "logging_collector")) {
      return;
    }
    const std::string dir = config.value_or_default("log_directory");
    diag(ctx, v->span,
         fmt::format("log_filename = '' with logging_collector = on: the collector opens \"{}/\" as its log file and "
                     "the server does not start (\"Is a directory\"; CIS 3.1.5)",
                     dir))
        .help("set log_filename = 'postgresql-%Y-%m-%d_%H%M%S.log' (the default), or another pattern");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_filename_empty() {
  return std::make_unique<ConfLogFilenameEmptyRule>();
}

}  // namespace pgl::rules
