// ssl-weak-ecdh-curve: ssl_ecdh_curve (ssl_groups in 18) names an elliptic curve of fewer
// than 256 bits, or a value the server of this version cannot use (it then does not start).
//
// 12-17 read one curve by its OpenSSL short name (OBJ_sn2nid, case-sensitive) and create an
// EC key on it: "X25519"/"X448" are known objects but no EC curve ("ECDH: could not create
// key"); "P-256" and lists "a:b" are no short name ("ECDH: unrecognized curve name"). 18
// passes a colon-separated list to SSL_CTX_set1_groups_list. Checked against 15.18 and 18.4.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {
namespace {

struct Curve {
  std::string_view name;  // OpenSSL short name, or NIST name (P-192, ...) for 18's group list
  int bits;
  bool tls_group;  // a TLS 1.2 supported group (RFC 4492/8422/7027): usable in 18's list
  bool nist_name;  // P-192 style: not an object short name (12-17 reject it)
};

// Every named curve of OpenSSL below 256 bits, with the NIST aliases of the TLS groups.
constexpr std::array<Curve, 48> k_weak_curves{{
    {"secp112r1", 112, false, false},
    {"secp112r2", 112, false, false},
    {"secp128r1", 128, false, false},
    {"secp128r2", 128, false, false},
    {"secp160k1", 160, true, false},
    {"secp160r1", 160, true, false},
    {"secp160r2", 160, true, false},
    {"secp192k1", 192, true, false},
    {"secp224k1", 224, true, false},
    {"secp224r1", 224, true, false},
    {"prime192v1", 192, true, false},
    {"prime192v2", 192, false, false},
    {"prime192v3", 192, false, false},
    {"prime239v1", 239, false, false},
    {"prime239v2", 239, false, false},
    {"prime239v3", 239, false, false},
    {"sect113r1", 113, false, false},
    {"sect113r2", 113, false, false},
    {"sect131r1", 131, false, false},
    {"sect131r2", 131, false, false},
    {"sect163k1", 163, true, false},
    {"sect163r1", 163, true, false},
    {"sect163r2", 163, true, false},
    {"sect193r1", 193, true, false},
    {"sect193r2", 193, true, false},
    {"sect233k1", 233, true, false},
    {"sect233r1", 233, true, false},
    {"sect239k1", 239, true, false},
    {"c2pnb163v1", 163, false, false},
    {"c2pnb163v2", 163, false, false},
    {"c2pnb163v3", 163, false, false},
    {"c2pnb176v1", 176, false, false},
    {"c2tnb191v1", 191, false, false},
    {"c2tnb191v2", 191, false, false},
    {"c2tnb191v3", 191, false, false},
    {"c2pnb208w1", 208, false, false},
    {"c2tnb239v1", 239, false, false},
    {"c2tnb239v2", 239, false, false},
    {"c2tnb239v3", 239, false, false},
    {"brainpoolP160r1", 160, false, false},
    {"brainpoolP192r1", 192, false, false},
    {"brainpoolP224r1", 224, false, false},
    {"P-192", 192, true, true},
    {"P-224", 224, true, true},
    {"K-163", 163, true, true},
    {"B-163", 163, true, true},
    {"K-233", 233, true, true},
    {"B-233", 233, true, true},
}};

// Curves the server accepts and that are not weak (for the case-mismatch check in 12-17).
constexpr std::array<std::string_view, 6> k_good_curves{"prime256v1",      "secp384r1",       "secp521r1",
                                                        "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1"};

const Curve* weak_curve(std::string_view name) {
  for (const auto& c : k_weak_curves) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

// The curve name `name` would be with the right case (12-17 compare case-sensitively).
std::optional<std::string_view> case_variant(std::string_view name) {
  const std::string low = core::ascii_lower(name);
  for (const auto& c : k_weak_curves) {
    if (!c.nist_name && core::ascii_lower(c.name) == low) {
      return c.name;
    }
  }
  for (const auto g : k_good_curves) {
    if (core::ascii_lower(g) == low) {
      return g;
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> split_colons(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto p = s.find(':', start);
    out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) {
      return out;
    }
    start = p + 1;
  }
}

class WeakEcdhCurveRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-weak-ecdh-curve",
                                         "ssl_ecdh_curve names a curve below 256 bits, or one the server cannot use",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf || !ssl::ssl_on_or_default_off(config)) {
      return;
    }
    const std::string name = config.pg_version >= 18 ? "ssl_groups" : "ssl_ecdh_curve";
    const auto v = analysis::view_setting(config, name);
    if (!v || v->entry == nullptr || analysis::is_template_entry(config, *v->entry)) {
      return;  // the default (prime256v1; X25519:prime256v1 in 18) is fine
    }
    if (config.pg_version >= 18) {
      check_groups(*v, ctx);
    } else {
      check_curve(config, *v, ctx);
    }
  }

