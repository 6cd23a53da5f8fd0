// probe-cert-differs-from-files: the certificate the server presents is not the one its
// ssl_cert_file holds (the server was not reloaded), with --config-dir.
#include <fmt/format.h>

#include "rules/probe/probe_rules.hpp"
#include "rules/ssl/ssl_common.hpp"

namespace pgl::rules {

namespace {

constexpr std::string_view k_id = "probe-cert-differs-from-files";

class CertDiffersFromFilesRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      k_id, "the certificate the running server presents is not the one ssl_cert_file holds", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}  // live only
};

bool same_certificate(const tls::CertInfo& a, const tls::CertInfo& b) {
  return a.serial == b.serial && a.issuer == b.issuer && a.subject == b.subject && a.not_before == b.not_before &&
         a.not_after == b.not_after && a.key.describe() == b.key.describe();
}

std::string summary(const tls::CertInfo& c) {
  return fmt::format("\"{}\", serial {}, expires {}", c.display_name(), c.serial, tls::format_utc(c.not_after));
}

constexpr std::string_view k_reload_help =
    "reload the server (pg_ctl reload, or SELECT pg_reload_conf()) and probe again; if the certificate still "
    "differs, the files are not the ones this server reads";

}  // namespace

namespace probes {

void assess_cert_differs_from_files(const pgl::probe::Report& r, const Context& ctx,
                                    std::vector<core::Diagnostic>& out) {
  if (ctx.files == nullptr || !r.handshake.ok || r.handshake.chain.empty()) {
    return;
  }
  const model::Config& config = *ctx.files;
  const auto& served = r.handshake.chain[0].cert.info();
  if (!ssl::ssl_on_or_default_off(config)) {
    out.push_back(make(k_id, r,
                       fmt::format("{} presents certificate {} but its configuration has ssl = off: the server "
                                   "has not reloaded it",
                                   r.target.display(), summary(served)),
                       std::string(k_reload_help), ssl::set_here(config, "ssl")));
    return;
  }
  const auto file = ssl::file_setting(config, "ssl_cert_file");
  if (!file) {
    return;
  }
  auto chain = tls::load_cert_chain(file->path);
  if (!chain || chain->empty()) {
    return;  // unreadable: ssl-file-missing says so for the files
  }
  const auto& on_disk = (*chain)[0].cert.info();
  if (same_certificate(served, on_disk)) {
    return;
  }
  std::vector<core::Related> related{core::Related{ssl::file_span(file->path, (*chain)[0].line),
                                                   fmt::format("ssl_cert_file holds {}", summary(on_disk))}};
  for (auto& s : ssl::set_here(config, "ssl_cert_file")) {
    related.push_back(std::move(s));
  }
  out.push_back(make(k_id, r,
                     fmt::format("{} presents certificate {}, not the one in ssl_cert_file \"{}\" ({}): the server "
                                 "has not reloaded its certificate since the file changed",
                                 r.target.display(), summary(served), file->configured, summary(on_disk)),
                     std::string(k_reload_help), std::move(related)));
}

}  // namespace probes

std::unique_ptr<lint::Rule> make_probe_cert_differs_from_files() {
  return std::make_unique<CertDiffersFromFilesRule>();
}

}  // namespace pgl::rules
