// pg_hba.conf records, files and versions (spec 3.3-3.8, Appendix A).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/read_file.hpp"
#include "parse/parse.hpp"

namespace {

namespace fs = std::filesystem;

class HbaParser : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / fs::path("pgl-hba-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  std::string write(const std::string& rel, const std::string& text) {
    const fs::path p = m_dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  pgl::model::HbaFile parse(const std::string& text, int version = 15, bool ssl = false) {
    const std::string p = write("pg_hba.conf", text);
    pgl::parse::AuthParseOptions o;
    o.pg_version = version;
    o.ssl_on = ssl;
    m_sources = pgl::core::SourceSet();  // each parse is a run: a file is read once per set
    return pgl::parse::parse_hba(p, o, m_sources);
  }
  std::string error(const std::string& line, int version = 15) {
    auto f = parse(line + "\n", version);
    EXPECT_EQ(f.records.size(), 1U) << line;
    return f.records.empty() ? "" : f.records[0].error.value_or("");
  }
  fs::path m_dir;
  pgl::core::SourceSet m_sources;
};

TEST_F(HbaParser, AppendixAExamples) {
  auto f = parse(
      "local all,\"all\",sameuser,samerole,samegroup,replication,\"replication\",+grp,\"+grp\" all trust\n"
      "host all all 127.0.0.1 255.255.0 trust\n"
      "host all all 010.0.0.1/32 trust\n"
      "host all all 300.1.1.1 trust\n"
      "host all all 10.0.0.0/08 trust\n"
      "local all all peer map=foo map=bar\n"
      "host all all all ldap ldapserver=x ldapscheme=foo ldapprefix=a\n");
  ASSERT_EQ(f.records.size(), 7U);
  EXPECT_TRUE(f.loads());
  EXPECT_EQ(f.records[0].databases.size(), 9U);
  EXPECT_TRUE(f.records[0].databases[1].quoted);
  EXPECT_EQ(f.records[1].netmask, "255.255.0.0");
  EXPECT_EQ(f.records[2].address, "8.0.0.1");
  EXPECT_EQ(f.records[3].addr_kind, pgl::model::AddrKind::hostname);
  EXPECT_EQ(f.records[4].net->prefix, 8);
  EXPECT_EQ(f.records[5].view_options, (std::vector<std::string>{"map=bar"}));
  EXPECT_EQ(f.records[6].view_options,
            (std::vector<std::string>{"ldapserver=x", "ldapscheme=foo", "ldapprefix=a", "ldapscope=2"}));
  EXPECT_EQ(error("host all all [::1]/128 trust"), "specifying both host name and CIDR mask is invalid: \"[::1]/128\"");
  EXPECT_EQ(error("host all all 10.0.0.0/8x trust"), "invalid CIDR mask in address \"10.0.0.0/8x\"");
  EXPECT_EQ(
      error("local all all md5 map=foo"),
      "authentication option \"map\" is only valid for authentication methods ident, peer, gssapi, sspi, and cert");
  EXPECT_EQ(error("host all all all ldap ldapurl=http://h/"),
            "could not parse LDAP URL \"http://h/\": Time limit exceeded");
  EXPECT_EQ(error("include other.conf"), "invalid connection type \"include\"");
  EXPECT_EQ(error("host all all 127.0.0.1 trust"), "invalid IP mask \"trust\": Name or service not known");
}

// The CIDR length is read with strtol (hba.c): blanks and a sign before the digits are
// accepted, leading zeros too, anything after them is not.
TEST_F(HbaParser, CidrLengthReadAsStrtolReadsIt) {
  auto f = parse(
      "host all all 10.0.0.0/8 trust\n"
      "host all all \"10.0.0.0/ 16\" trust\n"
      "host all all 10.0.0.0/+24 trust\n"
      "host all all 10.0.0.0/0024 trust\n"
      "host all all 10.0.0.0/-0 trust\n"
      "host all all ::1/128 trust\n"
      "host all all 1.2.3.4/32 trust\n");
  ASSERT_EQ(f.records.size(), 7U);
  EXPECT_TRUE(f.loads());
  const int prefixes[] = {8, 16, 24, 24, 0, 128, 32};
  for (std::size_t i = 0; i < 7; ++i) {
    ASSERT_TRUE(f.records[i].net.has_value()) << i;
    EXPECT_EQ(f.records[i].net->prefix, prefixes[i]) << i;
  }
  EXPECT_EQ(f.records[0].netmask, "255.0.0.0");
  EXPECT_EQ(f.records[4].netmask, "0.0.0.0");
  EXPECT_EQ(f.records[5].netmask, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(f.records[6].address, "1.2.3.4");
  EXPECT_EQ(error("host all all 10.0.0.0/33 trust"), "invalid CIDR mask in address \"10.0.0.0/33\"");
  EXPECT_EQ(error("host all all 10.0.0.0/ trust"), "invalid CIDR mask in address \"10.0.0.0/\"");
  EXPECT_EQ(error("host all all 10.0.0.0/1000 trust"), "invalid CIDR mask in address \"10.0.0.0/1000\"");
  EXPECT_EQ(error("host all all \"10.0.0.0/8 \" trust"), "invalid CIDR mask in address \"10.0.0.0/8 \"");
  EXPECT_EQ(error("host all all ::/129 trust"), "invalid CIDR mask in address \"::/129\"");
}

TEST_F(HbaParser, ErrorPositionsAndViewNull) {
  auto f =
      parse("host all all all trust\n\nhost all all all  Trust\nhostssl all all all trust clientcert=1\n", 15, true);
  ASSERT_EQ(f.records.size(), 3U);
  EXPECT_EQ(f.records[1].line, 3U);
  EXPECT_EQ(f.records[1].error.value_or(""), "invalid authentication method \"Trust\"");
  EXPECT_EQ(f.records[1].error_span.begin.column, 19U);
  EXPECT_TRUE(f.records[2].view_null);
  EXPECT_TRUE(f.records[2].fatal);
  EXPECT_FALSE(f.loads());
}

TEST_F(HbaParser, HostsslWithoutSslIsNotFatal) {
  auto f = parse("hostssl all all all trust\n", 16, false);
  ASSERT_EQ(f.records.size(), 1U);
  EXPECT_FALSE(f.records[0].fatal);
  EXPECT_EQ(f.records[0].error.value_or(""), "hostssl record cannot match because SSL is disabled");
  EXPECT_FALSE(f.records[0].rule_number);
  EXPECT_TRUE(f.loads());
}

TEST_F(HbaParser, VersionDifferences) {
  EXPECT_EQ(error("hostgssenc all all all password", 13),
            "GSSAPI encryption only supports gss, trust, or reject authentication");
  EXPECT_EQ(error("hostgssenc all all all password", 14), "");
  EXPECT_EQ(error("hostssl all all all cert clientcert=verify-ca", 15),
            "clientcert can only be set to \"verify-full\" when using \"cert\" authentication");
  EXPECT_EQ(error("hostssl all all all cert clientcert=no-verify", 12),
            "clientcert can not be set to \"no-verify\" when using \"cert\" authentication");
  EXPECT_EQ(error("hostssl all all all cert clientcert=0", 13),
            "clientcert cannot be set to \"no-verify\" when using \"cert\" authentication");
  EXPECT_EQ(error("hostssl all all all trust clientname=DN", 13),
            "unrecognized authentication option name: \"clientname\"");
  EXPECT_EQ(error("local /^db( all trust", 15), "");
  EXPECT_EQ(error("local /^db( all trust", 16), "invalid regular expression \"^db(\": parentheses () not balanced");
  EXPECT_EQ(error("local all all oauth", 17), "invalid authentication method \"oauth\"");
  EXPECT_EQ(error("local all all oauth issuer=x scope=y", 18),
            "oauth_validator_libraries must be set for authentication method oauth");
  EXPECT_EQ(error("host all all all ldap ldapprefix=a ldapbasedn=b", 17),
            "cannot use ldapbasedn, ldapbinddn, ldapbindpasswd, ldapsearchattribute, ldapsearchfilter, or ldapurl "
            "together with ldapprefix");
  EXPECT_EQ(error("host all all all ldap ldapprefix=a ldapbasedn=b", 18),
            "cannot mix options for simple bind and search+bind modes");
  EXPECT_EQ(error("local all all md5 map=x", 18),
            "authentication option \"map\" is only valid for authentication methods ident, peer, gssapi, sspi, cert, "
            "and oauth");
  // 13.23 has the 10240-byte token limit of 14 and 15 (its 256 bytes were raised in a minor).
  EXPECT_EQ(error("local " + std::string(300, 'd') + " all trust", 13), "");
  EXPECT_EQ(error("local " + std::string(10240, 'd') + " all trust", 13), "authentication file token too long");
  EXPECT_EQ(error("local " + std::string(300, 'd') + " all trust", 14), "");
}

TEST_F(HbaParser, EffectiveOptions) {
  auto f = parse("local all all ident\nhostssl all all all cert\nhost all all all gss\n", 15, true);
  EXPECT_EQ(f.records[0].method, "peer");
  EXPECT_EQ(f.records[1].view_options, (std::vector<std::string>{"clientcert=verify-full"}));
  EXPECT_EQ(f.records[2].view_options, (std::vector<std::string>{"include_realm=true"}));
  // 12.22 and 13.23 store verify-full for cert too, whatever clientcert says.
  for (int v : {12, 13}) {
    auto old = parse("hostssl all all all cert\nhostssl all all all cert clientcert=verify-ca\n", v, true);
    EXPECT_EQ(old.records[0].view_options, (std::vector<std::string>{"clientcert=verify-full"})) << v;
    EXPECT_EQ(old.records[1].view_options, (std::vector<std::string>{"clientcert=verify-full"})) << v;
  }
}

TEST_F(HbaParser, LeadingDotSlashOfAtFileIsDropped) {
  // join_path_components drops leading "./" in every major (12-14 keep inner "/./").
  for (int v : {12, 14, 16}) {
    auto f = parse("local @./x.txt all trust\nlocal @././y.txt all trust\n", v);
    const std::string want = v >= 16 ? "could not open file \"" : "could not open secondary authentication file";
    EXPECT_NE(f.records[0].error.value_or("").find((m_dir / "x.txt").string() + "\""), std::string::npos) << v;
    EXPECT_NE(f.records[1].error.value_or("").find((m_dir / "y.txt").string() + "\""), std::string::npos) << v;
  }
}

TEST_F(HbaParser, AtFilesRelativeAndMissing) {
  write("sub/dbs.txt", "db1\ndb2, \"db 3\"\n");
  write("sub/inner.txt", "@dbs.txt x\n");
  auto f = parse("local @sub/inner.txt all reject\nlocal @nope.txt all reject\n", 15);
  ASSERT_EQ(f.records.size(), 2U);
  ASSERT_EQ(f.records[0].databases.size(), 4U);
  EXPECT_EQ(f.records[0].databases[2].text, "db 3");
  EXPECT_EQ(f.records[0].databases[2].span.begin.file, (m_dir / "sub/dbs.txt").string());
  EXPECT_EQ(f.records[0].databases[2].span.begin.line, 2U);
  EXPECT_EQ(f.records[0].databases[2].span.begin.column, 6U);
  EXPECT_NE(m_sources.find((m_dir / "sub/dbs.txt").string()), nullptr);  // the @file is in the run's set
  EXPECT_EQ(f.records[1].error.value_or(""), "could not open secondary authentication file \"@nope.txt\" as \"" +
                                                 (m_dir / "nope.txt").string() + "\": No such file or directory");
  auto g = parse("local @nope.txt all reject\n", 16);
  EXPECT_EQ(g.records[0].error.value_or(""),
            "could not open file \"" + (m_dir / "nope.txt").string() + "\": No such file or directory");
}

TEST_F(HbaParser, AtFileLoops) {
  write("loop.txt", "@loop.txt\n");
  auto f = parse("local all @loop.txt trust\n", 15);
  EXPECT_TRUE(f.query_fails);
  auto g = parse("local all @loop.txt trust\n", 16);
  ASSERT_EQ(g.records.size(), 1U);
  EXPECT_NE(g.records[0].error.value_or("").find("maximum nesting depth exceeded"), std::string::npos);
}

// A list naming itself four times on as many lines: the server expands it 4 + 4^2 + ... +
// 4^10 times (each line's reference fails at the depth limit, the first error wins); the
// result is that error. Expanded once per depth here: the references followed stay
// linear in the depth (and far below the budget the exponential walk exhausted).
TEST_F(HbaParser, SelfIncludingAtFileIsExpandedOncePerDepth) {
  write("u.txt", "a\n@u.txt\nb, @u.txt\n@u.txt c\n@u.txt\n");
  pgl::core::reset_read_budget();
  auto f = parse("local all @u.txt trust\nhost all @u.txt 10.0.0.0/8 md5\nlocal all u trust\n", 18);
  ASSERT_EQ(f.records.size(), 3U);
  const std::string depth_error =
      "could not open file \"" + (m_dir / "u.txt").string() + "\": maximum nesting depth exceeded";
  EXPECT_EQ(f.records[0].error.value_or(""), depth_error);
  EXPECT_EQ(f.records[1].error.value_or(""), depth_error);
  EXPECT_FALSE(f.records[2].error);
  const auto& budget = pgl::core::read_budget();
  EXPECT_EQ(budget.files, 2U);  // pg_hba.conf and u.txt, each read once
  // two references in pg_hba.conf, then the four of u.txt once per depth 1-10
  EXPECT_LE(budget.references, 2U + 4U * 10U);
  // 12-15: the loop makes the query fail, as before
  pgl::core::reset_read_budget();
  EXPECT_TRUE(parse("local all @u.txt trust\n", 15).query_fails);
}

// Files naming the next one four times (f0 -> f1 -> ... -> f5): 4^5 copies of f5's token
// and 4^k of fk's, in the server's order, while each file's expansion is computed once.
TEST_F(HbaParser, FanOutAtFilesKeepTheirTokensAndOrder) {
  for (int i = 0; i < 5; ++i) {
    const std::string next = "@f" + std::to_string(i + 1) + ".txt";
    std::string text = "t" + std::to_string(i);
    text.append(", ").append(next).append("\n").append(next).append(" ").append(next);
    text.append("\n").append(next).append("\n");
    write("f" + std::to_string(i) + ".txt", text);
  }
  write("f5.txt", "t5\n");
  pgl::core::reset_read_budget();
  auto f = parse("local all @f0.txt trust\n", 18);
  ASSERT_EQ(f.records.size(), 1U);
  ASSERT_FALSE(f.records[0].error) << *f.records[0].error;
  const auto& users = f.records[0].users;
  // n(k) tokens from fk: n(5) = 1, n(k) = 1 + 4 n(k+1)
  ASSERT_EQ(users.size(), 1365U);
  EXPECT_EQ(users[0].text, "t0");
  EXPECT_EQ(users[1].text, "t1");
  EXPECT_EQ(users[5].text, "t5");
  EXPECT_EQ(users[6].text, "t5");
  EXPECT_EQ(users[9].text, "t4");
  EXPECT_EQ(users[9].span.begin.file, (m_dir / "f4.txt").string());
  EXPECT_EQ(users[9].span.begin.line, 1U);
  EXPECT_EQ(users.back().text, "t5");
  EXPECT_EQ(users.back().span.begin.file, (m_dir / "f5.txt").string());
  const auto& budget = pgl::core::read_budget();
  EXPECT_EQ(budget.files, 7U);
  EXPECT_LE(budget.references, 1U + 4U * 5U);  // 1 + 4 + ... + 4^5 = 1365 when walked
  // every token copied counts: f0's 1365 into the record, and each fk (k >= 1) copied 4
  // times into the one expansion of f(k-1): 1365 + 4 * (341 + 85 + 21 + 5 + 1) (the walk
  // copied fk into each of the 4^(k-1) expansions of f(k-1): 7737)
  EXPECT_EQ(budget.tokens, 3177U);
}

TEST_F(HbaParser, IncludeDirectives16) {
  write("inc/01_z.conf", "local z all trust\n");
  write("inc/02_a.conf", "local a all trust\n");
  write("inc/garbageconf", "broken\n");
  write("pre.conf", "local pre all trust\n");
  auto f = parse(
      "include pre.conf\ninclude_if_exists none.conf\ninclude_dir inc\nlocal last all trust\n"
      "include missing.conf\ninclude a b\n",
      16);
  ASSERT_EQ(f.records.size(), 6U);
  EXPECT_EQ(f.records[0].databases[0].text, "pre");
  EXPECT_EQ(f.records[0].file, (m_dir / "pre.conf").string());
  EXPECT_EQ(f.records[1].databases[0].text, "z");
  EXPECT_EQ(f.records[2].databases[0].text, "a");
  EXPECT_EQ(f.records[3].rule_number, 4);
  EXPECT_EQ(f.records[4].line, 5U);
  EXPECT_EQ(f.records[4].error.value_or(""),
            "could not open file \"" + (m_dir / "missing.conf").string() + "\": No such file or directory");
  EXPECT_EQ(f.records[5].error.value_or(""), "invalid connection type \"include\"");
  auto g = parse("include pre.conf\n", 15);
  EXPECT_EQ(g.records[0].error.value_or(""), "invalid connection type \"include\"");
}

TEST_F(HbaParser, FileErrors) {
  auto f = parse("# nothing\n\n");
  EXPECT_TRUE(f.records.empty());
  EXPECT_EQ(f.file_error.value_or(""),
            "configuration file \"" + (m_dir / "pg_hba.conf").string() + "\" contains no entries");
  pgl::parse::AuthParseOptions o;
  o.pg_version = 15;
  auto g = pgl::parse::parse_hba((m_dir / "absent.conf").string(), o, m_sources);
  EXPECT_TRUE(g.query_fails);
  EXPECT_EQ(g.file_error.value_or(""), "could not open configuration file \"" + (m_dir / "absent.conf").string() +
                                           "\": No such file or directory");
}

TEST_F(HbaParser, ContinuationLinesKeepFirstLineNumber) {
  auto f = parse("local all all\\\n trust\nlocal all all trust\\\\\n\nlocal x all trust\n", 15);
  ASSERT_EQ(f.records.size(), 3U);
  EXPECT_EQ(f.records[0].method, "trust");
  EXPECT_EQ(f.records[0].method_span.begin.line, 2U);
  EXPECT_EQ(f.records[1].error.value_or(""), "invalid authentication method \"trust\\\"");
  EXPECT_EQ(f.records[2].line, 5U);
}

}  // namespace
