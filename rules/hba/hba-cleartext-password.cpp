// hba-cleartext-password: method `password` (the password itself is sent).
#include <cstddef>
#include <vector>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaCleartextPassword final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-cleartext-password", "`password` authentication sends the password in clear text", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    const auto pick = [](const model::HbaRecord& r) { return r.method == "password"; };
    const analysis::ReachQuery q{{analysis::ConnClass::tcp_plain}, analysis::ReplFilter::any, true, {}};
    for (const auto& [r, reach] : view.reach_live(pick, q)) {
      const bool from_network = reach.verdict == analysis::Verdict::yes;
      auto f =
          diag(ctx, hba::method_span(r),
               from_network ? fmt::format("`password` authentication sends the password in clear text, and "
                                          "unencrypted connections from the network reach this line (e.g. {})",
                                          hba::reach_example(r, view.file(), reach))
                            : std::string("`password` authentication sends the password in clear text to the server"));
      f.help(
          "change `password` to `scram-sha-256` (passwords must be stored as SCRAM: password_encryption = "
          "scram-sha-256, then reset them)");
      if (from_network) {
        f.severity(core::Severity::error);
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_cleartext_password() {
  return std::make_unique<HbaCleartextPassword>();
}

}  // namespace pgl::rules
