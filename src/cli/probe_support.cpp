#include "cli/probe_support.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/probe/probe_rules.hpp"

namespace pgl::cli {

Result<ProbeOutcome> probe_server(const ProbeRequest& request, const lint::LintContext& ctx,
                                  const lint::RuleSelection& selection) {
  rules::probes::Context pc;
  pc.now = ctx.now;
  pc.expiry_days = ctx.expiry_days;
  pc.expect_hosts = ctx.expect_hosts;
  pc.files = request.files;
  for (const auto& path : request.ca_files) {
    auto certs = tls::load_ca_bundle(path);
    if (!certs) {
      return fail(fmt::format("cannot load CA file \"{}\" given with --ca: {}", path, certs.error().message));
    }
    pc.ca.push_back({path, std::move(certs)});
  }
  auto report = probe::run(request.options);
  if (!report) {
    return tl::unexpected(report.error());
  }
  ProbeOutcome out;
  if (!request.ca_files.empty() && report->handshake.ok && !report->handshake.chain.empty()) {
    std::vector<tls::Certificate> trusted;
    std::vector<tls::Certificate> presented;
    for (const auto& ca : pc.ca) {
      for (const auto& c : *ca.certs) {
        trusted.push_back(c.cert);
      }
    }
    for (const auto& c : report->handshake.chain) {
      presented.push_back(c.cert);
    }
    auto rc = tls::verify_chain(presented, trusted, ctx.now);
    out.chain_verdict =
        rc ? fmt::format("verifies against {}", fmt::join(request.ca_files, ", "))
           : fmt::format("does not verify against {}: {}", fmt::join(request.ca_files, ", "), rc.error().message);
  }
  for (auto& d : rules::probes::assess(*report, pc)) {
    if (!selection.selected(d.rule)) {
      continue;
    }
    if (auto it = selection.severity.find(d.rule); it != selection.severity.end()) {
      d.severity = it->second;
    } else if (selection.raise_notes && d.severity == core::Severity::note) {
      d.severity = core::Severity::warning;
    }
    out.diagnostics.push_back(std::move(d));
  }
  std::sort(out.diagnostics.begin(), out.diagnostics.end(), core::diagnostic_less);
  out.report = std::move(*report);
  return out;
}

Result<std::vector<core::Diagnostic>> probe_node(const std::string& target, const model::Config& files,
                                                 const lint::LintContext& ctx, const std::vector<std::string>& ca_files,
                                                 const lint::RuleSelection& selection) {
  auto parsed = probe::parse_target(target);
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  ProbeRequest request;
  request.options.target = *parsed;
  request.files = &files;
  request.ca_files = ca_files;
  auto outcome = probe_server(request, ctx, selection);
  if (!outcome) {
    return tl::unexpected(outcome.error());
  }
  return std::move(outcome->diagnostics);
}

namespace {

std::string cert_line(const tls::CertInfo& c, std::size_t i, std::time_t now) {
  const long days = static_cast<long>((c.not_after - now) / 86400);
  std::vector<std::string> names;
  for (const auto& san : c.sans) {
    if (san.kind != tls::SanEntry::Kind::other) {
      names.push_back(fmt::format("{}:{}", san.kind == tls::SanEntry::Kind::dns ? "DNS" : "IP", san.text));
    }
  }
  return fmt::format("    [{}] {}\n        issuer {}\n        valid until {} ({})\n        key {}, signature {}{}\n", i,
                     c.subject.empty() ? "(empty subject)" : c.subject, c.issuer.empty() ? "(empty)" : c.issuer,
                     tls::format_utc(c.not_after),
                     days >= 0 ? fmt::format("{} day{} left", days, days == 1 ? "" : "s")
                               : fmt::format("expired {} day{} ago", -days, days == -1 ? "" : "s"),
                     c.key.describe(), c.signature_algorithm,
                     names.empty() ? std::string() : fmt::format("\n        names {}", fmt::join(names, ", ")));
}

}  // namespace

std::string describe_report(const probe::Report& r, const ProbeOutcome& outcome, std::time_t now,
                            const std::vector<std::string>& ca_files) {
  using probe::SslAnswer;
  std::string out = fmt::format("probe {} ({})\n", r.target.display(), r.address);
  switch (r.ssl_answer) {
    case SslAnswer::accepted: out += "  SSLRequest: accepted ('S')\n"; break;
    case SslAnswer::refused: out += "  SSLRequest: refused ('N')\n"; break;
    case SslAnswer::error: out += fmt::format("  SSLRequest: error: {}\n", r.ssl_error); break;
  }
  if (r.ssl_answer == SslAnswer::accepted) {
    if (r.handshake.ok) {
      out += fmt::format("  negotiated: {}, {} ({}-bit){}\n", r.handshake.protocol, r.handshake.cipher,
                         r.handshake.cipher_bits,
                         r.handshake.alpn.empty() ? std::string() : fmt::format(", ALPN {}", r.handshake.alpn));
      out += fmt::format("  chain: {} certificate{} presented\n", r.handshake.chain.size(),
                         r.handshake.chain.size() == 1 ? "" : "s");
      for (std::size_t i = 0; i < r.handshake.chain.size(); ++i) {
        out += cert_line(r.handshake.chain[i].cert.info(), i, now);
      }
      out += ca_files.empty() ? std::string("  chain against --ca: not checked (no --ca)\n")
                              : fmt::format("  chain against --ca: {}\n", outcome.chain_verdict);
    } else {
      out += fmt::format("  handshake: failed: {}\n", r.handshake.error);
    }
    for (const auto& v : r.versions) {
      const char* what = v.outcome == probe::VersionCheck::Outcome::accepted  ? "accepted"
                         : v.outcome == probe::VersionCheck::Outcome::refused ? "refused"
                                                                              : "not testable";
      out += fmt::format("  {} only: {} ({})\n", probe::display(v.version), what, v.detail);
    }
  }
  if (r.direct_tls) {
    out += *r.direct_tls
               ? fmt::format("  direct TLS (ALPN postgresql): offered ({})\n", r.direct_detail)
               : fmt::format("  direct TLS (ALPN postgresql, PostgreSQL 17+): not offered ({})\n", r.direct_detail);
  }
  using Plain = probe::PlainCheck::Outcome;
  const std::string who = fmt::format("user \"{}\", database \"{}\"", r.user, r.database);
  switch (r.plaintext.outcome) {
    case Plain::not_tested: break;
    case Plain::auth_requested:
      out += fmt::format("  without SSL: accepted for {}: the server asked for {} (closed there, no password sent)\n",
                         who, r.plaintext.auth_method);
      break;
    case Plain::auth_ok:
      out += fmt::format("  without SSL: accepted for {} with no authentication (trust)\n", who);
      break;
    case Plain::refused: out += fmt::format("  without SSL: refused for {}: {}\n", who, r.plaintext.message); break;
    case Plain::error:
      out += fmt::format("  without SSL: not determined for {}: {}{}\n", who,
                         r.plaintext.sqlstate.empty() ? "" : r.plaintext.sqlstate + " ", r.plaintext.message);
      break;
    case Plain::unexpected:
      out += fmt::format("  without SSL: not determined for {}: {}\n", who, r.plaintext.message);
      break;
  }
  return out;
}

}  // namespace pgl::cli
