// ssl-* rules on generated TLS material and hand-built configurations.
#include <pwd.h>
#include <unistd.h>

#include <deque>
#include <filesystem>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "lint/rule.hpp"
#include "model/config.hpp"
#include "tls_testutil.hpp"

namespace tu = pgl::tls::testutil;
using pgl::core::Diagnostic;
using pgl::core::Severity;
using tu::k_day;
using tu::k_now;

namespace {

// A configuration whose postgresql.conf lines are set one by one.
class ConfCase {
 public:
  explicit ConfCase(int version = 15) {
    m_config.pg_version = version;
    m_config.data_dir = m_dir.path();
    m_config.config_dir = m_dir.path();
    m_config.conf.emplace();
    m_config.conf->main_file = m_dir.path() + "/postgresql.conf";
    m_ctx.now = k_now;
  }
  ConfCase& set(const std::string& name, const std::string& value) {
    auto& e = m_entries.emplace_back();
    e.name = name;
    e.value = value;
    e.file = m_config.conf->main_file;
    e.line = static_cast<std::uint32_t>(m_entries.size());
    e.name_span = pgl::core::Span::at(e.file, e.line, 1, static_cast<std::uint32_t>(name.size()));
    e.value_span = pgl::core::Span::at(e.file, e.line, static_cast<std::uint32_t>(name.size() + 4),
                                       static_cast<std::uint32_t>(value.size() + 2));
    m_config.settings[name] = pgl::model::EffectiveSetting{name, value, &e};
    return *this;
  }
  std::string write(const std::string& name, const std::string& bytes, unsigned mode = 0600) {
    return m_dir.write(name, bytes, mode);
  }
  void add_hba(const std::string& method, std::vector<pgl::model::HbaOption> options = {}) {
    if (!m_config.hba) {
      m_config.hba.emplace();
      m_config.hba->path = m_dir.path() + "/pg_hba.conf";
    }
    pgl::model::HbaRecord r;
    r.file = m_config.hba->path;
    r.line = static_cast<std::uint32_t>(m_config.hba->records.size() + 1);
    r.type = pgl::model::ConnType::hostssl;
    r.method = method;
    r.options = std::move(options);
    m_config.hba->records.push_back(std::move(r));
  }
  std::vector<Diagnostic> run(const std::string& id) {
    const auto* rule = pgl::lint::find_rule(id);
    EXPECT_NE(rule, nullptr) << id;
    if (!rule) {
      return {};
    }
    pgl::lint::LintContext ctx = m_ctx;
    rule->check(m_config, ctx);
    return ctx.diagnostics();
  }
  std::vector<Diagnostic> run_all_ssl() {
    std::vector<Diagnostic> out;
    for (const auto& r : pgl::lint::registry()) {
      // The default profile's ssl rules (the cis ones judge a setup by the benchmark's stricter bar).
      if (r->meta().id.substr(0, 4) == "ssl-" && r->meta().profile == pgl::lint::Profile::default_) {
        auto d = run(std::string(r->meta().id));
        out.insert(out.end(), d.begin(), d.end());
      }
    }
    return out;
  }
  pgl::model::Config& config() { return m_config; }
  pgl::lint::LintContext& ctx() { return m_ctx; }
  const std::string& dir() const { return m_dir.path(); }

 private:
  tu::TempDir m_dir;
  std::deque<pgl::model::ConfEntry> m_entries;
  pgl::model::Config m_config;
  pgl::lint::LintContext m_ctx;
};

std::string dump(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    s += "[" + d.rule + "] " + std::string(pgl::core::to_string(d.severity)) + ": " + d.message + " @" +
         d.span.begin.file + ":" + std::to_string(d.span.begin.line) + "\n";
  }
  return s;
}

