// ssl-key-mismatch: the private key does not belong to the server certificate.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class KeyMismatchRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ssl-key-mismatch", "the private key does not belong to the server certificate", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void KeyMismatchRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m || !m->leaf() || !m->key || !m->key->has_value() || !(*m->key)->key || (*m->key)->encrypted ||
      (*m->key)->format != tls::KeyFormat::pem) {
    return;
  }
  auto rc = tls::check_key_matches(*m->leaf(), *(*m->key)->key);
  if (!rc) {
    diag(ctx, ssl::setting_span(config, "ssl_key_file"),
         fmt::format("check of private key failed: {}", rc.error().message))
        .help(fmt::format("private key file \"{}\" does not belong to certificate \"{}\" in \"{}\": install the key "
                          "the certificate was issued for",
                          m->key_file.configured, m->leaf()->info().display_name(), m->cert_file.configured))
        .notes(ssl::set_here(config, "ssl_cert_file"));
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_key_mismatch() {
  return std::make_unique<KeyMismatchRule>();
}

}  // namespace pgl::rules
