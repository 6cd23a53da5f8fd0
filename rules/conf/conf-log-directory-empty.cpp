// conf-log-directory-empty: log_directory = '' with the logging collector on: the file name is
// appended to "" + "/", so the collector writes into the root directory, which the server's
// user cannot write: the server does not start ("could not open log file "/postgresql-...log":
// Permission denied"). CIS PostgreSQL 17, 3.1.4.
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogDirectoryEmptyRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-log-directory-empty", "log_directory is empty: the logging collector writes to /", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_directory");
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry) || !v->value.empty() ||
        !analysis::is_on(config, "logging_collector")) {
      return;
    }
    diag(ctx, v->span,
         fmt::format("log_directory = '' with logging_collector = on: log files are created in the root directory "
                     "(\"/{}\"), which the server's OS user cannot write, so the server does not start (CIS 3.1.4)",
                     config.value_or_default("log_filename")))
        .help("set log_directory = 'log' (the default, inside the data directory) or an absolute directory");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_directory_empty() {
  return std::make_unique<ConfLogDirectoryEmptyRule>();
}

}  // namespace pgl::rules
