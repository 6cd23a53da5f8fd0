// conf-auth-delay-missing: no delay after a failed authentication: neither auth_delay (with
// auth_delay.milliseconds above 0) nor credcheck (with credcheck.auth_delay_ms above 0) is
// loaded by shared_preload_libraries. CIS PostgreSQL 17, 5.7 ("authentication timeout and
// delay"), as pgdsat checks it. cis profile.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

struct DelayModule {
  std::string_view library;
  std::string_view parameter;
  conf::GucDef def;  // as the module defines it: integer, ms, 0 to INT_MAX / 1000, default 0
};

constexpr conf::GucDef delay_def(std::string_view name) {
  return conf::GucDef{
      name, conf::GucType::integer, conf::GucContext::sighup, "ms", "0", "2147483", "0", "", "", "", false, ""};
}

const DelayModule k_modules[] = {
    {"auth_delay", "auth_delay.milliseconds", delay_def("auth_delay.milliseconds")},
    {"credcheck", "credcheck.auth_delay_ms", delay_def("credcheck.auth_delay_ms")},
};

struct Delay {
  const model::EffectiveSetting* setting = nullptr;  // null: not set, the default 0
  std::optional<long long> ms;                       // nullopt: not a value the module accepts, or template
};

Delay read_delay(const model::Config& config, const DelayModule& m) {
  Delay d;
  d.setting = config.setting(std::string(m.parameter));
  if (d.setting == nullptr || d.setting->entry == nullptr) {
    d.setting = nullptr;
    d.ms = 0;
    return d;
  }
  if (analysis::is_template_entry(config, *d.setting->entry)) {
    return d;
  }
  const auto c = conf::check_value(config.pg_version, m.def, d.setting->value);
  if (c.ok) {
    try {
      d.ms = std::stoll(c.normalized);
    } catch (...) {
      d.ms = std::nullopt;
    }
  }
  return d;
}

class ConfAuthDelayMissingRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-auth-delay-missing",
                                         "failed authentications are answered without delay (CIS 5.7)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto preload = analysis::view_setting(config, "shared_preload_libraries");
    if (!preload || (preload->entry != nullptr && analysis::is_template_entry(config, *preload->entry))) {
      return;
    }
    const auto libs = analysis::preload_library_names(preload->value);
    const DelayModule* loaded_zero = nullptr;  // a module loaded with a delay of 0
    Delay loaded_zero_delay;
    for (const auto& m : k_modules) {
      if (std::find(libs.begin(), libs.end(), m.library) == libs.end()) {
        continue;
      }
      const Delay d = read_delay(config, m);
      if (!d.ms || *d.ms > 0) {
        return;  // a delay applies (or cannot be judged)
      }
      if (loaded_zero == nullptr) {
        loaded_zero = &m;
        loaded_zero_delay = d;
      }
    }
    if (loaded_zero != nullptr) {
      const auto* s = loaded_zero_delay.setting;
      const std::string what = s != nullptr ? fmt::format("{} = {}", loaded_zero->parameter, s->value)
                                            : fmt::format("{} is not set (default 0)", loaded_zero->parameter);
      diag(ctx, s != nullptr ? s->entry->value_span : preload->span,
           fmt::format("{} is loaded but {}: a failed authentication is answered at once, so passwords can be tried "
                       "at full speed (CIS 5.7 asks for a delay after a failed authentication)",
                       loaded_zero->library, what))
          .help(fmt::format("set {} = '1s' (or the delay your policy names)", loaded_zero->parameter));
      return;
    }
    // Neither module is loaded: a delay parameter set for one of them has no effect.
    for (const auto& m : k_modules) {
      const auto* s = config.setting(std::string(m.parameter));
      if (s == nullptr || s->entry == nullptr || analysis::is_template_entry(config, *s->entry)) {
        continue;
      }
      diag(ctx, s->entry->value_span,
           fmt::format("{} = {}, but {} is not in shared_preload_libraries ({}), so no delay applies after a failed "
                       "authentication (CIS 5.7 asks for one)",
                       m.parameter, s->value, m.library,
                       preload->entry != nullptr ? "'" + preload->value + "'" : "not set"))
          .help(fmt::format("add {} to shared_preload_libraries (a restart)", m.library))
          .note(preload->span, preload->describe());
      return;
    }
    diag(ctx, preload->span,
         preload->describe() +
             ": neither auth_delay nor credcheck is loaded, so a failed authentication is answered at once and "
             "passwords can be tried at full speed (CIS 5.7 asks for a delay after a failed authentication)")
        .help(
            "add auth_delay to shared_preload_libraries and set auth_delay.milliseconds = '1s' (or use credcheck "
            "with credcheck.auth_delay_ms)");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_auth_delay_missing() {
  return std::make_unique<ConfAuthDelayMissingRule>();
}

}  // namespace pgl::rules
