// ssl-weak-protocol: protocol versions below TLS 1.2 are allowed, or the range is empty.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

constexpr int k_tls12 = 3;

class WeakProtocolRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-weak-protocol",
                                         "protocol versions below TLS 1.2 are allowed, or the range is empty",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void WeakProtocolRule::check(const model::Config& config, lint::LintContext& ctx) const {
  if (!ssl::ssl_on_or_default_off(config)) {
    return;
  }
  const std::string min_text = config.value_or_default("ssl_min_protocol_version");
  const std::string max_text = config.value_or_default("ssl_max_protocol_version");
  const int min = tls::protocol_rank(min_text);
  const int max = tls::protocol_rank(max_text);
  const bool min_set = config.setting("ssl_min_protocol_version") != nullptr;
  if (min > 0 && max > 0 && max < min) {
    if (config.pg_version >= 13) {
      diag(ctx, ssl::setting_span(config, "ssl_max_protocol_version"), "could not set SSL protocol version range")
          .help(
              "\"ssl_min_protocol_version\" cannot be higher than \"ssl_max_protocol_version\": "
              "raise ssl_max_protocol_version or set it to '' (no limit)")
          .notes(ssl::set_here(config, "ssl_min_protocol_version"))
          .severity(core::Severity::error);
    } else {
      diag(ctx, ssl::setting_span(config, "ssl_max_protocol_version"),
           fmt::format("ssl_max_protocol_version ({}) is lower than ssl_min_protocol_version ({}): no SSL "
                       "connection can be established",
                       max_text, min_text))
          .help("raise ssl_max_protocol_version or set it to '' (no limit)")
          .notes(ssl::set_here(config, "ssl_min_protocol_version"))
          .severity(core::Severity::error);
    }
    return;
  }
  if (min > 0 && min < k_tls12) {
    diag(ctx, ssl::setting_span(config, "ssl_min_protocol_version"),
         min_set ? fmt::format("ssl_min_protocol_version = '{}' allows TLS versions below 1.2, which are "
                               "deprecated (RFC 8996)",
                               min_text)
                 : fmt::format("ssl_min_protocol_version defaults to '{}' in PostgreSQL {}: TLS versions below 1.2 "
                               "are allowed, which are deprecated (RFC 8996)",
                               min_text, config.pg_version))
        .help("set ssl_min_protocol_version = 'TLSv1.2'");
  }
  if (max > 0 && max < k_tls12) {
    diag(ctx, ssl::setting_span(config, "ssl_max_protocol_version"),
         fmt::format("ssl_max_protocol_version = '{}' limits connections to TLS versions below 1.2", max_text))
        .help("set ssl_max_protocol_version = '' (no limit) or 'TLSv1.3'");
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_weak_protocol() {
  return std::make_unique<WeakProtocolRule>();
}

}  // namespace pgl::rules
