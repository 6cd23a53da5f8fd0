// conf-log-error-verbosity-not-verbose: log_error_verbosity = default (set or left so): the
// SQLSTATE code and the server source location are not logged. CIS PostgreSQL 17, 3.1.22, as
// pgdsat and klouddbshield check it (verbose). `terse` is conf-log-error-verbosity-terse's.
// cis profile, a note.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfLogErrorVerbosityNotVerboseRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-error-verbosity-not-verbose",
                                         "log_error_verbosity is default, not verbose as CIS 3.1.22 asks",
                                         core::Severity::note, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_error_verbosity");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry)) ||
        analysis::lower(analysis::trim(v->value)) != "default") {
      return;
    }
    // %e in log_line_prefix logs the SQLSTATE code whatever the verbosity.
    const bool sqlstate = config.value_or_default("log_line_prefix").find("%e") != std::string::npos;
    diag(ctx, v->span,
         v->describe() +
             (sqlstate ? ": log entries do not say the source file, function and line that reported them"
                       : ": log entries carry neither the SQLSTATE code nor the source file, function and line that "
                         "reported them") +
             " (CIS 3.1.22 asks for verbose)")
        .help("set log_error_verbosity = verbose");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_error_verbosity_not_verbose() {
  return std::make_unique<ConfLogErrorVerbosityNotVerboseRule>();
}

}  // namespace pgl::rules
