// TLS material: the CA bundle and revocation lists that decide which client certificates
// a node accepts, and each node's server certificate and key (through src/tls): subject
// beyond the host name, issuer, expiry day, key type and strength, signature digest, key
// file mode. A smaller key or a weaker signature digest is drift-weaker-security.
#include <array>
#include <functional>

#include <fmt/format.h>
#include <sys/stat.h>

#include "conf/guc.hpp"
#include "diff/diff_internal.hpp"
#include "load/loader.hpp"
#include "tls/x509.hpp"

namespace pgl::diff {

namespace {

struct TlsFile {
  const model::EffectiveSetting* setting = nullptr;  // null or empty value: not configured
  std::optional<std::string> bytes;                  // file contents when readable
};

TlsFile tls_file(const Node& n, const std::string& name) {
  TlsFile f;
  f.setting = n.config.setting(name);
  if (f.setting != nullptr && f.setting->value.empty()) {
    f.setting = nullptr;
  }
  if (f.setting != nullptr) {
    if (auto text = load::read_text_file(n.config.resolve_path(f.setting->value))) {
      f.bytes = std::move(*text);
    }
  }
  return f;
}

core::Span setting_span(const Node& n, const model::EffectiveSetting* s) {
  if (s != nullptr && s->entry != nullptr) {
    return core::Span::at(s->entry->file, s->entry->line, 1, static_cast<std::uint32_t>(s->entry->name.size()));
  }
  const std::string main = n.config.conf && !n.config.conf->main_file.empty()
                               ? n.config.conf->main_file
                               : n.config.config_dir + "/postgresql.conf";
  return detail::file_span(main);
}

// ---- server certificate and key

// A file setting's value, or its default (server.crt, server.key); "" when unset and no default.
struct FileRef {
  const model::EffectiveSetting* setting = nullptr;
  std::string path;  // to read
};

FileRef file_ref(const Node& n, const std::string& name) {
  FileRef f;
  f.setting = n.config.setting(name);
  std::string configured;
  if (f.setting != nullptr) {
    configured = f.setting->value;
  } else if (const auto* def = conf::find_guc(n.config.pg_version, name)) {
    configured = std::string(def->boot_val);
  }
  if (!configured.empty()) {
    f.path = n.config.resolve_path(configured);
  }
  return f;
}

// What the comparison needs of one node's server TLS material.
struct ServerTls {
  bool ssl = false;
  FileRef cert_file;
  FileRef key_file;
  std::optional<tls::CertInfo> cert;  // leaf of ssl_cert_file, when it loads
  std::optional<unsigned> key_mode;   // permission bits of ssl_key_file
};

ServerTls server_tls(const Node& n) {
  ServerTls t;
  t.ssl = normalize_setting(n.config.pg_version, "ssl", n.config.value_or_default("ssl")) == "on";
  if (!t.ssl) {
    return t;
  }
  t.cert_file = file_ref(n, "ssl_cert_file");
  t.key_file = file_ref(n, "ssl_key_file");
  if (!t.cert_file.path.empty()) {
    if (auto chain = tls::load_cert_chain(t.cert_file.path); chain && !chain->empty()) {
      t.cert = chain->front().cert.info();
    }
  }
  struct stat st {};
  if (!t.key_file.path.empty() && ::stat(t.key_file.path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    t.key_mode = static_cast<unsigned>(st.st_mode & 07777);
  }
  return t;
}

// The file setting's line; the `ssl` line when the file setting is the default.
core::Span tls_span(const Node& n, const FileRef& f) {
  return setting_span(n, f.setting != nullptr ? f.setting : n.config.setting("ssl"));
}

// Approximate security strength in bits (NIST SP 800-57); 0 = unknown.
int security_bits(const tls::KeyInfo& k) {
  switch (k.type) {
    case tls::KeyType::rsa:
    case tls::KeyType::rsa_pss:
    case tls::KeyType::dsa:
    case tls::KeyType::dh:
      return k.bits >= 15360  ? 256
             : k.bits >= 7680 ? 192
             : k.bits >= 3072 ? 128
             : k.bits >= 2048 ? 112
             : k.bits >= 1024 ? 80
                              : k.bits / 16;
    case tls::KeyType::ec: return k.bits / 2;
    case tls::KeyType::ed25519: return 128;
    case tls::KeyType::ed448: return 224;
    case tls::KeyType::other: return 0;
  }
  return 0;
}

// Digest strength of a certificate signature; -1 = unknown or none (EdDSA).
int digest_rank(std::string_view digest) {
  static constexpr std::array k_order{"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
  for (std::size_t i = 0; i < k_order.size(); ++i) {
    if (digest == k_order[i]) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Subject without its CN elements (each node names its own host there): "O=Example,C=DE".
std::string subject_beyond_cn(const std::string& subject) {
  std::string out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && !(cur.size() >= 3 && (cur.compare(0, 3, "CN=") == 0 || cur.compare(0, 3, "cn=") == 0))) {
      out += (out.empty() ? "" : ",") + cur;
    }
    cur.clear();
  };
  for (std::size_t i = 0; i < subject.size(); ++i) {
    if (subject[i] == '\\' && i + 1 < subject.size()) {
      cur += subject[i];
      cur += subject[++i];
    } else if (subject[i] == ',') {
      flush();
    } else {
      cur += subject[i];
    }
  }
  flush();
  return out;
}

std::string mode_text(unsigned mode) {
  return fmt::format("{:04o}", mode);
}

std::string utc_day(std::time_t t) {
  return tls::format_utc(t).substr(0, 10);
}

}  // namespace

namespace detail {

namespace {

// One compared property of the server TLS material.
struct Property {
  const char* item;                                                  // matrix row
  bool key_setting;                                                  // located at ssl_key_file (else ssl_cert_file)
  std::function<std::optional<std::string>(const ServerTls&)> text;  // matrix cell; nullopt = not comparable
  // Finding for a replica whose text differs: rule, severity, message; nullopt = no finding.
  std::function<std::optional<model::DriftFact>(const ServerTls& primary, const ServerTls& replica, const Node& node)>
      compare;
};

model::DriftFact finding(model::DriftKind kind, std::string message, std::string help) {
  model::DriftFact d;
  d.kind = kind;
  d.message = std::move(message);
  d.help = std::move(help);
  return d;
}

std::vector<Property> properties() {
  std::vector<Property> out;
  out.push_back(Property{
      "server certificate subject (beyond CN)", false,
      [](const ServerTls& t) -> std::optional<std::string> {
        if (!t.cert)
          return std::nullopt;
        const std::string s = subject_beyond_cn(t.cert->subject);
        return s.empty() ? std::string("(CN only)") : s;
      },
      [](const ServerTls& p, const ServerTls& r, const Node& node) -> std::optional<model::DriftFact> {
        return finding(model::DriftKind::tls,
                       fmt::format("the server certificate subject of {} ({}) differs from the primary's ({}) beyond "
                                   "the host name",
                                   describe(node), r.cert->subject, p.cert->subject),
                       "issue every node's certificate with the same subject apart from its CN");
      }});
  out.push_back(Property{
      "server certificate issuer", false,
      [](const ServerTls& t) -> std::optional<std::string> {
        if (!t.cert)
          return std::nullopt;
        return t.cert->issuer;
      },
      [](const ServerTls& p, const ServerTls& r, const Node& node) -> std::optional<model::DriftFact> {
        return finding(model::DriftKind::tls,
                       fmt::format("the server certificate of {} is issued by '{}', the primary's by '{}': clients "
                                   "that trust only one of them (sslmode=verify-ca/verify-full) fail after a failover",
                                   describe(node), r.cert->issuer, p.cert->issuer),
                       "issue every node's server certificate from the same CA");
      }});
  out.push_back(Property{
      "server certificate expires", false,
      [](const ServerTls& t) -> std::optional<std::string> {
        if (!t.cert)
          return std::nullopt;
        return utc_day(t.cert->not_after);
      },
      [](const ServerTls& p, const ServerTls& r, const Node& node) -> std::optional<model::DriftFact> {
        return finding(
            model::DriftKind::tls,
            fmt::format("the server certificates expire on different days: {} on {}, {} on the primary",
                        tls::format_utc(r.cert->not_after), describe(node), tls::format_utc(p.cert->not_after)),
            "renew the certificates of all nodes together");
      }});
  out.push_back(Property{
      "server key", true,
      [](const ServerTls& t) -> std::optional<std::string> {
        if (!t.cert)
          return std::nullopt;
        return t.cert->key.describe();
      },
      [](const ServerTls& p, const ServerTls& r, const Node& node) -> std::optional<model::DriftFact> {
        const int pb = security_bits(p.cert->key);
        const int rb = security_bits(r.cert->key);
        if (pb > 0 && rb > 0 && rb < pb) {
          return finding(model::DriftKind::weaker_security,
                         fmt::format("the server key of {} is {} (about {}-bit security), weaker than the primary's "
                                     "{} ({}-bit)",
                                     describe(node), r.cert->key.describe(), rb, p.cert->key.describe(), pb),
                         "use a key at least as strong as the primary's on every replica");
        }
        return finding(model::DriftKind::tls,
                       fmt::format("the server key of {} is {}, the primary's {}", describe(node),
                                   r.cert->key.describe(), p.cert->key.describe()),
                       "use the same key type and size on every node");
      }});
  out.push_back(Property{
      "server certificate signature", false,
      [](const ServerTls& t) -> std::optional<std::string> {
        if (!t.cert)
          return std::nullopt;
        return t.cert->signature_algorithm;
      },
      [](const ServerTls& p, const ServerTls& r, const Node& node) -> std::optional<model::DriftFact> {
        const int pr = digest_rank(p.cert->signature_digest);
        const int rr = digest_rank(r.cert->signature_digest);
        if (pr >= 0 && rr >= 0 && rr < pr) {
          return finding(model::DriftKind::weaker_security,
                         fmt::format("the server certificate of {} is signed with {}, weaker than the primary's {}",
                                     describe(node), r.cert->signature_algorithm, p.cert->signature_algorithm),
                         "reissue the replica's certificate with the primary's signature digest or a stronger one");
        }
        return finding(model::DriftKind::tls,
                       fmt::format("the server certificate of {} is signed with {}, the primary's with {}",
                                   describe(node), r.cert->signature_algorithm, p.cert->signature_algorithm),
                       "issue every node's certificate with the same signature algorithm");
      }});
  out.push_back(Property{
      "ssl_key_file mode", true,
      [](const ServerTls& t) -> std::optional<std::string> {
        if (!t.key_mode)
          return std::nullopt;
        return mode_text(*t.key_mode);
      },
      [](const ServerTls& p, const ServerTls& r, const Node& node) -> std::optional<model::DriftFact> {
        return finding(model::DriftKind::tls,
                       fmt::format("the key file of {} has mode {}, the primary's {}", describe(node),
                                   mode_text(*r.key_mode), mode_text(*p.key_mode)),
                       "give the key file the same owner and mode on every node (0600, or 0640 owned by root)");
      }});
  return out;
}

void diff_server_tls(Collector& out) {
  const auto& nodes = out.nodes();
  std::vector<ServerTls> material;
  material.reserve(nodes.size());
  for (const auto& n : nodes) {
    material.push_back(server_tls(n));
  }
  const ServerTls& p = material.front();
  if (!p.ssl) {
    return;  // ssl on a replica only: drift-weaker-security does not apply, drift-setting reports it
  }
  static const std::vector<Property> k_properties = properties();
  for (const auto& prop : k_properties) {
    const auto pt = prop.text(p);
    if (!pt) {
      continue;
    }
    bool shown = false;
    for (std::size_t ni = 1; ni < nodes.size(); ++ni) {
      const ServerTls& r = material[ni];
      if (!r.ssl) {
        continue;
      }
      const auto rt = prop.text(r);
      if (!rt || *rt == *pt) {
        continue;
      }
      auto d = prop.compare(p, r, nodes[ni]);
      if (!d) {
        continue;
      }
      const FileRef& rf = prop.key_setting ? r.key_file : r.cert_file;
      const FileRef& pf = prop.key_setting ? p.key_file : p.cert_file;
      d->span = tls_span(nodes[ni], rf);
      d->related.push_back(
          core::Related{tls_span(nodes.front(), pf),
                        fmt::format("the primary's {}", prop.key_setting ? "ssl_key_file" : "ssl_cert_file")});
      out.report(std::move(*d));
      shown = true;
    }
    if (shown) {
      for (std::size_t ni = 0; ni < nodes.size(); ++ni) {
        const auto t = material[ni].ssl ? prop.text(material[ni]) : std::nullopt;
        out.set_cell("tls", prop.item, *pt, ni, t.value_or("-"), ni > 0 && t.value_or("-") != *pt);
      }
    }
  }
}

}  // namespace

void diff_tls(Collector& out) {
  static constexpr std::array k_files{"ssl_ca_file", "ssl_crl_file", "ssl_crl_dir"};
  const auto& nodes = out.nodes();
  const Node& primary = nodes.front();
  for (const char* name : k_files) {
    const TlsFile p = tls_file(primary, name);
    if (p.setting == nullptr) {
      continue;
    }
    for (std::size_t ni = 1; ni < nodes.size(); ++ni) {
      const Node& node = nodes[ni];
      const TlsFile r = tls_file(node, name);
      std::string message;
      if (r.setting == nullptr) {
        message = fmt::format("{} is not set on {}: it does not check client certificates as the primary does ({})",
                              name, describe(node),
                              name == std::string_view("ssl_ca_file") ? "no trusted CA" : "no revocation list");
      } else if (p.bytes && r.bytes && *p.bytes != *r.bytes && name != std::string_view("ssl_crl_dir")) {
        message = fmt::format("{} of {} ({}) differs from the primary's ({})", name, describe(node), r.setting->value,
                              p.setting->value);
      } else {
        continue;
      }
      model::DriftFact d;
      d.kind = model::DriftKind::tls;
      d.span = setting_span(node, r.setting);
      d.message = std::move(message);
      d.related.push_back(core::Related{setting_span(primary, p.setting), fmt::format("the primary's {}", name)});
      d.help = fmt::format("install the primary's {} on every node", name);
      out.report(std::move(d));
      out.set_cell("tls", name, p.setting->value, ni, r.setting ? r.setting->value + " (differs)" : "-", true);
    }
  }
  diff_server_tls(out);
}

}  // namespace detail

}  // namespace pgl::diff
