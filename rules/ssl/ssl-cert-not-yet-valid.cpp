// ssl-cert-not-yet-valid: a certificate is not valid yet.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CertNotYetValidRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-cert-not-yet-valid", "a certificate is not valid yet",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CertNotYetValidRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m) {
    return;
  }
  for (const auto& ref : m->certificates()) {
    const auto& info = ref.cert.info();
    if (info.not_before > ctx.now) {
      diag(ctx, ssl::file_span(ref.file->path, ref.line),
           fmt::format("{} in \"{}\" is not valid before {} (in {} days)", ref.describe(), ref.file->configured,
                       tls::format_utc(info.not_before), ssl::days_between(ctx.now, info.not_before)))
          .help("check the clock of the machine that issued it; clients that verify it refuse to connect until then")
          .notes(ssl::set_here(config, ref.file->setting));
    }
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_cert_not_yet_valid() {
  return std::make_unique<CertNotYetValidRule>();
}

}  // namespace pgl::rules