// Exactly one finding whose message contains `text`, with that severity.
void expect_one(const std::vector<Diagnostic>& ds, Severity sev, const std::string& text) {
  int n = 0;
  for (const auto& d : ds) {
    if (d.message.find(text) != std::string::npos) {
      ++n;
      EXPECT_EQ(d.severity, sev) << d.message;
    }
  }
  EXPECT_EQ(n, 1) << "looking for: " << text << "\n" << dump(ds);
}

// A working PKI: root -> server CA -> leaf (EC P-256, SHA-256).
struct Pki {
  tu::TestKey root_key = tu::ec_key();
  tu::TestKey inter_key = tu::ec_key();
  tu::TestKey leaf_key = tu::ec_key();
  tu::TestCert root, inter, leaf;
  explicit Pki(const tu::CertSpec& leaf_spec = default_leaf()) {
    tu::CertSpec r;
    r.cn = "Test root CA";
    r.ca = true;
    r.serial = 1;
    r.not_before = k_now - 100 * k_day;
    r.not_after = k_now + 3650 * k_day;
    root = tu::make_cert(r, root_key);
    r.cn = "Test server CA";
    r.serial = 2;
    inter = tu::make_cert(r, inter_key, &root, &root_key);
    leaf = tu::make_cert(leaf_spec, leaf_key, &inter, &inter_key);
  }
  static tu::CertSpec default_leaf() {
    tu::CertSpec s;
    s.cn = "db.example.com";
    s.dns = {"db.example.com", "db"};
    s.not_before = k_now - 10 * k_day;
    s.not_after = k_now + 365 * k_day;
    s.serial = 100;
    return s;
  }
  // ssl = on with server.crt (leaf + intermediate), server.key (0600) and root.crt.
  void install(ConfCase& c, bool with_ca = true) const {
    c.write("server.crt", leaf.pem() + inter.pem(), 0644);
    c.write("server.key", leaf_key.pem(), 0600);
    c.set("ssl", "on");
    if (with_ca) {
      c.write("root.crt", root.pem(), 0644);
      c.set("ssl_ca_file", "root.crt");
    }
  }
};

}  // namespace

