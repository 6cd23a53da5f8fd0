// hba-hostssl-while-ssl-off: hostssl lines cannot match while the server has ssl off.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaHostsslWhileSslOff final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-hostssl-while-ssl-off", "`hostssl` line that can never match because ssl is off", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.hba || ssl_may_be_on(config) || hba::hba_template(config)) {
      return;
    }
    const model::EffectiveSetting* ssl = config.setting("ssl");
    for (const auto& r : config.hba->records) {
      if (r.type != model::ConnType::hostssl || r.fatal || r.view_null) {
        continue;
      }
      std::string message = ssl ? fmt::format("`hostssl` line can never match: ssl is off (`ssl = {}`)", ssl->value)
                                : std::string("`hostssl` line can never match: ssl is off (the default)");
      message += "; the server logs \"hostssl record cannot match because SSL is disabled\"";
      auto f = diag(ctx, hba::type_span(r), std::move(message));
      if (ssl) {
        f.note(hba::setting_span(*ssl), fmt::format("ssl = {} set here", ssl->value));
      }
      f.help("set ssl = on in postgresql.conf (with ssl_cert_file and ssl_key_file), or remove this line");
    }
  }

 private:
  static bool ssl_may_be_on(const model::Config& config) {
    // Unknown (no postgresql.conf read, a value that is no boolean): assume on.
    return analysis::ssl_setting(config).value_or(true);
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_hostssl_while_ssl_off() {
  return std::make_unique<HbaHostsslWhileSslOff>();
}

}  // namespace pgl::rules
