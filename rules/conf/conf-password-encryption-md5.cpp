// conf-password-encryption-md5: new passwords are stored as MD5 hashes. MD5 password
// hashes are replayable from a leaked pg_authid and are deprecated in PostgreSQL 18.
// Fires on an explicit md5 (or the 12-13 aliases on/true/yes/1) and on the 12-13 default.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfPasswordEncryptionMd5Rule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-password-encryption-md5",
                                         "password_encryption stores new passwords as MD5 hashes",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf) {
      return;
    }
    const auto* s = config.setting("password_encryption");
    const std::string value = analysis::lower(s ? s->value : config.value_or_default("password_encryption"));
    const bool alias = config.pg_version <= 13 && (value == "on" || value == "true" || value == "yes" || value == "1");
    if (value != "md5" && !alias) {
      return;
    }
    const std::string help =
        "set password_encryption = 'scram-sha-256', then have each user set the password again (ALTER ROLE ... "
        "PASSWORD) and switch md5 lines of pg_hba.conf to scram-sha-256";
    if (s != nullptr && s->entry != nullptr) {
      std::string msg = alias ? fmt::format("password_encryption = {} means md5: ", s->value)
                              : std::string("password_encryption = md5: ");
      msg += "new and changed passwords are stored as MD5 hashes, which a leaked pg_authid lets anyone replay";
      diag(ctx, s->entry->value_span, std::move(msg)).help(help);
    } else {
      diag(ctx, analysis::whole_file(config.conf->main_file),
           fmt::format("password_encryption is not set and defaults to md5 in PostgreSQL {}: passwords are stored "
                       "as MD5 hashes",
                       config.pg_version))
          .help(help);
    }
  }
};

std::unique_ptr<lint::Rule> make_conf_password_encryption_md5() {
  return std::make_unique<ConfPasswordEncryptionMd5Rule>();
}

}  // namespace pgl::rules
