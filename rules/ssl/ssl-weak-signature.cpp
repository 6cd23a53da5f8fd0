// ssl-weak-signature: a certificate is signed with MD5 or SHA-1.
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

class WeakSignatureRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-weak-signature", "a certificate is signed with MD5 or SHA-1",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void WeakSignatureRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m) {
    return;
  }
  for (const auto& ref : m->certificates()) {
    const auto& info = ref.cert.info();
    if (tls::weak_signature(info)) {
      diag(ctx, ssl::file_span(ref.file->path, ref.line),
           fmt::format("{} in \"{}\" is signed with {} ({}), which is broken for signatures", ref.describe(),
                       ref.file->configured, tls::weak_digest_name(info), info.signature_algorithm))
          .help(
              "have it re-issued with a SHA-256 (or stronger) signature; OpenSSL 3 at security level 1+ rejects "
              "SHA-1 and MD5 signatures")
          .notes(ssl::set_here(config, ref.file->setting));
    }
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_weak_signature() {
  return std::make_unique<WeakSignatureRule>();
}

}  // namespace pgl::rules