TEST(SslRules, RegisteredSortedAndDocumented) {
  std::vector<std::string> ids;
  for (const auto& r : pgl::lint::registry()) {
    if (r->meta().id.substr(0, 4) == "ssl-") {
      ids.emplace_back(r->meta().id);
      auto doc = pgl::lint::rule_doc(r->meta().id);
      ASSERT_TRUE(doc.has_value()) << r->meta().id;
      for (const char* h : {"What it does", "Why is this bad", "Example", "Use instead", "Options", "Known limitations",
                            "References"}) {
        EXPECT_NE(doc->find(h), std::string_view::npos) << r->meta().id << " lacks " << h;
      }
    }
  }
  EXPECT_EQ(ids.size(), 21u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(SslRules, WorkingSetupIsSilent) {
  Pki pki;
  ConfCase c;
  pki.install(c);
  c.ctx().expect_hosts = {"db.example.com", "DB"};
  c.write("root.crl", tu::make_crl(pki.inter, pki.inter_key, {}, k_now - k_day, k_now + 30 * k_day), 0644);
  c.set("ssl_crl_file", "root.crl");
  c.set("listen_addresses", "*");
  auto ds = c.run_all_ssl();
  EXPECT_TRUE(ds.empty()) << dump(ds);
}

TEST(SslRules, SslOffSaysNothingAboutFiles) {
  ConfCase c;
  c.set("ssl", "off");
  c.set("ssl_cert_file", "missing.crt");
  c.set("ssl_ciphers", "NOSUCHCIPHER");
  auto ds = c.run_all_ssl();
  EXPECT_TRUE(ds.empty()) << dump(ds);
}

TEST(SslRules, SslDisabled) {
  {
    ConfCase c;
    c.set("listen_addresses", "*");
    auto ds = c.run("ssl-disabled");
    expect_one(ds, Severity::warning, "ssl is off while listen_addresses = '*'");
    EXPECT_EQ(ds.at(0).span.begin.line, 1u) << "at listen_addresses when ssl is not set";
  }
  {
    ConfCase c;
    c.set("ssl", "false").set("listen_addresses", "localhost, 10.0.0.5");
    auto ds = c.run("ssl-disabled");
    expect_one(ds, Severity::warning, "('10.0.0.5')");
    EXPECT_EQ(ds.at(0).span.begin.line, 1u) << "at the ssl line";
  }
  for (const char* quiet : {"localhost", "127.0.0.1,::1", ""}) {
    ConfCase c;
    c.set("listen_addresses", quiet);
    EXPECT_TRUE(c.run("ssl-disabled").empty()) << quiet;
  }
  ConfCase defaults;  // listen_addresses defaults to localhost
  EXPECT_TRUE(defaults.run("ssl-disabled").empty());
}

TEST(SslRules, MissingFilesUseTheServerWording) {
  ConfCase c;
  c.set("ssl", "on");
  auto ds = c.run("ssl-file-missing");
  expect_one(ds, Severity::error, "could not load server certificate file \"server.crt\": No such file or directory");
  expect_one(ds, Severity::error, "could not access private key file \"server.key\": No such file or directory");
  EXPECT_EQ(ds.size(), 2u) << dump(ds);
  for (const auto& d : ds) {
    EXPECT_EQ(d.span.begin.line, 1u) << "defaults are reported at the ssl line";
  }
}

TEST(SslRules, UnloadableFiles) {
  Pki pki;
  ConfCase c;
  pki.install(c, false);
  c.write("ca.crt", "this is not PEM\n");
  c.write("crl.pem", "-----BEGIN X509 CRL-----\ntruncated");
  c.write("dh.pem", "junk");
  c.set("ssl_ca_file", "ca.crt").set("ssl_crl_file", "crl.pem").set("ssl_dh_params_file", "dh.pem");
  c.set("ssl_crl_dir", "nodir");
  auto ds = c.run("ssl-file-missing");
  expect_one(ds, Severity::error, "could not load root certificate file \"ca.crt\"");
  expect_one(ds, Severity::error,
             "could not load SSL certificate revocation list file \"crl.pem\" or directory \"nodir\"");
  expect_one(ds, Severity::error, "could not load DH parameters file: ");
  expect_one(ds, Severity::warning, "directory \"nodir\" cannot be read");
  EXPECT_EQ(ds.size(), 4u) << dump(ds);
}

TEST(SslRules, TruncatedCertificateAndDerKey) {
  Pki pki;
  ConfCase c;
  const std::string pem = pki.leaf.pem();
  c.write("server.crt", pem.substr(0, pem.size() / 2));
  c.write("server.key", pki.leaf_key.der());
  c.set("ssl", "on");
  auto ds = c.run("ssl-file-missing");
  expect_one(ds, Severity::error, "could not load server certificate file \"server.crt\": ");
  expect_one(ds, Severity::error, "could not load private key file \"server.key\": ");
  bool der_help = false;
  for (const auto& d : ds) {
    der_help = der_help || d.help.find("DER format") != std::string::npos;
  }
  EXPECT_TRUE(der_help) << dump(ds);
}

TEST(SslRules, AbsolutePathsGoThroughRoot) {
  Pki pki;
  ConfCase c;
  c.write("etc/ssl/server.crt", pki.leaf.pem());
  c.write("etc/ssl/server.key", pki.leaf_key.pem());
  c.set("ssl", "on").set("ssl_cert_file", "/etc/ssl/server.crt").set("ssl_key_file", "/etc/ssl/server.key");
  c.config().root = c.dir();
  EXPECT_TRUE(c.run("ssl-file-missing").empty());
  EXPECT_TRUE(c.run("ssl-key-mismatch").empty());
}

TEST(SslRules, KeyMismatch) {
  Pki pki;
  ConfCase c;
  pki.install(c);
  c.write("server.key", tu::ec_key().pem());
  auto ds = c.run("ssl-key-mismatch");
  expect_one(ds, Severity::error, "check of private key failed: key values mismatch");
}

TEST(SslRules, EncryptedKeys) {
  Pki pki;
  for (bool pkcs8 : {false, true}) {
    ConfCase c;
    pki.install(c);
    c.write("server.key", pkcs8 ? pki.leaf_key.encrypted_pkcs8("dUmmyP^#+") : pki.leaf_key.encrypted_pem("secret1"));
    auto ds = c.run("ssl-key-encrypted");
    expect_one(ds, Severity::error, "is protected by a passphrase and ssl_passphrase_command is not set");
    EXPECT_TRUE(c.run("ssl-file-missing").empty()) << "not reported twice";
    EXPECT_TRUE(c.run("ssl-key-mismatch").empty());
    c.set("ssl_passphrase_command", "echo secret1");
    expect_one(c.run("ssl-key-encrypted"), Severity::note, "cannot be reloaded because it requires a passphrase");
    c.set("ssl_passphrase_command_supports_reload", "on");
    EXPECT_TRUE(c.run("ssl-key-encrypted").empty());
  }
}

TEST(SslRules, KeyPermissionsAsOwner) {
  Pki pki;
  ConfCase c;
  pki.install(c);
  const std::string key = c.dir() + "/server.key";
  c.ctx().server_user = std::to_string(::geteuid());
  for (unsigned mode : {0600u, 0400u, 0700u}) {
    ::chmod(key.c_str(), mode);
    EXPECT_TRUE(c.run("ssl-key-permissions").empty()) << std::oct << mode;
  }
  if (::geteuid() != 0) {  // owned by the server user: no group/other bits at all
    for (unsigned mode : {0640u, 0604u, 0660u}) {
      ::chmod(key.c_str(), mode);
      expect_one(c.run("ssl-key-permissions"), Severity::error, "has group or world access");
    }
  }
  ::chmod(key.c_str(), 0600);
  std::filesystem::remove(key);
  std::filesystem::create_directory(key);
  expect_one(c.run("ssl-key-permissions"), Severity::error, "private key file \"server.key\" is not a regular file");
}

TEST(SslRules, KeyPermissionsOwnership) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to chown test files";
  }
  Pki pki;
  ConfCase c;
  pki.install(c);
  const std::string key = c.dir() + "/server.key";
  c.ctx().server_user = "postgres";
  const auto postgres_uid = [] {
    return ::getpwnam("postgres") ? ::getpwnam("postgres")->pw_uid : static_cast<uid_t>(-1);
  }();
  if (postgres_uid == static_cast<uid_t>(-1)) {
    GTEST_SKIP() << "no postgres user";
  }
  // Owned by the server user: mode & 0077 must be 0.
  ASSERT_EQ(::chown(key.c_str(), postgres_uid, static_cast<gid_t>(-1)), 0);
  ::chmod(key.c_str(), 0600);
  EXPECT_TRUE(c.run("ssl-key-permissions").empty());
  ::chmod(key.c_str(), 0700);
  EXPECT_TRUE(c.run("ssl-key-permissions").empty()) << "owner bits are not checked";
  ::chmod(key.c_str(), 0640);
  auto ds = c.run("ssl-key-permissions");
  expect_one(ds, Severity::error, "has group or world access (mode 0640)");
  EXPECT_NE(ds.at(0).help.find("chmod 0600"), std::string::npos);
  // Owned by root: group read allowed, nothing else.
  ASSERT_EQ(::chown(key.c_str(), 0, static_cast<gid_t>(-1)), 0);
  for (unsigned mode : {0600u, 0640u, 0440u}) {
    ::chmod(key.c_str(), mode);
    EXPECT_TRUE(c.run("ssl-key-permissions").empty()) << std::oct << mode;
  }
  for (unsigned mode : {0660u, 0644u, 0650u}) {
    ::chmod(key.c_str(), mode);
    auto d = c.run("ssl-key-permissions");
    expect_one(d, Severity::error, "has group or world access");
    EXPECT_NE(d.at(0).help.find("chmod 0640"), std::string::npos);
  }
  // Owned by someone else.
  ASSERT_EQ(::chown(key.c_str(), 65534, static_cast<gid_t>(-1)), 0);
  ::chmod(key.c_str(), 0600);
  auto other = c.run("ssl-key-permissions");
  expect_one(other, Severity::error, "must be owned by the database user or root");
  EXPECT_NE(other.at(0).help.find("chown postgres"), std::string::npos);
  // Default server user: owner of the data directory.
  c.ctx().server_user.reset();
  ASSERT_EQ(::chown(c.dir().c_str(), 65534, static_cast<gid_t>(-1)), 0);
  EXPECT_TRUE(c.run("ssl-key-permissions").empty()) << "nobody owns both";
  ASSERT_EQ(::chown(c.dir().c_str(), 0, static_cast<gid_t>(-1)), 0);
}

