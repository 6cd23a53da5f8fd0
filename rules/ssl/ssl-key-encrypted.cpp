// ssl-key-encrypted: the private key needs a passphrase the server cannot obtain.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class KeyEncryptedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ssl-key-encrypted", "the private key needs a passphrase the server cannot obtain", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void KeyEncryptedRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m || !m->key || !m->key->has_value()) {
    return;
  }
  const auto& kf = **m->key;
  if (!kf.encrypted || kf.format == tls::KeyFormat::der) {
    return;  // a DER key cannot be loaded at all: ssl-file-missing
  }
  const auto span = ssl::setting_span(config, "ssl_key_file");
  const std::string command = config.value_or_default("ssl_passphrase_command");
  if (command.empty()) {
    diag(ctx, span,
         fmt::format("private key file \"{}\" is protected by a passphrase and ssl_passphrase_command is not set: "
                     "the server prompts on its terminal at start (and fails without one) and cannot reload it",
                     m->key_file.configured))
        .help(
            "set ssl_passphrase_command (and ssl_passphrase_command_supports_reload = on), or store the key "
            "unencrypted with mode 0600")
        .severity(core::Severity::error);
    return;
  }
  const bool reload =
      ssl::parse_bool(config.value_or_default("ssl_passphrase_command_supports_reload")).value_or(false);
  if (!reload) {
    diag(ctx, span,
         fmt::format("private key file \"{}\" needs a passphrase and ssl_passphrase_command_supports_reload is off: "
                     "a reload fails with `private key file \"{}\" cannot be reloaded because it requires a "
                     "passphrase`",
                     m->key_file.configured, m->key_file.configured))
        .help("set ssl_passphrase_command_supports_reload = on if the command can run without a terminal")
        .notes(ssl::set_here(config, "ssl_passphrase_command"))
        .severity(core::Severity::note);
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_key_encrypted() {
  return std::make_unique<KeyEncryptedRule>();
}

}  // namespace pgl::rules
