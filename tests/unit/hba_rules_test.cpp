// Unit tests of the pg_hba.conf / pg_ident.conf rules on hand-built models (the fixture
// cases in rules/hba/*.fixtures exercise them through the parser and loader).
#include <list>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hba_test_support.hpp"
#include "lint/rule.hpp"
#include "parse/parse.hpp"

namespace pgl {
namespace {

struct Case {
  model::Config config;
  std::list<model::ConfEntry> entries;
  lint::LintContext ctx;

  explicit Case(const std::string& hba, int pg_version = 18) : config(hbatest::config(hba, pg_version)) {}

  // Sets a postgresql.conf parameter (also marks postgresql.conf as read).
  Case& set(const std::string& name, const std::string& value, std::uint32_t line = 1) {
    if (!config.conf) {
      config.conf = model::ConfSet{};
      config.conf->main_file = "/etc/postgresql.conf";
    }
    model::ConfEntry e;
    e.name = name;
    e.value = value;
    e.file = "/etc/postgresql.conf";
    e.line = line;
    e.name_span = core::Span::at(e.file, line, 1, static_cast<std::uint32_t>(name.size()));
    entries.push_back(e);
    config.settings[name] = model::EffectiveSetting{name, value, &entries.back()};
    return *this;
  }
  Case& conf() {
    if (!config.conf) {
      config.conf = model::ConfSet{};
    }
    return *this;
  }