TEST(SslRules, CertificateDates) {
  auto spec = Pki::default_leaf();
  spec.not_after = k_now - 3 * k_day;  // expired three days ago
  Pki pki(spec);
  ConfCase c;
  pki.install(c);
  auto expired = c.run("ssl-cert-expired");
  expect_one(expired, Severity::error,
             "server certificate \"db.example.com\" in \"server.crt\" expired on 2025-12-29 00:00:00 UTC (3 days ago)");
  EXPECT_EQ(expired.at(0).span.begin.line, 1u);
  EXPECT_EQ(expired.at(0).span.begin.file, c.dir() + "/server.crt");
  EXPECT_TRUE(c.run("ssl-cert-expiring").empty());
  EXPECT_TRUE(c.run("ssl-cert-not-yet-valid").empty());

  // Intermediate expiring in 10 days, CA in the future.
  tu::CertSpec r;
  r.cn = "Short CA";
  r.ca = true;
  r.not_before = k_now - k_day;
  r.not_after = k_now + 10 * k_day;
  auto short_ca = tu::make_cert(r, pki.inter_key, &pki.root, &pki.root_key);
  r.cn = "Future root";
  r.not_before = k_now + 2 * k_day;
  r.not_after = k_now + 900 * k_day;
  auto future = tu::make_cert(r, pki.root_key);
  ConfCase d;
  d.write("server.crt",
          tu::make_cert(Pki::default_leaf(), pki.leaf_key, &short_ca, &pki.inter_key).pem() + short_ca.pem());
  d.write("server.key", pki.leaf_key.pem());
  d.write("root.crt", pki.root.pem() + future.pem());
  d.set("ssl", "on").set("ssl_ca_file", "root.crt");
  auto expiring = d.run("ssl-cert-expiring");
  expect_one(expiring, Severity::warning,
             "intermediate certificate \"Short CA\" in \"server.crt\" expires on "
             "2026-01-11 00:00:00 UTC (in 10 days)");
  EXPECT_GT(expiring.at(0).span.begin.line, 1u) << "at the second PEM block";
  expect_one(d.run("ssl-cert-not-yet-valid"), Severity::error,
             "CA certificate \"Future root\" in \"root.crt\" is not valid before 2026-01-03 00:00:00 UTC (in 2 days)");
  d.ctx().expiry_days = 5;
  EXPECT_TRUE(d.run("ssl-cert-expiring").empty());
}

