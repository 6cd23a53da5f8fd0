// pgconflint probe: protocol pieces, a fake server on loopback, and the findings made of a
// report (the live server cases are in tests/scripts/test_probe.py).
#include "probe/probe.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "diff/diff.hpp"
#include "load/loader.hpp"
#include "rules/probe/probe_rules.hpp"
#include "tls_testutil.hpp"

namespace tu = pgl::tls::testutil;
using pgl::core::Diagnostic;
using pgl::core::Severity;
using pgl::probe::PlainCheck;
using pgl::probe::Report;
using pgl::probe::SslAnswer;
using pgl::probe::TlsVersion;
using pgl::probe::VersionCheck;
using tu::k_day;
using tu::k_now;

namespace {

// --- targets and protocol bytes ---

TEST(ProbeTarget, HostAndPort) {
  auto t = pgl::probe::parse_target("db.example.com");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "db.example.com");
  EXPECT_EQ(t->port, 5432);
  EXPECT_EQ(t->display(), "db.example.com:5432");
  t = pgl::probe::parse_target("127.0.0.1:6543");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 6543);
  t = pgl::probe::parse_target("[::1]:5433");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 5433);
  EXPECT_EQ(t->display(), "[::1]:5433");
  t = pgl::probe::parse_target("::1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 5432);
}

TEST(ProbeTarget, Invalid) {
  for (const char* bad :
       {"", ":5432", "db:", "db:0", "db:65536", "db:54x2", "[::1", "[::1]5432", "[]:5432", "[::1]:"}) {
    EXPECT_FALSE(pgl::probe::parse_target(bad)) << bad;
  }
}

TEST(ProbeProtocol, SslRequestBytes) {
  EXPECT_EQ(pgl::probe::ssl_request(), std::string("\x00\x00\x00\x08\x04\xd2\x16\x2f", 8));
}

TEST(ProbeProtocol, StartupMessage) {
  const std::string m = pgl::probe::startup_message("pgl", "postgres");
  ASSERT_GE(m.size(), 8u);
  const auto len = static_cast<std::size_t>(static_cast<unsigned char>(m[2])) << 8 | static_cast<unsigned char>(m[3]);
  EXPECT_EQ(len, m.size());
  EXPECT_EQ(m.substr(4, 4), std::string("\x00\x03\x00\x00", 4));  // protocol 3.0
  EXPECT_NE(m.find(std::string("user\0pgl\0database\0postgres\0", 27)), std::string::npos);
  EXPECT_EQ(m.substr(m.size() - 2), std::string("\0\0", 2));
  EXPECT_EQ(m.find("password"), std::string::npos);
}

TEST(ProbeProtocol, ErrorFieldsAndAuthNames) {
  const std::string body(
      "SFATAL\0VFATAL\0C28000\0Mno pg_hba.conf entry for host \"127.0.0.1\", user \"u\", "
      "database \"d\", no encryption\0Fauth.c\0\0",
      102);
  const auto e = pgl::probe::parse_error_fields(body);
  EXPECT_EQ(e.sqlstate, "28000");
  EXPECT_EQ(e.severity, "FATAL");
  EXPECT_NE(e.message.find("no encryption"), std::string::npos);
  EXPECT_EQ(pgl::probe::auth_method_name(10, std::string("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0", 34)),
            "SCRAM-SHA-256-PLUS, SCRAM-SHA-256");
  EXPECT_EQ(pgl::probe::auth_method_name(5, ""), "md5");
  EXPECT_EQ(pgl::probe::auth_method_name(3, ""), "password");
  EXPECT_EQ(pgl::probe::auth_method_name(0, ""), "none (trust)");
}

// --- a fake server on 127.0.0.1 ---

