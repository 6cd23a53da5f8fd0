// TLS material: the CA bundle and revocation lists that decide which client certificates
// a node accepts. (Server certificates differ per node by design; their comparison needs
// the certificate reader of src/tls.)
#include <array>

#include <fmt/format.h>

#include "diff/diff_internal.hpp"
#include "load/loader.hpp"

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
  const std::string main = n.config.conf && !n.config.conf->main_file.empty() ? n.config.conf->main_file
                                                                               : n.config.config_dir + "/postgresql.conf";
  return detail::file_span(main);
}

}  // namespace

namespace detail {

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
                              name, describe(node), name == std::string_view("ssl_ca_file") ? "no trusted CA" : "no revocation list");
      } else if (p.bytes && r.bytes && *p.bytes != *r.bytes && name != std::string_view("ssl_crl_dir")) {
        message = fmt::format("{} of {} ({}) differs from the primary's ({})", name, describe(node), r.setting->value,
                              p.setting->value);
      } else {
        continue;
      }
      core::Diagnostic d;
      d.rule = "drift-tls";
      d.severity = core::Severity::warning;
      d.span = setting_span(node, r.setting);
      d.message = std::move(message);
      d.related.push_back(core::Related{setting_span(primary, p.setting), fmt::format("the primary's {}", name)});
      d.help = fmt::format("install the primary's {} on every node", name);
      out.report(std::move(d));
      out.set_cell("tls", name, p.setting->value, ni, r.setting ? r.setting->value + " (differs)" : "-", true);
    }
  }
}

}  // namespace detail

}  // namespace pgl::diff