TEST(SslRules, ExpiredRsaPssSelfSigned) {
  // Like server-rsapss.crt: RSA-PSS, self-signed, valid only for a month long ago.
  auto key = tu::rsa_pss_key(2048);
  tu::CertSpec s;
  s.cn = "common-name.pg-ssltest.test";
  s.not_before = k_now - 1000 * k_day;
  s.not_after = k_now - 970 * k_day;
  auto cert = tu::make_cert(s, key);
  ConfCase c;
  c.write("server.crt", cert.pem());
  c.write("server.key", key.pem());
  c.set("ssl", "on");
  expect_one(c.run("ssl-cert-expired"), Severity::error, "(970 days ago)");
  expect_one(c.run("ssl-cert-self-signed"), Severity::note, "is self-signed");
  EXPECT_TRUE(c.run("ssl-key-mismatch").empty());
  EXPECT_TRUE(c.run("ssl-weak-key").empty());
  EXPECT_TRUE(c.run("ssl-weak-signature").empty());
}

TEST(SslRules, ChainVerification) {
  Pki pki;
  {
    ConfCase c;  // intermediate missing from server.crt
    pki.install(c);
    c.write("server.crt", pki.leaf.pem());
    // ssl_ca_file alone does not show which root the chain should reach ...
    EXPECT_TRUE(c.run("ssl-cert-chain").empty());
    // ... --ca does.
    c.ctx().extra_ca_files = {c.write("trust.pem", pki.root.pem())};
    auto ds = c.run("ssl-cert-chain");
    expect_one(ds, Severity::error, "does not verify against the CA certificates in \"root.crt\", ");
    EXPECT_NE(ds.at(0).message.find("unable to get local issuer certificate"), std::string::npos) << dump(ds);
  }
  {
    ConfCase c;  // ssl_ca_file names the issuer, but that CA was re-keyed
    pki.install(c);
    c.write("server.crt", pki.leaf.pem());
    auto new_key = tu::ec_key();
    tu::CertSpec r;
    r.cn = "Test server CA";
    r.ca = true;
    r.not_before = k_now - k_day;
    r.not_after = k_now + 100 * k_day;
    c.write("root.crt", tu::make_cert(r, new_key).pem());
    auto ds = c.run("ssl-cert-chain");
    expect_one(ds, Severity::error, "certificate signature failure");
  }
  {
    ConfCase c;  // ssl_ca_file holds an unrelated (client) CA: not the server's chain
    pki.install(c);
    auto client_ca_key = tu::ec_key();
    tu::CertSpec r;
    r.cn = "Client CA";
    r.ca = true;
    r.not_before = k_now - k_day;
    r.not_after = k_now + 100 * k_day;
    auto client_ca = tu::make_cert(r, client_ca_key);
    c.write("root.crt", client_ca.pem());
    EXPECT_TRUE(c.run("ssl-cert-chain").empty());
    // --ca names the roots clients use: then it must verify.
    c.ctx().extra_ca_files = {c.write("clients-trust.pem", client_ca.pem())};
    expect_one(c.run("ssl-cert-chain"), Severity::error, "clients-trust.pem");
    c.ctx().extra_ca_files = {c.write("clients-trust.pem", pki.root.pem())};
    EXPECT_TRUE(c.run("ssl-cert-chain").empty());
    c.ctx().extra_ca_files = {c.dir() + "/no-such.pem"};
    expect_one(c.run("ssl-cert-chain"), Severity::error, "could not load CA file");
  }
  {
    ConfCase c;  // both CAs in one file, leaf-only chain: the intermediate in the bundle is enough
    pki.install(c);
    c.write("server.crt", pki.leaf.pem());
    c.write("root.crt", pki.root.pem() + pki.inter.pem());
    EXPECT_TRUE(c.run("ssl-cert-chain").empty());
  }
}

