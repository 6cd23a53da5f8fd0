// Shared pieces of the probe findings.
#include <algorithm>

#include <fmt/format.h>

#include "rules/probe/probe_rules.hpp"

namespace pgl::rules::probes {

core::Span server_span(const pgl::probe::Report& r) {
  return core::Span{core::Location{r.target.display(), 0, 0}, 0, 0};
}

core::Diagnostic make(std::string_view id, const pgl::probe::Report& r, std::string message, std::string help,
                      std::vector<core::Related> related) {
  core::Diagnostic d;
  d.rule = std::string(id);
  const lint::Rule* rule = lint::find_rule(id);
  d.severity = rule != nullptr ? rule->meta().default_severity : core::Severity::warning;
  d.message = std::move(message);
  d.span = server_span(r);
  d.related = std::move(related);
  d.help = std::move(help);
  return d;
}

std::string describe(const tls::CertInfo& cert, std::size_t index) {
  return fmt::format("{} \"{}\"", index == 0 ? "server certificate" : "intermediate certificate", cert.display_name());
}

std::vector<core::Diagnostic> assess(const pgl::probe::Report& report, const Context& ctx) {
  std::vector<core::Diagnostic> out;
  assess_cert_differs_from_files(report, ctx, out);
  assess_old_protocol_accepted(report, ctx, out);
  assess_plaintext_accepted(report, ctx, out);
  assess_ssl_refused(report, ctx, out);
  assess_tls(report, ctx, out);
  std::sort(out.begin(), out.end(), core::diagnostic_less);
  return out;
}

}  // namespace pgl::rules::probes
