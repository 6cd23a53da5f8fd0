// ssl-cert-expiring: a certificate expires within the expiry window.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class CertExpiringRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-cert-expiring", "a certificate expires within the expiry window",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void CertExpiringRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m) {
    return;
  }
  const std::time_t limit = ctx.now + static_cast<std::time_t>(ctx.expiry_days) * 86400;
  for (const auto& ref : m->certificates()) {
    const auto& info = ref.cert.info();
    if (info.not_after >= ctx.now && info.not_after <= limit && info.not_before <= ctx.now) {
      const long days = ssl::days_between(ctx.now, info.not_after);
      diag(ctx, ssl::file_span(ref.file->path, ref.line),
           fmt::format("{} in \"{}\" expires on {} (in {} day{})", ref.describe(), ref.file->configured,
                       tls::format_utc(info.not_after), days, days == 1 ? "" : "s"))
          .help(fmt::format("renew it before it expires (the window is {} days, set with --expiry-days)",
                            ctx.expiry_days))
          .notes(ssl::set_here(config, ref.file->setting));
    }
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_cert_expiring() {
  return std::make_unique<CertExpiringRule>();
}

}  // namespace pgl::rules
