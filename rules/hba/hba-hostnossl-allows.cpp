// hba-hostnossl-allows: a hostnossl line that authenticates instead of rejecting.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaHostnosslAllows final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-hostnossl-allows",
                                         "`hostnossl` line that accepts connections instead of rejecting them",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (r.type != model::ConnType::hostnossl || r.method == "reject" || analysis::loopback_only(r) || !view.live(i)) {
        continue;
      }
      const auto exposure = hba::password_exposure(r.method);
      diag(ctx, hba::type_span(r),
           fmt::format("`hostnossl` line accepts connections that are not SSL-encrypted (method `{}`): {} "
                       "cross the network in the clear",
                       r.method,
                       exposure == hba::PasswordExposure::cleartext       ? "the password itself and the session"
                       : exposure == hba::PasswordExposure::hash_response ? "an MD5 challenge response that can "
                                                                            "be attacked offline and the session"
                                                                          : "the session data"))
          .help("change the method to `reject` (the usual use of hostnossl), or change `hostnossl` to `hostssl`");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_hostnossl_allows() {
  return std::make_unique<HbaHostnosslAllows>();
}

}  // namespace pgl::rules
