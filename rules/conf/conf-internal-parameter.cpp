// conf-internal-parameter: a read-only (internal) parameter such as block_size or
// server_version set in a file. The server rejects the entry and refuses to start.
#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfInternalParameterRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-internal-parameter", "read-only parameter set in a configuration file",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const auto& c : config.checked) {
      if (c.status != model::ConfEntryStatus::internal || c.entry == nullptr) {
        continue;
      }
      std::string message = c.message.empty() ? "parameter \"" + c.entry->name + "\" cannot be changed" : c.message;
      message += "; it is read-only (fixed when the server was built or the cluster was initialized)";
      diag(ctx, c.entry->name_span, std::move(message))
          .help("remove the line: the server refuses to start while it is present");
    }
  }
};

std::unique_ptr<lint::Rule> make_conf_internal_parameter() {
  return std::make_unique<ConfInternalParameterRule>();
}

}  // namespace pgl::rules