// Answers 'N' to every SSLRequest and SQLSTATE 28000 to every StartupMessage (what a
// server with ssl = off and no matching line says), or `first_byte` to everything.
class FakeServer {
 public:
  explicit FakeServer(char first_byte = 0) : m_first(first_byte) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    EXPECT_EQ(::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(m_fd, 8), 0);
    socklen_t len = sizeof a;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
    m_thread = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    m_stop = true;
    m_thread.join();
    ::close(m_fd);
  }
  [[nodiscard]] std::uint16_t port() const { return m_port; }
  [[nodiscard]] int startups() const { return m_startups; }

 private:
  void serve() {
    while (!m_stop) {
      pollfd p{m_fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      const int c = ::accept(m_fd, nullptr, nullptr);
      if (c < 0) {
        continue;
      }
      char head[8];
      std::size_t got = 0;
      while (got < sizeof head) {
        pollfd q{c, POLLIN, 0};
        if (::poll(&q, 1, 2000) <= 0) {
          break;
        }
        const ssize_t n = ::recv(c, head + got, sizeof head - got, 0);
        if (n <= 0) {
          break;
        }
        got += static_cast<std::size_t>(n);
      }
      if (m_first != 0) {
        ::send(c, &m_first, 1, MSG_NOSIGNAL);
      } else if (got == 8 && std::string(head, 8) == pgl::probe::ssl_request()) {
        ::send(c, "N", 1, MSG_NOSIGNAL);
      } else {
        ++m_startups;
        const std::string fields("SFATAL\0C28000\0Mno pg_hba.conf entry, no encryption\0\0", 52);
        std::string msg = "E";
        const auto len = static_cast<std::uint32_t>(fields.size() + 4);
        msg += std::string{static_cast<char>(len >> 24), static_cast<char>(len >> 16), static_cast<char>(len >> 8),
                           static_cast<char>(len)};
        msg += fields;
        ::send(c, msg.data(), msg.size(), MSG_NOSIGNAL);
      }
      ::close(c);
    }
  }

  int m_fd = -1;
  std::uint16_t m_port = 0;
  char m_first;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_startups{0};
  std::thread m_thread;
};

TEST(ProbeRun, SslOffAndPlaintextRefused) {
  FakeServer fake;
  pgl::probe::Options o;
  o.target = {"127.0.0.1", fake.port()};
  o.user = "u";
  o.timeout_ms = 3000;
  auto r = pgl::probe::run(o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->ssl_answer, SslAnswer::refused);
  EXPECT_TRUE(r->versions.empty());
  EXPECT_EQ(r->plaintext.outcome, PlainCheck::Outcome::refused);
  EXPECT_EQ(r->plaintext.sqlstate, "28000");
  EXPECT_EQ(r->database, "u");
  ASSERT_TRUE(r->direct_tls.has_value());
  EXPECT_FALSE(*r->direct_tls);
  EXPECT_EQ(r->address, "127.0.0.1");
}

TEST(ProbeRun, NotPostgres) {
  FakeServer fake('H');  // e.g. an HTTP server's first byte
  pgl::probe::Options o;
  o.target = {"127.0.0.1", fake.port()};
  o.timeout_ms = 3000;
  auto r = pgl::probe::run(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("127.0.0.1:"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("not a PostgreSQL server"), std::string::npos) << r.error().message;
}

TEST(ProbeRun, ErrorAnswerToTheSslRequest) {
  FakeServer fake('E');  // an ErrorResponse (cut short) instead of S or N
  pgl::probe::Options o;
  o.target = {"127.0.0.1", fake.port()};
  o.timeout_ms = 3000;
  auto r = pgl::probe::run(o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->ssl_answer, SslAnswer::error);
  EXPECT_EQ(r->plaintext.outcome, PlainCheck::Outcome::unexpected);
  const auto ds = pgl::rules::probes::assess(*r, {});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].rule, "probe-ssl-refused");
  EXPECT_NE(ds[0].message.find("answered the SSLRequest with an error"), std::string::npos) << ds[0].message;
}

