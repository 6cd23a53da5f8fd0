// ssl-weak-ciphers: ssl_ciphers enables weak ciphers or no usable cipher.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class WeakCiphersRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-weak-ciphers", "ssl_ciphers enables weak ciphers or no usable cipher",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void WeakCiphersRule::check(const model::Config& config, lint::LintContext& ctx) const {
  if (!ssl::ssl_on_or_default_off(config)) {
    return;
  }
  const std::string ciphers = config.value_or_default("ssl_ciphers");
  const auto span = ssl::setting_span(config, "ssl_ciphers");
  auto list = tls::evaluate_cipher_list(ciphers);
  if (!list) {
    diag(ctx, span,
         config.pg_version >= 18 ? "could not set the TLSv1.2 cipher list (no valid ciphers available)"
                                 : "could not set the cipher list (no valid ciphers available)")
        .help(fmt::format("OpenSSL accepts no cipher from '{}' ({}); the default is "
                          "'HIGH:MEDIUM:+3DES:!aNULL'",
                          ciphers, list.error().message))
        .severity(core::Severity::error);
    return;
  }
  if (tls::protocol_rank(config.value_or_default("ssl_min_protocol_version")) == 4) {
    return;  // TLS 1.3 only: ssl_ciphers is never used
  }
  // Group by weakness, in order of first appearance, with example cipher names.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const auto& c : *list) {
    for (const auto& w : c.weaknesses) {
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == w; });
      if (it == groups.end()) {
        groups.emplace_back(w, std::vector<std::string>{});
        it = groups.end() - 1;
      }
      it->second.push_back(c.name);
    }
  }
  if (groups.empty()) {
    return;
  }
  std::vector<std::string> parts;
  parts.reserve(groups.size());
  for (const auto& [what, names] : groups) {
    parts.push_back(
        fmt::format("{} cipher{} with {} (e.g. {})", names.size(), names.size() == 1 ? "" : "s", what, names.front()));
  }
  diag(ctx, span, fmt::format("ssl_ciphers = '{}' enables weak ciphers: {}", ciphers, fmt::join(parts, "; ")))
      .help(
          "exclude them, e.g. append ':!aNULL:!eNULL:!EXPORT:!DES:!3DES:!RC4:!MD5', or use the default "
          "'HIGH:MEDIUM:+3DES:!aNULL'");
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_weak_ciphers() {
  return std::make_unique<WeakCiphersRule>();
}

}  // namespace pgl::rules