TEST(SslRules, RevokedAndCrlDates) {
  Pki pki;
  {
    ConfCase c;
    pki.install(c);
    c.write("server.crl", tu::make_crl(pki.inter, pki.inter_key, {&pki.leaf}, k_now - k_day, k_now + k_day));
    c.set("ssl_crl_file", "server.crl");
    expect_one(c.run("ssl-cert-revoked"), Severity::error,
               "server certificate \"db.example.com\" (serial 64) is revoked by the certificate revocation list in "
               "\"server.crl\"");
    EXPECT_TRUE(c.run("ssl-crl-expired").empty());
  }
  {
    ConfCase c;  // hashed directory, outdated CRL
    pki.install(c);
    c.write("crldir/" + tu::subject_hash(pki.inter) + ".r0",
            tu::make_crl(pki.inter, pki.inter_key, {&pki.leaf}, k_now - 40 * k_day, k_now - 10 * k_day));
    c.set("ssl_crl_dir", "crldir");
    expect_one(c.run("ssl-cert-revoked"), Severity::error, "is revoked");
    expect_one(c.run("ssl-crl-expired"), Severity::warning, "(10 days ago)");
    c.add_hba("cert");
    expect_one(c.run("ssl-crl-expired"), Severity::error, "client certificates issued under it are rejected");
  }
}

