// Shared helpers of the ssl-* rules: effective SSL settings, where to report them, and
// the TLS files loaded (read-only) the way be_tls_init loads them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "lint/rule.hpp"
#include "model/config.hpp"
#include "tls/x509.hpp"

namespace pgl::rules::ssl {

// parse_bool of the server: on/off, true/false, yes/no (unique prefixes), 1/0.
[[nodiscard]] std::optional<bool> parse_bool(std::string_view text);
// Effective `ssl`: the files' value, else the default off (an unparsable value counts as off;
// compare analysis::ssl_setting, which keeps "unknown").
[[nodiscard]] bool ssl_on_or_default_off(const model::Config& config);

// Span of a setting's value when it is set in a file; else the `ssl` line; else the
// main configuration file (line 0).
[[nodiscard]] core::Span setting_span(const model::Config& config, const std::string& name);
// Span of a whole line of a non-configuration file (certificate, key), line 0 = whole file.
[[nodiscard]] core::Span file_span(const std::string& path, std::uint32_t line);
// "set here" note for a setting written in a file (none for defaults).
[[nodiscard]] std::vector<core::Related> set_here(const model::Config& config, const std::string& name);

// A file named by a setting (value or default).
struct FileRef {
  std::string setting;     // e.g. ssl_cert_file
  std::string configured;  // as written / default (the server prints this)
  std::string path;        // path to read (data directory relative, --root applied)
};
// Value (or default) of a file setting; nullopt when empty or unknown in this version.
[[nodiscard]] std::optional<FileRef> file_setting(const model::Config& config, const std::string& name);

// Which certificate file a certificate comes from.
enum class CertRole { server, intermediate, ca };
struct CertRef {
  tls::Certificate cert;
  CertRole role = CertRole::server;
  const FileRef* file = nullptr;
  std::uint32_t line = 0;                      // BEGIN line in the file
  [[nodiscard]] std::string describe() const;  // e.g. `server certificate "db.example.com"`
};

// Everything be_tls_init reads, loaded once per configuration (a LintContext fact shared by
// every ssl rule: each file is opened once per check). Only meaningful with ssl = on.
struct SslMaterial {
  FileRef cert_file;
  std::optional<Result<std::vector<tls::PemCert>>> chain;
  FileRef key_file;
  std::optional<Result<tls::KeyFile>> key;
  std::optional<FileRef> ca_file;
  std::optional<Result<std::vector<tls::PemCert>>> ca;
  std::optional<FileRef> crl_file;
  std::optional<Result<std::vector<tls::Crl>>> crl;
  std::optional<FileRef> crl_dir;
  std::optional<Result<std::vector<tls::CrlDirEntry>>> crl_dir_entries;
  std::optional<FileRef> dh_file;               // ssl_dh_params_file, when set
  std::optional<Result<std::string>> dh_bytes;  // its contents, or the read error
  std::optional<Result<int>> dh_bits;           // prime size, when it was read
  // --ca files: (path, certificates or error)
  std::vector<std::pair<std::string, Result<std::vector<tls::PemCert>>>> extra_ca;

  // Server chain (leaf first) and CA-file certificates, with their origin.
  [[nodiscard]] std::vector<CertRef> certificates() const;
  [[nodiscard]] const tls::Certificate* leaf() const;
  // Every loaded CRL with the file it came from.
  [[nodiscard]] std::vector<std::pair<tls::Crl, std::string>> crls() const;
};

// The material (nullptr when ssl is off: rules then say nothing about files), loaded on
// the first call for a configuration and shared afterwards.
[[nodiscard]] std::shared_ptr<const SslMaterial> load_material(const model::Config& config, lint::LintContext& ctx);

// True when a loaded pg_hba.conf line verifies client certificates (method cert, or
// clientcert=verify-ca/verify-full/1).
[[nodiscard]] bool hba_verifies_client_certs(const model::Config& config);

// Whole days from `now` to `t` (negative when in the past), rounded toward zero.
[[nodiscard]] long days_between(std::time_t now, std::time_t t);

}  // namespace pgl::rules::ssl
