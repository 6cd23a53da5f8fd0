// ssl-file-missing: an SSL file is missing or cannot be loaded: the server does not start.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

class FileMissingRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-file-missing",
                                         "an SSL file is missing or cannot be loaded: the server does not start",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

// One finding about the file a setting names (in repository mode, a file absent from the
// copy is a note that it could not be checked instead).
void report_file(const model::Config& config, lint::LintContext& ctx, const ssl::SslMaterial& m,
                 const std::string& setting, core::Severity sev, std::string msg, std::string help = {}) {
  if (ctx.repo) {
    // Repository mode: a file that is not in this copy could not be checked, that is all.
    const std::string* path = setting == "ssl_cert_file"                ? &m.cert_file.path
                              : setting == "ssl_key_file"               ? &m.key_file.path
                              : setting == "ssl_ca_file" && m.ca_file   ? &m.ca_file->path
                              : setting == "ssl_crl_file" && m.crl_file ? &m.crl_file->path
                              : setting == "ssl_crl_dir" && m.crl_dir   ? &m.crl_dir->path
                                                                        : nullptr;
    struct stat st {};
    if (path != nullptr && ::stat(path->c_str(), &st) != 0 && errno == ENOENT) {
      const std::string named = config.value_or_default(setting);
      const auto* data_dir = config.setting("data_directory");
      const std::string in_data = !named.starts_with("/") && data_dir != nullptr && data_dir->entry != nullptr
                                      ? fmt::format(" (in data_directory '{}')", data_dir->value)
                                      : std::string();
      ctx.diag(FileMissingRule::k_meta, ssl::setting_span(config, setting),
               fmt::format("{} names \"{}\"{}, which is not in this copy: it could not be checked "
                           "(repository mode)",
                           setting, named, in_data))
          .help(
              "check the file on the server, or pass --root DIR where a copy of the server's "
              "files is")
          .severity(core::Severity::note);
      return;
    }
  }
  if (help.empty()) {
    help = fmt::format(
        "make {} name a readable PEM file on the server (relative paths are relative to the data "
        "directory); when checking a copy of the server's files, pass --root DIR so that absolute paths "
        "are read below DIR",
        setting);
  }
  ctx.diag(FileMissingRule::k_meta, ssl::setting_span(config, setting), std::move(msg))
      .help(std::move(help))
      .severity(sev);
}

void FileMissingRule::check(const model::Config& config, lint::LintContext& ctx) const {
  const auto m = ssl::load_material(config, ctx);
  if (!m) {
    return;  // ssl = off: the server never opens these files
  }
  auto report = [&](const std::string& setting, core::Severity sev, std::string msg, std::string help = {}) {
    report_file(config, ctx, *m, setting, sev, std::move(msg), std::move(help));
  };
  if (m->chain && !m->chain->has_value()) {
    report("ssl_cert_file", core::Severity::error,
           fmt::format("could not load server certificate file \"{}\": {}", m->cert_file.configured,
                       m->chain->error().message),
           "ssl_cert_file must name a PEM certificate (leaf first, then intermediates); relative paths "
           "are relative to the data directory");
  }
  if (m->key) {
    struct stat st {};
    if (::stat(m->key_file.path.c_str(), &st) != 0) {
      report("ssl_key_file", core::Severity::error,
             fmt::format("could not access private key file \"{}\": {}", m->key_file.configured, std::strerror(errno)));
    } else if (S_ISREG(st.st_mode) && !m->key->has_value()) {
      report(
          "ssl_key_file", core::Severity::error,
          fmt::format("could not load private key file \"{}\": {}", m->key_file.configured, m->key->error().message));
    } else if (S_ISREG(st.st_mode) && !(*m->key)->encrypted && !(*m->key)->error.empty()) {
      const auto& kf = **m->key;
      std::string help;
      if (kf.format == tls::KeyFormat::der) {
        help = fmt::format(
            "the key is in DER format and PostgreSQL loads only PEM keys: convert it with "
            "`openssl pkey -inform DER -in {0} -out {0}.pem` and point ssl_key_file at the result",
            m->key_file.configured);
      }
      report("ssl_key_file", core::Severity::error,
             fmt::format("could not load private key file \"{}\": {}", m->key_file.configured, kf.error), help);
    } else if (S_ISREG(st.st_mode) && (*m->key)->encrypted && (*m->key)->format == tls::KeyFormat::der) {
      report("ssl_key_file", core::Severity::error,
             fmt::format("could not load private key file \"{}\": {}", m->key_file.configured, "no start line"),
             "the key is an encrypted DER (PKCS#8) key; PostgreSQL loads only PEM keys: convert it with "
             "`openssl pkcs8 -inform DER -in <key> -out <key>.pem`");
    }
  }
  if (m->ca && !m->ca->has_value()) {
    report(
        "ssl_ca_file", core::Severity::error,
        fmt::format("could not load root certificate file \"{}\": {}", m->ca_file->configured, m->ca->error().message));
  }
  const bool crl_file_bad = m->crl && !m->crl->has_value();
  if (crl_file_bad) {
    const bool both = m->crl_dir.has_value();
    report("ssl_crl_file", core::Severity::error,
           both ? fmt::format("could not load SSL certificate revocation list file \"{}\" or directory \"{}\": {}",
                              m->crl_file->configured, m->crl_dir->configured, m->crl->error().message)
                : fmt::format("could not load SSL certificate revocation list file \"{}\": {}", m->crl_file->configured,
                              m->crl->error().message));
  }
  if (m->crl_dir_entries) {
    if (!m->crl_dir_entries->has_value()) {
      // X509_LOOKUP_hash_dir only records the name: the server starts, but loads no CRL.
      report("ssl_crl_dir", core::Severity::warning,
             fmt::format("SSL certificate revocation list directory \"{}\" cannot be read ({}): the server starts "
                         "but no revocation list is loaded from it",
                         m->crl_dir->configured, m->crl_dir_entries->error().message));
    } else {
      for (const auto& e : **m->crl_dir_entries) {
        if (e.error) {
          report("ssl_crl_dir", core::Severity::warning,
                 fmt::format("file \"{}\" of SSL certificate revocation list directory \"{}\" cannot be loaded: {}",
                             e.path, m->crl_dir->configured, *e.error));
        }
      }
    }
  }
  if (m->dh_file) {
    if (!*m->dh_bytes) {
      report("ssl_dh_params_file", core::Severity::error,
             fmt::format("could not open DH parameters file \"{}\": {}", m->dh_file->configured,
                         m->dh_bytes->error().message));
    } else if (!*m->dh_bits) {
      report("ssl_dh_params_file", core::Severity::error,
             fmt::format("could not load DH parameters file: {}", m->dh_bits->error().message));
    }
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_file_missing() {
  return std::make_unique<FileMissingRule>();
}

}  // namespace pgl::rules