TEST(SslRules, HostNames) {
  Pki pki;
  ConfCase c;
  pki.install(c);
  c.ctx().expect_hosts = {"db.example.com", "db2.example.com", "192.0.2.1"};
  auto ds = c.run("ssl-cert-hostname");
  expect_one(ds, Severity::error,
             "server certificate for \"db.example.com\" (and 1 other name) does not match host name "
             "\"db2.example.com\"");
  expect_one(ds, Severity::error, "does not match host name \"192.0.2.1\"");
  EXPECT_EQ(ds.size(), 2u);
  EXPECT_NE(ds.at(0).help.find("DNS:db.example.com, DNS:db, CN=db.example.com"), std::string::npos) << ds.at(0).help;
}

TEST(SslRules, WeakKeysAndSignatures) {
  auto weak_key = tu::rsa_key(1024);
  tu::CertSpec s = Pki::default_leaf();
  s.digest = "sha1";
  Pki pki;
  auto leaf = tu::make_cert(s, weak_key, &pki.inter, &pki.inter_key);
  ConfCase c;
  pki.install(c);
  c.write("server.crt", leaf.pem() + pki.inter.pem());
  c.write("server.key", weak_key.pem());
  // A self-signed SHA-1 root is fine: its signature is never checked.
  tu::CertSpec r;
  r.cn = "Old root";
  r.ca = true;
  r.digest = "sha1";
  r.not_before = k_now - k_day;
  r.not_after = k_now + 100 * k_day;
  c.write("root.crt", pki.root.pem() + tu::make_cert(r, tu::rsa_key(2048)).pem());
  expect_one(c.run("ssl-weak-key"), Severity::warning, "has a weak RSA 1024-bit key");
  auto sig = c.run("ssl-weak-signature");
  expect_one(sig, Severity::warning, "server certificate \"db.example.com\" in \"server.crt\" is signed with SHA-1");
  EXPECT_EQ(sig.size(), 1u) << dump(sig);
  // ECDSA has no MD5 variant: an RSA intermediate signs the MD5 case.
  auto rsa_ca_key = tu::rsa_key(2048);
  r.cn = "RSA server CA";
  r.digest = "sha256";
  auto rsa_ca = tu::make_cert(r, rsa_ca_key, &pki.root, &pki.root_key);
  s.digest = "md5";
  c.write("server.crt", tu::make_cert(s, weak_key, &rsa_ca, &rsa_ca_key).pem() + rsa_ca.pem());
  expect_one(c.run("ssl-weak-signature"), Severity::warning, "is signed with MD5");

  c.write("dh.pem", tu::dh_params_pem(1024));
  c.set("ssl_dh_params_file", "dh.pem");
  expect_one(c.run("ssl-weak-key"), Severity::warning, "DH parameters in \"dh.pem\" are 1024-bit");
  c.write("dh.pem", tu::dh_params_pem(2048));
  c.write("server.crt", pki.leaf.pem());
  c.write("server.key", pki.leaf_key.pem());
  EXPECT_TRUE(c.run("ssl-weak-key").empty());
  EXPECT_TRUE(c.run("ssl-file-missing").empty());
}

