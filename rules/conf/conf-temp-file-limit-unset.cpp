// conf-temp-file-limit-unset: temp_file_limit = -1 (the default): no limit on the temporary
// files of one process, which klouddbshield's configuration audit reports. strict profile, a
// note.
#include <string>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/conf_values.hpp"

namespace pgl::rules {
namespace {

class ConfTempFileLimitUnsetRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-temp-file-limit-unset",
                                         "no limit on the temporary files of a session (temp_file_limit = -1)",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "temp_file_limit");
    const auto n = judged_integer(config, v);
    if (!n || *n != -1) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": the temporary files of one session (large sorts, hashes, materialized results) may grow until the "
             "disk is full (klouddbshield's configuration audit asks for a limit)")
        .help("set temp_file_limit to what one session may use, e.g. temp_file_limit = '20GB'");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_temp_file_limit_unset() {
  return std::make_unique<ConfTempFileLimitUnsetRule>();
}

}  // namespace pgl::rules