 private:
  void check_curve(const model::Config& config, const analysis::SettingView& v, lint::LintContext& ctx) const {
    const std::string& value = v.value;
    const auto fails = [&](std::string message, std::string help) {
      diag(ctx, v.span,
           fmt::format("ssl_ecdh_curve = '{}': {}: PostgreSQL {} does not start with ssl = on", value, message,
                       config.pg_version))
          .help(std::move(help))
          .severity(core::Severity::error);
    };
    if (value.empty()) {
      fails("\"ECDH: unrecognized curve name\" (the name is empty)",
            "set ssl_ecdh_curve = 'prime256v1' (the default), or remove the line");
      return;
    }
    if (value.find(':') != std::string::npos) {
      fails("\"ECDH: unrecognized curve name\" (a list of curves is accepted from PostgreSQL 18 on, as ssl_groups)",
            "name one curve, e.g. ssl_ecdh_curve = 'prime256v1'");
      return;
    }
    if (value == "X25519" || value == "X448") {
      fails("\"ECDH: could not create key\" (X25519 and X448 are usable from PostgreSQL 18 on)",
            "set ssl_ecdh_curve = 'prime256v1' (or secp384r1)");
      return;
    }
    if (value == "P-256" || value == "P-384" || value == "P-521") {
      const std::string_view sn = value == "P-256" ? "prime256v1" : value == "P-384" ? "secp384r1" : "secp521r1";
      fails("\"ECDH: unrecognized curve name\" (the NIST name is not an OpenSSL short name)",
            fmt::format("set ssl_ecdh_curve = '{}'", sn));
      return;
    }
    if (const Curve* c = weak_curve(value); c && !c->nist_name) {
      report_weak(ctx, v, v.entry->name, *c, false);
      return;
    }
    if (const Curve* c = weak_curve(value); c && c->nist_name) {
      fails("\"ECDH: unrecognized curve name\" (the NIST name is not an OpenSSL short name)",
            "set ssl_ecdh_curve = 'prime256v1'");
      return;
    }
    if (const auto good = case_variant(value); good && *good != value) {
      fails(fmt::format("\"ECDH: unrecognized curve name\" (curve names are case-sensitive: '{}')", *good),
            fmt::format("set ssl_ecdh_curve = '{}'", *good));
    }
  }

  void check_groups(const analysis::SettingView& v, lint::LintContext& ctx) const {
    for (const auto group : split_colons(v.value)) {
      if (const Curve* c = weak_curve(group); c && c->tls_group) {
        report_weak(ctx, v, v.entry->name, *c, true);
        return;
      }
    }
  }

  // `setting` as written (ssl_ecdh_curve is an alias of ssl_groups in 18)
  void report_weak(lint::LintContext& ctx, const analysis::SettingView& v, std::string_view setting, const Curve& c,
                   bool groups) const {
    diag(ctx, v.span,
         fmt::format("{} = '{}' {} the {}-bit curve {} for the ECDHE key exchange: a curve below 256 bits gives "
                     "less than the 128-bit security of the keys it protects",
                     setting, v.value, groups ? "allows" : "is", c.bits, c.name))
        .help(groups ? "set ssl_groups = 'X25519:prime256v1' (the default) or add secp384r1"
                     : "set ssl_ecdh_curve = 'prime256v1' (the default) or secp384r1");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_weak_ecdh_curve() {
  return std::make_unique<WeakEcdhCurveRule>();
}

}  // namespace pgl::rules