  std::vector<core::Diagnostic> run(const std::string& rule) {
    const lint::Rule* r = lint::find_rule(rule);
    EXPECT_NE(r, nullptr) << rule;
    if (!r) {
      return {};
    }
    r->check(config, ctx);
    auto out = ctx.diagnostics();
    ctx.diagnostics().clear();
    for (const auto& d : out) {
      EXPECT_EQ(d.rule, rule);
      EXPECT_FALSE(d.message.empty());
      EXPECT_FALSE(d.help.empty());
    }
    return out;
  }
};

std::vector<std::uint32_t> lines(const std::vector<core::Diagnostic>& ds) {
  std::vector<std::uint32_t> out;
  out.reserve(ds.size());
  for (const auto& d : ds) {
    out.push_back(d.span.begin.line);
  }
  return out;
}

using L = std::vector<std::uint32_t>;

TEST(HbaRules, RegistryHasEveryRuleSorted) {
  const char* ids[] = {"hba-broad-network",
                       "hba-cert-without-ca",
                       "hba-cleartext-password",
                       "hba-host-not-ssl",
                       "hba-hostname-address",
                       "hba-hostnossl-allows",
                       "hba-hostssl-while-ssl-off",
                       "hba-ident-over-tcp",
                       "hba-invalid-line",
                       "hba-ldap-cleartext",
                       "hba-md5",
                       "hba-replication-not-ssl",
                       "hba-trust-over-network",
                       "hba-unreachable-line",
                       "ident-invalid-line"};
  for (const char* id : ids) {
    const lint::Rule* r = lint::find_rule(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->meta().id, id);
    EXPECT_TRUE(lint::rule_doc(id).has_value()) << "doc page for " << id;
  }
}

TEST(HbaRules, HostNotSsl) {
  Case c(
      "local all all peer\n"                       // 1
      "host all all 127.0.0.1/32 scram-sha-256\n"  // 2 loopback
      "hostnossl all all 10.0.0.0/8 reject\n"      // 3
      "host all all 10.1.0.0/16 scram-sha-256\n"   // 4 SSL-only in effect
      "host all all 192.168.0.0/16 password\n"     // 5 error: the password itself
      "host all all 172.16.0.0/12 gss\n"           // 6 warning
      "hostssl all all 0.0.0.0/0 md5\n"            // 7
      "host all all 0.0.0.0/0 reject\n"            // 8
      "host replication all 0.0.0.0/0 md5\n");     // 9 replication rule's business
  auto ds = c.run("hba-host-not-ssl");
  EXPECT_EQ(lines(ds), (L{5, 6}));
  ASSERT_EQ(ds.size(), 2U);
  EXPECT_EQ(ds[0].severity, core::Severity::error);
  EXPECT_EQ(ds[0].span.begin.column, 1U);
  EXPECT_NE(ds[0].help.find("hostssl"), std::string::npos);
  EXPECT_EQ(ds[1].severity, core::Severity::warning);
}

TEST(HbaRules, HostNotSslUncertainStaysSilent) {
  Case c(
      "hostnossl all +remote 0.0.0.0/0 reject\n"
      "host all alice 0.0.0.0/0 md5\n");
  EXPECT_TRUE(c.run("hba-host-not-ssl").empty());
}

TEST(HbaRules, TrustOverNetwork) {
  Case c(
      "local all all trust\n"              // 1
      "host all all 127.0.0.1/32 trust\n"  // 2
      "host all all ::1/128 trust\n"       // 3
      "hostssl all all samenet trust\n"    // 4
      "host all all 10.0.0.0/8 trust\n"    // 5
      "host all all samehost trust\n"      // 6
      "host all all localhost trust\n");   // 7
  auto ds = c.run("hba-trust-over-network");
  EXPECT_EQ(lines(ds), (L{4, 5}));
  ASSERT_EQ(ds.size(), 2U);
  EXPECT_EQ(ds[1].span.begin.column, 25U);  // the method token
  c.ctx.options["hba-trust-over-network.trusted_networks"].networks = {*pgl::parse::parse_hba_network("10.0.0.0/8")};
  EXPECT_EQ(lines(c.run("hba-trust-over-network")), (L{}));  // samenet: cannot tell
  Case d("host all all 10.0.0.0/8 trust\nhost all all 0.0.0.0/0 reject\nhost all all 0.0.0.0/0 trust\n");
  EXPECT_EQ(lines(d.run("hba-trust-over-network")), (L{1}));
}

TEST(HbaRules, CleartextPassword) {
  Case c(
      "local all all password\n"
      "hostssl all all 0.0.0.0/0 password\n"
      "host all all 0.0.0.0/0 password\n");
  auto ds = c.run("hba-cleartext-password");
  ASSERT_EQ(lines(ds), (L{1, 2, 3}));
  EXPECT_EQ(ds[0].severity, core::Severity::warning);
  EXPECT_EQ(ds[1].severity, core::Severity::warning);
  EXPECT_EQ(ds[2].severity, core::Severity::error);
}

TEST(HbaRules, Md5MentionsPasswordEncryption) {
  Case c("host all all 10.0.0.0/8 md5\nhost all all 10.0.0.0/8 md5\nhostssl all all 0.0.0.0/0 scram-sha-256\n");
  c.set("password_encryption", "md5", 7);
  auto ds = c.run("hba-md5");
  ASSERT_EQ(lines(ds), (L{1}));  // line 2 is shadowed
  ASSERT_EQ(ds[0].related.size(), 1U);
  EXPECT_EQ(ds[0].related[0].span.begin.line, 7U);
  EXPECT_NE(ds[0].help.find("password_encryption"), std::string::npos);
}

TEST(HbaRules, IdentOverTcp) {
  Case c("local all all ident\nhost all all 10.0.0.0/8 ident\n");
  EXPECT_EQ(lines(c.run("hba-ident-over-tcp")), (L{2}));
}

TEST(HbaRules, BroadNetwork) {
  Case c(
      "hostssl all all all cert\n"              // 1 a verified certificate: silent
      "host all all 0.0.0.0/0 scram-sha-256\n"  // 2
      "host all all ::/0 scram-sha-256\n"       // 3
      "host all all all reject\n"               // 4
      "host db1 all all scram-sha-256\n"        // 5
      "host all all 0.0.0.0 0.0.0.0 md5\n"      // 6 shadowed by 1
      "host all \"all\" all md5\n");            // 7 literal role "all"
  auto ds = c.run("hba-broad-network");
  EXPECT_EQ(lines(ds), (L{2, 3}));
}

TEST(HbaRules, HostnosslAllows) {
  Case c(
      "hostnossl all all 0.0.0.0/0 reject\n"
      "hostnossl all all 127.0.0.1/32 trust\n"
      "hostnossl all all ::/0 md5\n");
  EXPECT_EQ(lines(c.run("hba-hostnossl-allows")), (L{3}));
}

TEST(HbaRules, LdapCleartext) {
  Case c(
      "host all z 0.0.0.0/0 ldap ldapserver=ldap.example.com ldapprefix=uid= ldapsuffix=,dc=x\n"  // 1
      "host all z 0.0.0.0/0 ldap ldapserver=ldap.example.com ldaptls=1 ldapprefix=uid=\n"         // 2 shadowed
      "hostssl all a 0.0.0.0/0 ldap ldapserver=l ldaptls=1 ldapprefix=uid=\n"                     // 3
      "hostssl all b 0.0.0.0/0 ldap ldapurl=ldaps://l/dc=x?uid\n"                                 // 4
      "hostssl all c 0.0.0.0/0 ldap ldapserver=l ldapscheme=ldaps ldapbasedn=dc=x\n"              // 5
      "hostssl all d 0.0.0.0/0 ldap ldapurl=ldap://l/dc=x?uid ldapbindpasswd=s3cret\n"            // 6
      "hostssl all e 0.0.0.0/0 ldap ldapserver=127.0.0.1 ldapbasedn=dc=x\n"                       // 7
      "hostssl all f 0.0.0.0/0 ldap ldapserver=l ldaptls=yes ldapbasedn=dc=x\n");                 // 8
  auto ds = c.run("hba-ldap-cleartext");
  EXPECT_EQ(lines(ds), (L{1, 6, 8}));
  for (const auto& d : ds) {
    EXPECT_EQ(d.message.find("s3cret"), std::string::npos);
  }
  ASSERT_EQ(ds.size(), 3U);
  EXPECT_NE(ds[1].message.find("search bind password"), std::string::npos);
  EXPECT_EQ(ds[2].related.size(), 1U);
}

TEST(HbaRules, HostsslWhileSslOff) {
  Case c("hostssl all all 0.0.0.0/0 scram-sha-256\nhost all all 0.0.0.0/0 reject\n");
  EXPECT_TRUE(c.run("hba-hostssl-while-ssl-off").empty());  // nothing known about ssl
  c.conf();
  auto ds = c.run("hba-hostssl-while-ssl-off");  // default off
  ASSERT_EQ(lines(ds), (L{1}));
  EXPECT_TRUE(ds[0].related.empty());
  c.set("ssl", "off", 4);
  ds = c.run("hba-hostssl-while-ssl-off");
  ASSERT_EQ(ds.size(), 1U);
  ASSERT_EQ(ds[0].related.size(), 1U);
  EXPECT_EQ(ds[0].related[0].span.begin.line, 4U);
  c.set("ssl", "on", 4);
  EXPECT_TRUE(c.run("hba-hostssl-while-ssl-off").empty());
}

TEST(HbaRules, CertWithoutCa) {
  Case c(
      "hostssl all all 0.0.0.0/0 cert\n"
      "hostssl all all 0.0.0.0/0 scram-sha-256 clientcert=verify-full\n"
      "hostssl all all 0.0.0.0/0 scram-sha-256\n");
  EXPECT_TRUE(c.run("hba-cert-without-ca").empty());  // no postgresql.conf
  c.set("ssl", "on");
  auto ds = c.run("hba-cert-without-ca");
  ASSERT_EQ(lines(ds), (L{1, 2}));
  EXPECT_EQ(ds[1].span.begin.column, 41U);
  c.set("ssl_ca_file", "root.crt");
  EXPECT_TRUE(c.run("hba-cert-without-ca").empty());
}

TEST(HbaRules, ReplicationNotSsl) {
  Case c(
      "local replication all peer\n"                       // 1
      "host replication all 127.0.0.1/32 md5\n"            // 2
      "host replication all 10.0.0.0/8 password\n"         // 3 error: the password itself
      "hostssl replication all 0.0.0.0/0 scram-sha-256\n"  // 4
      "host replication all 0.0.0.0/0 trust\n"             // 5 warning
      "host all all 0.0.0.0/0 md5\n");                     // 6 not replication
  auto ds = c.run("hba-replication-not-ssl");
  ASSERT_EQ(lines(ds), (L{3, 5}));
  EXPECT_EQ(ds[0].severity, core::Severity::error);
  EXPECT_EQ(ds[0].span.begin.column, 6U);
  EXPECT_EQ(ds[1].severity, core::Severity::warning);
}

TEST(HbaRules, HostnameAddress) {
  Case c(
      "host all all db.example.com scram-sha-256\n"
      "host all all \"samenet\" scram-sha-256\n"
      "host all all samenet scram-sha-256\n"
      "host all all 10.0.0.1/32 scram-sha-256\n"
      "host all all localhost scram-sha-256\n");
  auto ds = c.run("hba-hostname-address");
  ASSERT_EQ(lines(ds), (L{1, 2}));
  EXPECT_EQ(ds[0].severity, core::Severity::note);
  EXPECT_NE(ds[1].message.find("quoted"), std::string::npos);
}

TEST(HbaRules, UnreachableLine) {
  Case c(
      "local all all trust\n"                      // 1
      "local all postgres peer\n"                  // 2 shadowed by 1
      "hostnossl all all 0.0.0.0/1 reject\n"       // 3
      "hostnossl all all 128.0.0.0/1 reject\n"     // 4
      "hostssl all all 0.0.0.0/0 scram-sha-256\n"  // 5
      "hostgssenc all all 0.0.0.0/0 gss\n"         // 6 shadowed by 3,4
      "host all all 10.0.0.0/8 md5\n"              // 7 shadowed by 3,4 (plain, gss) 5 (ssl) -> 3,5
      "host all +grp 0.0.0.0/0 md5\n");            // 8 also shadowed
  auto ds = c.run("hba-unreachable-line");
  // hostnossl also matches GSSAPI-encrypted connections: line 6 is shadowed by 3 and 4.
  ASSERT_EQ(lines(ds), (L{2, 6, 7, 8}));
  ASSERT_EQ(ds[0].related.size(), 1U);
  EXPECT_EQ(ds[0].related[0].span.begin.line, 1U);
  EXPECT_NE(ds[0].message.find("line 1"), std::string::npos);
  EXPECT_EQ(ds[2].related.size(), 2U);
}

TEST(HbaRules, UnreachableLineNamesASingleShadowingLine) {
  Case c(
      "host replication repl 192.168.64.31/32 password\n"  // 1
      "host replication repl 0.0.0.0/0 password\n"         // 2
      "host replication repl 192.168.64.41/24 md5\n");     // 3 shadowed by 2 alone
  auto ds = c.run("hba-unreachable-line");
  ASSERT_EQ(lines(ds), (L{3}));
  ASSERT_EQ(ds[0].related.size(), 1U);
  EXPECT_EQ(ds[0].related[0].span.begin.line, 2U);
  EXPECT_NE(ds[0].message.find("line 2 matches"), std::string::npos);
  EXPECT_NE(ds[0].help.find("whole network 192.168.64.0/24"), std::string::npos);
}

TEST(HbaRules, InvalidLine) {
  Case c("local all all trust\nhost all all 127.0.0.1/32 trust\nhostssl all all all md5\nhost all all all md5\n");
  auto& recs = c.config.hba->records;
  recs[1].error = "invalid IP mask \"trust\": Name or service not known";
  recs[1].fatal = true;
  recs[1].error_span = core::Span::at("/etc/pg_hba.conf", 2, 24, 5);
  recs[2].error = "hostssl record cannot match because SSL is disabled";
  recs[2].fatal = false;
  recs[3].error = "invalid value for clientcert: \"1\"";
  recs[3].fatal = true;
  recs[3].view_null = true;
  auto ds = c.run("hba-invalid-line");
  ASSERT_EQ(lines(ds), (L{2, 4}));
  EXPECT_EQ(ds[0].span.begin.column, 24U);
  EXPECT_NE(ds[0].message.find("invalid IP mask"), std::string::npos);
  EXPECT_NE(ds[0].help.find("CIDR"), std::string::npos);
  EXPECT_NE(ds[1].message.find("clientcert"), std::string::npos);
  EXPECT_EQ(ds[1].span.begin.column, 0U);

  c.config.hba->records.clear();
  c.config.hba->file_error = "configuration file \"/etc/pg_hba.conf\" contains no entries";
  ds = c.run("hba-invalid-line");
  ASSERT_EQ(ds.size(), 1U);
  EXPECT_EQ(ds[0].span.begin.line, 0U);
}

TEST(HbaRules, InvalidLineHidesSecretTokens) {
  Case c("host all all all radius radiusservers=a radiussecrets=abc,def\n");
  c.config.sources.add("/etc/pg_hba.conf", "host all all all radius radiusservers=a radiussecrets=abc,def\n");
  auto& r = c.config.hba->records[0];
  r.error = "authentication option not in name=value format: def";
  r.fatal = true;
  auto ds = c.run("hba-invalid-line");
  ASSERT_EQ(ds.size(), 1U);
  EXPECT_EQ(ds[0].message.find("def"), std::string::npos);
}

TEST(HbaRules, IdentInvalidLine) {
  Case c("local all all peer map=m\n");
  model::IdentFile f;
  f.path = "/etc/pg_ident.conf";
  model::IdentRecord ok;
  ok.line = 1;
  ok.file = f.path;
  model::IdentRecord bad;
  bad.line = 2;
  bad.file = f.path;
  bad.error = "missing entry at end of line";
  f.records = {ok, bad};
  c.config.ident = f;
  auto ds = c.run("ident-invalid-line");
  ASSERT_EQ(lines(ds), (L{2}));
  EXPECT_NE(ds[0].message.find("not fatal"), std::string::npos);

  c.config.ident->records.clear();
  c.config.ident->file_error = "could not open file \"/etc/pg_ident.conf\": No such file or directory";
  EXPECT_EQ(c.run("ident-invalid-line").size(), 1U);
  c.config.hba = hbatest::file("local all all peer\n");
  EXPECT_TRUE(c.run("ident-invalid-line").empty());  // no map= in use
}

}  // namespace
}  // namespace pgl
