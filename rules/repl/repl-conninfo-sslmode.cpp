// repl-conninfo-sslmode: the standby's connection to its primary is not protected by a
// verified TLS connection. Replication carries every change of every table.
//   missing sslmode (libpq default prefer), disable, allow, prefer: no guaranteed
//     encryption -> error;
//   require, verify-ca: encrypted, but the primary's identity (host name) is not checked
//     -> warning;
//   verify-full without sslrootcert: checked against ~/.postgresql/root.crt of the
//     server's OS user, a file outside the configuration -> warning.
// Unix-socket-only connections (host starting with '/' or no host) are not checked.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "rules/repl/repl_rules.hpp"

namespace pgl::rules {

class ReplConninfoSslmodeRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "repl-conninfo-sslmode", "replication connection without verified TLS (sslmode weaker than verify-full)",
      core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const model::ConfEntry* e = primary_conninfo_entry(config);
    if (e == nullptr || !parse::is_connection_string(e->value)) {
      return;
    }
    const auto& parsed = parsed_conninfo(config, *e, ctx);
    if (!parsed || only_unix_sockets(*parsed)) {
      return;
    }
    const auto* mode = parsed->find("sslmode");
    if (mode == nullptr) {
      diag(ctx, e->value_span,
           "primary_conninfo has no sslmode: libpq's default 'prefer' falls back to an unencrypted connection "
           "and never checks the primary's certificate")
          .help(
              "add sslmode=verify-full and sslrootcert=/path/to/root.crt (the CA that signed the primary's "
              "certificate)");
      return;
    }
    const std::string& m = mode->value;
    const core::Span at = analysis::value_sub_span(*e, mode->key_offset, mode->key_length);
    if (m == "disable" || m == "allow" || m == "prefer") {
      diag(ctx, at,
           fmt::format("primary_conninfo uses sslmode={}: the replication stream may travel unencrypted and the "
                       "primary's identity is not checked",
                       m))
          .help("use sslmode=verify-full with sslrootcert=/path/to/root.crt");
    } else if (m == "require" || m == "verify-ca") {
      diag(ctx, at,
           m == "require" ? std::string("primary_conninfo uses sslmode=require: the connection is encrypted but the "
                                        "primary's certificate is not verified, so anyone in the network path can "
                                        "impersonate it")
                          : std::string("primary_conninfo uses sslmode=verify-ca: the certificate is checked against "
                                        "the CA but not against the host name, so any server with a certificate "
                                        "from that CA can impersonate the primary"))
          .help("use sslmode=verify-full with sslrootcert=/path/to/root.crt")
          .severity(core::Severity::warning);
    } else if (m == "verify-full" && parsed->find("sslrootcert") == nullptr) {
      diag(ctx, at,
           "primary_conninfo uses sslmode=verify-full without sslrootcert: the primary's certificate is checked "
           "against ~/.postgresql/root.crt of the server's OS user, a file outside the configuration (the "
           "connection fails if it is missing)")
          .help("add sslrootcert=/path/to/root.crt (or sslrootcert=system in PostgreSQL 16+ libpq)")
          .severity(core::Severity::warning);
    }
  }

 private:
  static bool only_unix_sockets(const parse::Conninfo& c) {
    if (c.find("hostaddr") != nullptr) {
      return false;
    }
    const auto* host = c.find("host");
    if (host == nullptr || host->value.empty()) {
      return true;  // libpq's default: the Unix-domain socket
    }
    std::size_t start = 0;
    const std::string& h = host->value;
    while (start <= h.size()) {
      std::size_t end = h.find(',', start);
      if (end == std::string::npos) {
        end = h.size();
      }
      const std::string item = h.substr(start, end - start);
      if (item.empty() || (item.front() != '/' && item.front() != '@')) {
        return false;
      }
      start = end + 1;
    }
    return true;
  }
};

std::unique_ptr<lint::Rule> make_repl_conninfo_sslmode() {
  return std::make_unique<ReplConninfoSslmodeRule>();
}

}  // namespace pgl::rules
