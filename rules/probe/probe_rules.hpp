// The probe-* rules, and the findings `pgconflint probe` makes of a probe::Report.
//
// A probe finding is located at the server (file "HOST:PORT", line 0). Where a finding
// means what an ssl-* rule means for files (an expiring certificate, a weak key ...), it
// carries that rule's id and default severity; the probe-* rules cover what only a live
// server shows. Their check() on a configuration reports nothing: they run in
// `pgconflint probe` and `check --cluster` (nodes with `probe = "host:port"`).
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "lint/rule.hpp"
#include "model/config.hpp"
#include "probe/probe.hpp"
#include "tls/x509.hpp"

namespace pgl::rules {

std::unique_ptr<lint::Rule> make_probe_cert_differs_from_files();
std::unique_ptr<lint::Rule> make_probe_old_protocol_accepted();
std::unique_ptr<lint::Rule> make_probe_plaintext_accepted();
std::unique_ptr<lint::Rule> make_probe_ssl_refused();

namespace probes {

struct CaFile {
  std::string path;
  Result<std::vector<tls::PemCert>> certs;
};

struct Context {
  std::time_t now = 0;
  int expiry_days = 30;
  std::vector<std::string> expect_hosts;  // --expect-host
  std::vector<CaFile> ca;                 // --ca
  const model::Config* files = nullptr;   // --config-dir: the configuration the server should be running
};

// Every finding of a probe (the probe-* rules and the ssl-* rules that apply to the
// presented chain), sorted with core::diagnostic_less. Severities are the rules' defaults.
[[nodiscard]] std::vector<core::Diagnostic> assess(const pgl::probe::Report& report, const Context& ctx);

// The parts, one per rule file.
void assess_plaintext_accepted(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out);
void assess_ssl_refused(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out);
void assess_old_protocol_accepted(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out);
void assess_cert_differs_from_files(const pgl::probe::Report& r, const Context& ctx,
                                    std::vector<core::Diagnostic>& out);
// ssl-cert-expired, ssl-cert-expiring, ssl-cert-hostname, ssl-cert-chain, ssl-weak-key,
// ssl-weak-signature, ssl-weak-protocol on what the server presented.
void assess_tls(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out);

// The location of every finding: "HOST:PORT", whole "file".
[[nodiscard]] core::Span server_span(const pgl::probe::Report& r);
// A diagnostic of rule `id` (registered) with its default severity.
[[nodiscard]] core::Diagnostic make(std::string_view id, const pgl::probe::Report& r, std::string message,
                                    std::string help, std::vector<core::Related> related = {});
// `server certificate "db.example.com"` / `intermediate certificate "Example CA"`.
[[nodiscard]] std::string describe(const tls::CertInfo& cert, std::size_t index);

}  // namespace probes
}  // namespace pgl::rules
