#include "rules/ssl/ssl_common.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "core/text.hpp"

namespace pgl::rules::ssl {

namespace {

std::string lower(std::string_view s) {
  return core::ascii_lower(s);
}

}  // namespace

std::optional<bool> parse_bool(std::string_view text) {
  return core::parse_bool(core::trim(text));
}

bool ssl_on_or_default_off(const model::Config& config) {
  return analysis::ssl_setting(config).value_or(false);
}

core::Span setting_span(const model::Config& config, const std::string& name) {
  if (const auto* s = config.setting(name); s && s->entry) {
    return s->entry->value_span;
  }
  if (name != "ssl") {
    if (const auto* s = config.setting("ssl"); s && s->entry) {
      return s->entry->value_span;
    }
  }
  const std::string file = config.conf ? config.conf->main_file : std::string();
  return core::Span{core::Location{file, 0, 0}, 0, 0};
}

core::Span file_span(const std::string& path, std::uint32_t line) {
  return core::Span{core::Location{path, line, 0}, line, 0};
}

std::vector<core::Related> set_here(const model::Config& config, const std::string& name) {
  if (const auto* s = config.setting(name); s && s->entry) {
    return {core::Related{s->entry->value_span, fmt::format("{} is set here", name)}};
  }
  return {};
}

std::optional<FileRef> file_setting(const model::Config& config, const std::string& name) {
  std::string value = config.value_or_default(name);
  if (value.empty()) {
    return std::nullopt;
  }
  return FileRef{name, value, config.resolve_path(value)};
}

std::string CertRef::describe() const {
  const char* what = role == CertRole::server         ? "server certificate"
                     : role == CertRole::intermediate ? "intermediate certificate"
                                                      : "CA certificate";
  return fmt::format("{} \"{}\"", what, cert.info().display_name());
}

std::vector<CertRef> SslMaterial::certificates() const {
  std::vector<CertRef> out;
  if (chain && chain->has_value()) {
    bool first = true;
    for (const auto& pc : **chain) {
      out.push_back({pc.cert, first ? CertRole::server : CertRole::intermediate, &cert_file, pc.line});
      first = false;
    }
  }
  if (ca && ca->has_value() && ca_file) {
    for (const auto& pc : **ca) {
      out.push_back({pc.cert, CertRole::ca, &*ca_file, pc.line});
    }
  }
  return out;
}

const tls::Certificate* SslMaterial::leaf() const {
  if (chain && chain->has_value() && !(*chain)->empty()) {
    return &(**chain)[0].cert;
  }
  return nullptr;
}

std::vector<std::pair<tls::Crl, std::string>> SslMaterial::crls() const {
  std::vector<std::pair<tls::Crl, std::string>> out;
  if (crl && crl->has_value() && crl_file) {
    for (const auto& c : **crl) {
      out.emplace_back(c, crl_file->configured);
    }
  }
  if (crl_dir_entries && crl_dir_entries->has_value()) {
    for (const auto& e : **crl_dir_entries) {
      for (const auto& c : e.crls) {
        out.emplace_back(c, e.path);
      }
    }
  }
  return out;
}

namespace {

std::shared_ptr<const SslMaterial> read_material(const model::Config& config, const lint::LintContext& ctx) {
  if (!ssl_on_or_default_off(config)) {
    return nullptr;
  }
  auto m = std::make_shared<SslMaterial>();
  if (auto f = file_setting(config, "ssl_cert_file")) {
    m->cert_file = *f;
    m->chain = tls::load_cert_chain(f->path);
  }
  if (auto f = file_setting(config, "ssl_key_file")) {
    m->key_file = *f;
    m->key = tls::load_private_key(f->path);
  }
  if ((m->ca_file = file_setting(config, "ssl_ca_file"))) {
    m->ca = tls::load_ca_bundle(m->ca_file->path);
  }
  if ((m->crl_file = file_setting(config, "ssl_crl_file"))) {
    m->crl = tls::load_crl_file(m->crl_file->path);
  }
  if ((m->crl_dir = file_setting(config, "ssl_crl_dir"))) {
    m->crl_dir_entries = tls::load_crl_dir(m->crl_dir->path);
  }
  if ((m->dh_file = file_setting(config, "ssl_dh_params_file"))) {
    m->dh_bytes = tls::read_file(m->dh_file->path);
    if (m->dh_bytes->has_value()) {
      m->dh_bits = tls::parse_dh_params(**m->dh_bytes);
    }
  }
  for (const auto& extra : ctx.extra_ca_files) {
    m->extra_ca.emplace_back(extra, tls::load_ca_bundle(extra));
  }
  return m;
}

}  // namespace

std::shared_ptr<const SslMaterial> load_material(const model::Config& config, lint::LintContext& ctx) {
  return ctx.fact<SslMaterial>(config, [&] { return read_material(config, ctx); });
}

bool hba_verifies_client_certs(const model::Config& config) {
  if (!config.hba) {
    return false;
  }
  for (const auto& r : config.hba->records) {
    if (r.error && r.fatal) {
      continue;
    }
    if (r.method == "cert") {
      return true;
    }
    for (const auto& o : r.options) {
      if (lower(o.name) == "clientcert") {
        const std::string v = lower(o.value);
        if (v == "verify-ca" || v == "verify-full" || v == "1") {
          return true;
        }
      }
    }
  }
  return false;
}

long days_between(std::time_t now, std::time_t t) {
  return static_cast<long>((t - now) / 86400);
}

}  // namespace pgl::rules::ssl