TEST(ProbeCluster, ProbeKeyOfANode) {
  tu::TempDir dir;
  const std::string toml = dir.write("cluster.toml",
                                     "[[node]]\nname = \"a\"\nconfig_dir = \"a\"\nprobe = \"127.0.0.1:5433\"\n"
                                     "[[node]]\nname = \"b\"\nconfig_dir = \"b\"\n",
                                     0644);
  auto nodes = pgl::diff::read_cluster_file(toml);
  ASSERT_TRUE(nodes) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ((*nodes)[0].probe, std::optional<std::string>("127.0.0.1:5433"));
  EXPECT_FALSE((*nodes)[1].probe.has_value());
  dir.write("cluster.toml", "[[node]]\nname = \"a\"\nconfig_dir = \"a\"\nprobe = [\"x\"]\n", 0644);
  nodes = pgl::diff::read_cluster_file(toml);
  ASSERT_FALSE(nodes);
  EXPECT_NE(nodes.error().message.find("node 'a': probe must be a string"), std::string::npos) << nodes.error().message;
}

TEST(ProbeRun, RefusedPortNamesTheServer) {
  // A port nobody listens on: bind one, close it, probe it.
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  pgl::probe::Options o;
  o.target = {"127.0.0.1", ntohs(a.sin_port)};
  auto r = pgl::probe::run(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot connect to 127.0.0.1:" + std::to_string(ntohs(a.sin_port))),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("refused"), std::string::npos) << r.error().message;
}

// --- findings of a report ---

pgl::tls::PemCert pem(const tu::TestCert& c) {
  auto parsed = pgl::tls::parse_cert_chain(c.pem());
  EXPECT_TRUE(parsed && !parsed->empty());
  return parsed && !parsed->empty() ? (*parsed)[0] : pgl::tls::PemCert{};
}

struct Pki {
  tu::TestKey ca_key = tu::ec_key();
  tu::TestCert ca = tu::make_cert(
      {.cn = "Probe CA", .not_before = k_now - 100 * k_day, .not_after = k_now + 3650 * k_day, .ca = true, .serial = 1},
      ca_key);
  tu::TestKey key = tu::ec_key();
  tu::TestCert leaf(std::time_t not_after, std::vector<std::string> dns = {"db.example.com"}, long serial = 2) const {
    return tu::make_cert({.cn = "db.example.com",
                          .dns = std::move(dns),
                          .not_before = k_now - 10 * k_day,
                          .not_after = not_after,
                          .serial = serial},
                         key, &ca, &ca_key);
  }
};

Report healthy(const Pki& pki) {
  Report r;
  r.target = {"127.0.0.1", 5432};
  r.address = "127.0.0.1";
  r.user = "postgres";
  r.database = "postgres";
  r.ssl_answer = SslAnswer::accepted;
  r.handshake.ok = true;
  r.handshake.protocol = "TLSv1.3";
  r.handshake.cipher = "TLS_AES_256_GCM_SHA384";
  r.handshake.chain = {pem(pki.leaf(k_now + 365 * k_day)), pem(pki.ca)};
  for (const TlsVersion v : pgl::probe::k_all_versions) {
    r.versions.push_back(
        {v, v >= TlsVersion::tls1_2 ? VersionCheck::Outcome::accepted : VersionCheck::Outcome::refused, "x"});
  }
  r.direct_tls = false;
  r.plaintext.outcome = PlainCheck::Outcome::refused;
  r.plaintext.sqlstate = "28000";
  return r;
}

pgl::rules::probes::Context context() {
  pgl::rules::probes::Context c;
  c.now = k_now;
  c.expect_hosts = {"db.example.com"};
  return c;
}

std::vector<std::string> ids(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  out.reserve(ds.size());
  for (const auto& d : ds) {
    out.push_back(d.rule);
  }
  return out;
}

TEST(ProbeFindings, HealthyServerHasNone) {
  const Pki pki;
  EXPECT_TRUE(pgl::rules::probes::assess(healthy(pki), context()).empty());
}

TEST(ProbeFindings, LocatedAtTheServerWithTheRulesSeverity) {
  const Pki pki;
  Report r = healthy(pki);
  r.handshake.chain[0] = pem(pki.leaf(k_now - 3 * k_day));
  const auto ds = pgl::rules::probes::assess(r, context());
  ASSERT_EQ(ids(ds), std::vector<std::string>{"ssl-cert-expired"});
  EXPECT_EQ(ds[0].severity, Severity::error);
  EXPECT_EQ(ds[0].span.begin.file, "127.0.0.1:5432");
  EXPECT_EQ(ds[0].span.begin.line, 0u);
  EXPECT_NE(ds[0].message.find("server certificate \"db.example.com\" presented by 127.0.0.1:5432 expired on"),
            std::string::npos)
      << ds[0].message;
  EXPECT_NE(ds[0].message.find("(3 days ago)"), std::string::npos) << ds[0].message;
  EXPECT_FALSE(ds[0].help.empty());
}

TEST(ProbeFindings, ExpiringWithinTheWindow) {
  const Pki pki;
  Report r = healthy(pki);
  r.handshake.chain[0] = pem(pki.leaf(k_now + 5 * k_day));
  auto ctx = context();
  auto ds = pgl::rules::probes::assess(r, ctx);
  ASSERT_EQ(ids(ds), std::vector<std::string>{"ssl-cert-expiring"});
  EXPECT_NE(ds[0].message.find("(in 5 days)"), std::string::npos) << ds[0].message;
  ctx.expiry_days = 4;
  EXPECT_TRUE(pgl::rules::probes::assess(r, ctx).empty());
}

TEST(ProbeFindings, HostNameAsVerifyFull) {
  const Pki pki;
  Report r = healthy(pki);
  auto ctx = context();
  ctx.expect_hosts = {"db.example.com", "other.example.com"};
  const auto ds = pgl::rules::probes::assess(r, ctx);
  ASSERT_EQ(ids(ds), std::vector<std::string>{"ssl-cert-hostname"});
  EXPECT_NE(ds[0].message.find("does not match host name \"other.example.com\""), std::string::npos) << ds[0].message;
}

TEST(ProbeFindings, ChainAgainstCa) {
  const Pki pki;
  const Pki other;
  Report r = healthy(pki);
  auto ctx = context();
  ctx.ca.push_back({"ca.pem", std::vector<pgl::tls::PemCert>{pem(pki.ca)}});
  EXPECT_TRUE(pgl::rules::probes::assess(r, ctx).empty());
  ctx.ca = {};
  ctx.ca.push_back({"other.pem", std::vector<pgl::tls::PemCert>{pem(other.ca)}});
  const auto ds = pgl::rules::probes::assess(r, ctx);
  ASSERT_EQ(ids(ds), std::vector<std::string>{"ssl-cert-chain"});
  EXPECT_NE(ds[0].message.find("does not verify against the CA certificates in \"other.pem\""), std::string::npos)
      << ds[0].message;
}

TEST(ProbeFindings, WeakKeyAndSignature) {
  const Pki pki;
  Report r = healthy(pki);
  const tu::TestKey weak = tu::rsa_key(1024);
  r.handshake.chain[0] = pem(tu::make_cert({.cn = "db.example.com",
                                            .dns = {"db.example.com"},
                                            .not_before = k_now - k_day,
                                            .not_after = k_now + 365 * k_day,
                                            .digest = "sha1",
                                            .serial = 9},
                                           weak, &pki.ca, &pki.ca_key));
  const auto ds = pgl::rules::probes::assess(r, context());
  ASSERT_EQ(ids(ds), (std::vector<std::string>{"ssl-weak-key", "ssl-weak-signature"}));
  EXPECT_NE(ds[0].message.find("weak RSA 1024-bit key: RSA keys need at least 2048 bits"), std::string::npos)
      << ds[0].message;
  EXPECT_NE(ds[1].message.find("signed with SHA-1"), std::string::npos) << ds[1].message;
}

TEST(ProbeFindings, Protocols) {
  const Pki pki;
  Report r = healthy(pki);
  r.versions[0].outcome = VersionCheck::Outcome::accepted;    // TLS 1.0
  r.versions[1].outcome = VersionCheck::Outcome::untestable;  // TLS 1.1: nothing known
  auto ds = pgl::rules::probes::assess(r, context());
  ASSERT_EQ(ids(ds), std::vector<std::string>{"probe-old-protocol-accepted"});
  EXPECT_NE(ds[0].message.find("accepts TLS 1.0 handshakes"), std::string::npos) << ds[0].message;
  r = healthy(pki);
  r.handshake.protocol = "TLSv1.1";
  ds = pgl::rules::probes::assess(r, context());
  ASSERT_EQ(ids(ds), std::vector<std::string>{"ssl-weak-protocol"});
  EXPECT_NE(ds[0].message.find("negotiated TLSv1.1"), std::string::npos) << ds[0].message;
}

TEST(ProbeFindings, PlaintextAndSsl) {
  const Pki pki;
  Report r = healthy(pki);
  r.plaintext.outcome = PlainCheck::Outcome::auth_requested;
  r.plaintext.auth_method = "SCRAM-SHA-256";
  auto ds = pgl::rules::probes::assess(r, context());
  ASSERT_EQ(ids(ds), std::vector<std::string>{"probe-plaintext-accepted"});
  EXPECT_NE(ds[0].message.find("(SCRAM-SHA-256)"), std::string::npos) << ds[0].message;
  r.plaintext.outcome = PlainCheck::Outcome::error;  // e.g. too many clients: no verdict
  EXPECT_TRUE(pgl::rules::probes::assess(r, context()).empty());

  r = healthy(pki);
  r.ssl_answer = SslAnswer::refused;
  r.handshake = {};
  r.versions.clear();
  ds = pgl::rules::probes::assess(r, context());
  ASSERT_EQ(ids(ds), std::vector<std::string>{"probe-ssl-refused"});
  EXPECT_EQ(ds[0].severity, Severity::error);

  r = healthy(pki);
  r.handshake.ok = false;
  r.handshake.error = "tlsv1 alert internal error";
  ds = pgl::rules::probes::assess(r, context());
  ASSERT_EQ(ids(ds), std::vector<std::string>{"probe-ssl-refused"});
  EXPECT_NE(ds[0].message.find("tlsv1 alert internal error"), std::string::npos);
}

TEST(ProbeFindings, CertDiffersFromFiles) {
  const Pki pki;
  tu::TempDir dir;
  dir.write("postgresql.conf", "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n", 0644);
  dir.write("PG_VERSION", "15\n", 0644);
  const tu::TestCert served = pki.leaf(k_now + 365 * k_day, {"db.example.com"}, 2);
  const tu::TestCert renewed = pki.leaf(k_now + 730 * k_day, {"db.example.com"}, 3);
  dir.write("server.crt", renewed.pem(), 0644);
  pgl::model::LoadOptions lo;
  lo.paths = {dir.path()};
  auto config = pgl::load::load_config(lo);
  ASSERT_TRUE(config) << config.error().message;
  Report r = healthy(pki);
  r.handshake.chain = {pem(served)};
  auto ctx = context();
  ctx.files = &*config;
  auto ds = pgl::rules::probes::assess(r, ctx);
  ASSERT_EQ(ids(ds), std::vector<std::string>{"probe-cert-differs-from-files"});
  EXPECT_NE(ds[0].message.find("serial 02"), std::string::npos) << ds[0].message;
  EXPECT_NE(ds[0].message.find("ssl_cert_file \"server.crt\""), std::string::npos) << ds[0].message;
  ASSERT_FALSE(ds[0].related.empty());
  EXPECT_EQ(ds[0].related[0].span.begin.file, dir.path() + "/server.crt");

  r.handshake.chain = {pem(renewed)};  // reloaded
  EXPECT_TRUE(pgl::rules::probes::assess(r, ctx).empty());
  ctx.files = nullptr;  // without --config-dir nothing is compared
  r.handshake.chain = {pem(served)};
  EXPECT_TRUE(pgl::rules::probes::assess(r, ctx).empty());

  // The files turned ssl off, the server still serves a certificate: not reloaded either.
  dir.write("postgresql.conf", "ssl = off\nssl_cert_file = 'server.crt'\n", 0644);
  auto off = pgl::load::load_config(lo);
  ASSERT_TRUE(off) << off.error().message;
  ctx.files = &*off;
  ds = pgl::rules::probes::assess(r, ctx);
  ASSERT_EQ(ids(ds), std::vector<std::string>{"probe-cert-differs-from-files"});
  EXPECT_NE(ds[0].message.find("its configuration has ssl = off"), std::string::npos) << ds[0].message;
}

}  // namespace
