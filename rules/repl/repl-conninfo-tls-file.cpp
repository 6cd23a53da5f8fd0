// repl-conninfo-tls-file: the standby's own TLS files named in primary_conninfo (sslrootcert,
// sslcert, sslkey), checked as libpq uses them when the walreceiver connects (relative paths
// are relative to the data directory, its working directory):
//   sslrootcert missing with sslmode verify-ca/verify-full: libpq refuses to connect -> error;
//   sslcert missing: libpq silently sends no client certificate -> warning;
//   sslcert present, sslkey missing or not a regular file, or with group/world access (more than
//     0600, or more than 0640 when owned by root): libpq refuses to connect -> error.
// In repository mode a file that is not in the copy is a note that it could not be checked.
#include <cerrno>

#include <fmt/format.h>
#include <sys/stat.h>

#include "analysis/conf_support.hpp"
#include "rules/repl/repl_rules.hpp"

namespace pgl::rules {

class ReplConninfoTlsFileRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "repl-conninfo-tls-file", "a TLS file named in primary_conninfo is missing or unusable", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const model::ConfEntry* e = primary_conninfo_entry(config);
    if (e == nullptr || !parse::is_connection_string(e->value)) {
      return;
    }
    auto parsed = parse::parse_conninfo(e->value);
    if (!parsed) {
      return;
    }
    const auto* mode = parsed->find("sslmode");
    const bool verify = mode != nullptr && (mode->value == "verify-ca" || mode->value == "verify-full");
    auto report = [&](const parse::ConninfoParam& p, core::Severity sev, std::string msg, std::string help) {
      auto f =
          diag(ctx, analysis::value_sub_span(*e, p.key_offset, p.key_length), std::move(msg)).help(std::move(help));
      if (sev != k_meta.default_severity) {
        f.severity(sev);
      }
    };
    // A file that is not in a repository's copy: a note, and nothing else is said about it.
    auto absent_in_repo = [&](const parse::ConninfoParam& p, const std::string& path) {
      struct stat st {};
      if (!ctx.repo || ::stat(path.c_str(), &st) == 0 || errno != ENOENT) {
        return false;
      }
      report(p, core::Severity::note,
             fmt::format("primary_conninfo {}={} is not in this copy: it could not be checked (repository mode)", p.key,
                         p.value),
             "check the file on the standby, or pass --root DIR where a copy of its files is");
      return true;
    };

    if (const auto* root = parsed->find("sslrootcert"); root != nullptr && root->value != "system" && verify) {
      const std::string path = config.resolve_path(root->value);
      struct stat st {};
      if (!absent_in_repo(*root, path) && ::stat(path.c_str(), &st) != 0) {
        report(*root, core::Severity::error,
               fmt::format("primary_conninfo sslrootcert={}: root certificate file \"{}\" does not exist, and with "
                           "sslmode={} libpq refuses to connect: the standby cannot replicate",
                           root->value, path, mode->value),
               "install the CA certificate that signed the primary's certificate there, or fix the path (relative "
               "paths are relative to the standby's data directory)");
      }
    }
    const auto* cert = parsed->find("sslcert");
    if (cert == nullptr) {
      return;  // libpq then looks in ~/.postgresql/, outside the configuration
    }
    const std::string cert_path = config.resolve_path(cert->value);
    struct stat cst {};
    if (absent_in_repo(*cert, cert_path)) {
      return;
    }
    if (::stat(cert_path.c_str(), &cst) != 0) {
      report(*cert, core::Severity::warning,
             fmt::format("primary_conninfo sslcert={}: certificate file \"{}\" does not exist, so libpq sends no "
                         "client certificate and a primary that requires one (cert, clientcert=...) rejects the "
                         "standby",
                         cert->value, cert_path),
             "install the standby's client certificate there, or remove sslcert");
      return;
    }
    const auto* key = parsed->find("sslkey");
    if (key == nullptr) {
      return;  // ~/.postgresql/postgresql.key, outside the configuration
    }
    const std::string key_path = config.resolve_path(key->value);
    if (absent_in_repo(*key, key_path)) {
      return;
    }
    struct stat kst {};
    if (::stat(key_path.c_str(), &kst) != 0) {
      report(*key, core::Severity::error,
             fmt::format("primary_conninfo sslkey={}: certificate present, but not private key file \"{}\": libpq "
                         "refuses to connect, the standby cannot replicate",
                         key->value, key_path),
             "install the private key of the standby's client certificate there, or fix the path");
    } else if (!S_ISREG(kst.st_mode)) {
      report(*key, core::Severity::error,
             fmt::format("primary_conninfo sslkey={}: private key file \"{}\" is not a regular file: libpq refuses "
                         "to connect",
                         key->value, key_path),
             "point sslkey at the key file itself");
    } else if ((kst.st_uid == 0 && (kst.st_mode & (S_IWGRP | S_IXGRP | S_IRWXO)) != 0) ||
               (kst.st_uid != 0 && (kst.st_mode & (S_IRWXG | S_IRWXO)) != 0)) {
      report(*key, core::Severity::error,
             fmt::format("primary_conninfo sslkey={}: private key file \"{}\" has group or world access (mode "
                         "{:04o}): libpq refuses to use it, the standby cannot replicate",
                         key->value, key_path, kst.st_mode & 07777),
             "chmod 0600 the key (owned by the server's OS user), or 0640 when it is owned by root");
    }
  }
};

std::unique_ptr<lint::Rule> make_repl_conninfo_tls_file() {
  return std::make_unique<ReplConninfoTlsFileRule>();
}

}  // namespace pgl::rules
