// conf-invalid-value: a value the server rejects for the parameter's type, unit, range
// or enum list (spec section 2). At startup the server refuses to start; on reload the
// line is skipped.
#include <set>

#include "analysis/conf_support.hpp"
#include "core/secrets.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfInvalidValueRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-invalid-value", "value the server rejects for this parameter",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const auto& c : config.checked) {
      if (c.status != model::ConfEntryStatus::invalid_value || c.entry == nullptr) {
        continue;
      }
      if (analysis::is_template_entry(config, *c.entry)) {
        continue;  // reported by conf-template-syntax
      }
      std::string message = analysis::is_secret_parameter(c.entry->name)
                                ? "invalid value for parameter \"" + c.entry->name + "\""
                                : core::mask_secrets(c.message);
      std::string help = c.hint.empty() ? std::string(
                                              "write a value of the parameter's type; the server refuses "
                                              "to start with this line (a reload skips it)")
                                        : c.hint;
      diag(ctx, c.entry->value_span, std::move(message)).help(std::move(help));
    }
  }
};

std::unique_ptr<lint::Rule> make_conf_invalid_value() {
  return std::make_unique<ConfInvalidValueRule>();
}

}  // namespace pgl::rules
