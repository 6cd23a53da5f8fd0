// ssl-weak-key: certificate key or DH parameters are too small.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"
#include "tls/strength.hpp"

namespace pgl::rules {

namespace {

class WeakKeyRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-weak-key", "certificate key or DH parameters are too small",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void WeakKeyRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m) {
    return;
  }
  if (m->chain && m->chain->has_value()) {
    bool first = true;
    for (const auto& pc : **m->chain) {
      const auto& key = pc.cert.info().key;
      const std::string why = tls::weak_key_reason(key);
      if (!why.empty()) {
        diag(ctx, ssl::file_span(m->cert_file.path, pc.line),
             fmt::format("{} certificate \"{}\" has a weak {} key: {}", first ? "server" : "intermediate",
                         pc.cert.info().display_name(), key.describe(), why))
            .help("issue a new certificate with an RSA 3072-bit or EC P-256 key")
            .notes(ssl::set_here(config, "ssl_cert_file"));
      }
      first = false;
    }
  }
  if (const auto& dh = m->dh_file; dh && m->dh_bits && m->dh_bits->has_value() && **m->dh_bits < 2048) {
    {
      const int bits = **m->dh_bits;
      diag(ctx, ssl::setting_span(config, "ssl_dh_params_file"),
           fmt::format("DH parameters in \"{}\" are {}-bit: at least 2048 bits are needed", dh->configured, bits))
          .help(
              "generate new ones with `openssl dhparam -out dhparams.pem 2048`, or leave ssl_dh_params_file empty "
              "to use the server's built-in 2048-bit group");
    }
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_weak_key() {
  return std::make_unique<WeakKeyRule>();
}

}  // namespace pgl::rules
