// What the ssl-* rules say about files, said about the chain a running server presents
// (same ids, severities and wording, located at HOST:PORT).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/probe/probe_rules.hpp"
#include "tls/strength.hpp"

namespace pgl::rules::probes {

namespace {

long days_between(std::time_t now, std::time_t t) {
  return static_cast<long>((t - now) / 86400);
}

void dates(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out) {
  const std::string where = r.target.display();
  const std::time_t limit = ctx.now + static_cast<std::time_t>(ctx.expiry_days) * 86400;
  for (std::size_t i = 0; i < r.handshake.chain.size(); ++i) {
    const auto& info = r.handshake.chain[i].cert.info();
    if (info.not_after < ctx.now) {
      out.push_back(make("ssl-cert-expired", r,
                         fmt::format("{} presented by {} expired on {} ({} days ago)", describe(info, i), where,
                                     tls::format_utc(info.not_after), -days_between(ctx.now, info.not_after)),
                         "renew the certificate; clients that verify it (sslmode=verify-ca/verify-full) refuse to "
                         "connect"));
    } else if (info.not_before > ctx.now) {
      out.push_back(make("ssl-cert-not-yet-valid", r,
                         fmt::format("{} presented by {} is not valid before {}", describe(info, i), where,
                                     tls::format_utc(info.not_before)),
                         "check the clock of the machine that issued it, or wait; clients that verify it refuse "
                         "to connect until then"));
    } else if (info.not_after <= limit) {
      const long days = days_between(ctx.now, info.not_after);
      out.push_back(make(
          "ssl-cert-expiring", r,
          fmt::format("{} presented by {} expires on {} (in {} day{})", describe(info, i), where,
                      tls::format_utc(info.not_after), days, days == 1 ? "" : "s"),
          fmt::format("renew it before it expires (the window is {} days, set with --expiry-days)", ctx.expiry_days)));
    }
  }
}

void hostnames(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out) {
  if (r.handshake.chain.empty()) {
    return;
  }
  const auto& info = r.handshake.chain[0].cert.info();
  for (const auto& host : ctx.expect_hosts) {
    const auto match = tls::match_host(info, host);
    if (match.matches) {
      continue;
    }
    std::vector<std::string> covers;
    for (const auto& san : info.sans) {
      if (san.kind != tls::SanEntry::Kind::other) {
        covers.push_back(fmt::format("{}:{}", san.kind == tls::SanEntry::Kind::dns ? "DNS" : "IP", san.text));
      }
    }
    if (info.common_name) {
      covers.push_back("CN=" + *info.common_name);
    }
    out.push_back(make(
        "ssl-cert-hostname", r, fmt::format("{} (sslmode=verify-full)", match.message),
        covers.empty()
            ? std::string("the certificate names no host: add a subjectAltName DNS or IP entry")
            : fmt::format("the certificate covers {}; add \"{}\" as a subjectAltName", fmt::join(covers, ", "), host)));
  }
}

void chain(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out) {
  if (r.handshake.chain.empty() || ctx.ca.empty()) {
    return;
  }
  std::vector<tls::Certificate> trusted;
  std::vector<std::string> sources;
  for (const auto& ca : ctx.ca) {
    if (!ca.certs) {
      out.push_back(
          make("ssl-cert-chain", r,
               fmt::format("could not load CA file \"{}\" given with --ca: {}", ca.path, ca.certs.error().message),
               "name a PEM file of CA certificates"));
      continue;
    }
    for (const auto& pc : *ca.certs) {
      trusted.push_back(pc.cert);
    }
    sources.push_back("\"" + ca.path + "\"");
  }
  if (trusted.empty()) {
    return;
  }
  std::vector<tls::Certificate> presented;
  for (const auto& pc : r.handshake.chain) {
    presented.push_back(pc.cert);
  }
  if (auto rc = tls::verify_chain(presented, trusted, ctx.now); !rc) {
    out.push_back(make("ssl-cert-chain", r,
                       fmt::format("server certificate \"{}\" presented by {} does not verify against the CA "
                                   "certificates in {}: {}",
                                   presented[0].info().display_name(), r.target.display(), fmt::join(sources, ", "),
                                   rc.error().message),
                       "put the leaf certificate first in ssl_cert_file followed by every intermediate up to (not "
                       "necessarily including) the root, make sure the root is the one clients trust, and reload "
                       "the server"));
  }
}

void strength(const pgl::probe::Report& r, std::vector<core::Diagnostic>& out) {
  for (std::size_t i = 0; i < r.handshake.chain.size(); ++i) {
    const auto& info = r.handshake.chain[i].cert.info();
    if (const std::string why = tls::weak_key_reason(info.key); !why.empty()) {
      out.push_back(make(
          "ssl-weak-key", r,
          fmt::format("{} certificate \"{}\" presented by {} has a weak {} key: {}", i == 0 ? "server" : "intermediate",
                      info.display_name(), r.target.display(), info.key.describe(), why),
          "issue a new certificate with an RSA 3072-bit or EC P-256 key"));
    }
    if (tls::weak_signature(info)) {
      out.push_back(make(
          "ssl-weak-signature", r,
          fmt::format("{} presented by {} is signed with {} ({}), which is broken for signatures", describe(info, i),
                      r.target.display(), tls::weak_digest_name(info), info.signature_algorithm),
          "have it re-issued with a SHA-256 (or stronger) signature; OpenSSL 3 at security level 1+ "
          "rejects SHA-1 and MD5 signatures"));
    }
  }
}

void protocol(const pgl::probe::Report& r, std::vector<core::Diagnostic>& out) {
  const auto v = pgl::probe::version_from_string(r.handshake.protocol);
  if (!r.handshake.ok || !v || *v >= pgl::probe::TlsVersion::tls1_2) {
    return;
  }
  out.push_back(make("ssl-weak-protocol", r,
                     fmt::format("{} negotiated {} with a client offering TLS 1.0 to 1.3: its highest protocol "
                                 "version is below TLS 1.2, which clients from libpq 13 on refuse by default",
                                 r.target.display(), r.handshake.protocol),
                     "set ssl_max_protocol_version = '' (no limit) or 'TLSv1.3' and reload the server"));
}

}  // namespace

void assess_tls(const pgl::probe::Report& r, const Context& ctx, std::vector<core::Diagnostic>& out) {
  if (r.ssl_answer != pgl::probe::SslAnswer::accepted || !r.handshake.ok) {
    return;
  }
  dates(r, ctx, out);
  hostnames(r, ctx, out);
  chain(r, ctx, out);
  strength(r, out);
  protocol(r, out);
}

}  // namespace pgl::rules::probes