TEST(SslRules, DsaKey) {
  auto key = tu::dsa_key(2048);
  tu::CertSpec s = Pki::default_leaf();
  auto cert = tu::make_cert(s, key);
  ConfCase c;
  c.write("server.crt", cert.pem());
  c.write("server.key", key.pem());
  c.set("ssl", "on");
  expect_one(c.run("ssl-weak-key"), Severity::warning, "DSA is deprecated");
}

TEST(SslRules, ProtocolVersions) {
  {
    ConfCase c(12);  // default TLSv1 in 12
    c.set("ssl", "on");
    expect_one(c.run("ssl-weak-protocol"), Severity::warning,
               "ssl_min_protocol_version defaults to 'TLSv1' in PostgreSQL 12");
  }
  {
    ConfCase c(15);
    c.set("ssl", "on");
    EXPECT_TRUE(c.run("ssl-weak-protocol").empty());
    c.set("ssl_min_protocol_version", "TLSv1.1");
    expect_one(c.run("ssl-weak-protocol"), Severity::warning, "ssl_min_protocol_version = 'TLSv1.1'");
  }
  {
    ConfCase c(15);
    c.set("ssl", "on").set("ssl_min_protocol_version", "TLSv1.2").set("ssl_max_protocol_version", "TLSv1.1");
    auto ds = c.run("ssl-weak-protocol");
    expect_one(ds, Severity::error, "could not set SSL protocol version range");
    EXPECT_EQ(ds.size(), 1u);
    EXPECT_EQ(ds.at(0).span.begin.line, 3u);
    c.set("ssl_max_protocol_version", "");
    EXPECT_TRUE(c.run("ssl-weak-protocol").empty());
  }
}

TEST(SslRules, Ciphers) {
  {
    ConfCase c;
    c.set("ssl", "on");
    EXPECT_TRUE(c.run("ssl-weak-ciphers").empty()) << "default HIGH:MEDIUM:+3DES:!aNULL";
    c.set("ssl_ciphers", "HIGH:eNULL");
    expect_one(c.run("ssl-weak-ciphers"), Severity::warning, "no encryption (eNULL)");
    c.set("ssl_ciphers", "ALL");
    expect_one(c.run("ssl-weak-ciphers"), Severity::warning, "no authentication (aNULL)");
    c.set("ssl_ciphers", "ALL:!aNULL:!eNULL");
    EXPECT_TRUE(c.run("ssl-weak-ciphers").empty());
    c.set("ssl_ciphers", "NOSUCH");
    expect_one(c.run("ssl-weak-ciphers"), Severity::error,
               "could not set the cipher list (no valid ciphers available)");
    c.set("ssl_ciphers", "eNULL").set("ssl_min_protocol_version", "TLSv1.3");
    EXPECT_TRUE(c.run("ssl-weak-ciphers").empty()) << "ssl_ciphers unused with TLS 1.3 only";
  }
  ConfCase c18(18);
  c18.set("ssl", "on").set("ssl_ciphers", "NOSUCH");
  expect_one(c18.run("ssl-weak-ciphers"), Severity::error, "could not set the TLSv1.2 cipher list");
}

TEST(SslRules, CaFileMissingIsANoteLeftToHbaWhenCertsAreUsed) {
  Pki pki;
  ConfCase c;
  pki.install(c, false);
  expect_one(c.run("ssl-ca-file-missing"), Severity::note, "ssl_ca_file is not set");
  c.add_hba("scram-sha-256", {{"clientcert", "verify-full", {}}});
  EXPECT_TRUE(c.run("ssl-ca-file-missing").empty()) << "hba-cert-without-ca reports it";
}
