// conf-log-directory-in-data: the logging collector writes its files inside the data directory
// (log_directory relative, as the default 'log', or below data_directory). CIS PostgreSQL 17,
// 3.1.27 (as pgdsat numbers it). cis profile.
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogDirectoryInDataRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-directory-in-data",
                                         "log files are written inside the data directory (CIS 3.1.27)",
                                         core::Severity::note, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_directory");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry)) || v->value.empty() ||
        !analysis::is_on(config, "logging_collector")) {
      return;  // empty: conf-log-directory-empty
    }
    std::string data_dir = config.value_or_default("data_directory");
    while (data_dir.size() > 1 && data_dir.back() == '/') {
      data_dir.pop_back();
    }
    const bool relative = !v->value.starts_with("/");
    const bool below = !relative && !data_dir.empty() && data_dir.starts_with("/") &&
                       (v->value == data_dir || v->value.starts_with(data_dir + "/"));
    if (!relative && !below) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             (relative ? ": a relative log directory is inside the data directory"
                       : fmt::format(": the log directory is inside data_directory '{}'", data_dir)) +
             ", so log files share its disk space and are copied with it by base backups (CIS 3.1.27 asks for a "
             "directory outside the data directory)")
        .help("set log_directory to an absolute directory outside the data directory, e.g. '/var/log/postgresql'");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_directory_in_data() {
  return std::make_unique<ConfLogDirectoryInDataRule>();
}

}  // namespace pgl::rules
