// hba-md5: method md5 (weak, deprecated hashing); prefer scram-sha-256.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaMd5 final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-md5", "`md5` authentication: use scram-sha-256", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    const model::EffectiveSetting* enc = config.setting("password_encryption");
    const bool enc_md5 = enc && enc->value == "md5";
    for (const auto& [i, r] : view.records()) {
      if (r.method != "md5" || !view.live(i)) {
        continue;
      }
      auto f = diag(ctx, hba::method_span(r),
                    config.pg_version >= 18
                        ? "`md5` authentication: MD5 password hashes are weak and deprecated since PostgreSQL 18"
                        : "`md5` authentication: MD5 password hashes are weak (a stolen hash is enough to log in)");
      if (enc_md5) {
        f.note(hba::setting_span(*enc),
               "password_encryption = md5 set here: new passwords are "
               "stored as MD5 hashes");
      }
      f.help(
          "set password_encryption = scram-sha-256, reset each password, then change `md5` to "
          "`scram-sha-256` (an md5 line already accepts SCRAM-stored passwords meanwhile)");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_md5() {
  return std::make_unique<HbaMd5>();
}

}  // namespace pgl::rules
