// hba-cert-without-ca: client certificates are required but no CA store is configured.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaCertWithoutCa final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-cert-without-ca", "client certificate checks while ssl_ca_file is empty",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.hba || !config.conf || hba::hba_template(config)) {
      return;  // without postgresql.conf, ssl_ca_file is unknown
    }
    if (!config.value_or_default("ssl_ca_file").empty()) {
      return;
    }
    const model::EffectiveSetting* ca = config.setting("ssl_ca_file");
    for (const auto& r : config.hba->records) {
      if (r.fatal || r.view_null) {
        continue;
      }
      const model::HbaOption* cc = hba::find_option(r, "clientcert");
      const bool cc_verifies = cc && (cc->value == "verify-ca" || cc->value == "verify-full" ||
                                      (config.pg_version <= 13 && cc->value == "1"));
      if (r.method != "cert" && !cc_verifies) {
        continue;
      }
      auto f = diag(ctx, r.method == "cert" ? hba::method_span(r) : hba::span_or_line(cc->span, r.file, r.line),
                    fmt::format("{} needs a root certificate store, but ssl_ca_file is empty: every connection "
                                "matching this line fails with \"client certificates can only be checked if a root "
                                "certificate store is available\"",
                                r.method == "cert" ? std::string("`cert` authentication")
                                                   : fmt::format("`clientcert={}`", cc->value)));
      if (ca) {
        f.note(hba::setting_span(*ca), "ssl_ca_file set to an empty string here");
      }
      f.help("set ssl_ca_file to the file holding the CA certificates that issued the client certificates");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_cert_without_ca() {
  return std::make_unique<HbaCertWithoutCa>();
}

}  // namespace pgl::rules
