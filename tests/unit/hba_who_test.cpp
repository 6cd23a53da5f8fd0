#include "analysis/hba_who.hpp"

#include <gtest/gtest.h>

#include "analysis/hba_reach.hpp"
#include "hba_test_support.hpp"

namespace pgl::analysis {
namespace {

using hbatest::file;

WhoQuery tcp(const std::string& user, const std::string& db, const std::string& addr,
             Encryption enc = Encryption::none) {
  WhoQuery q;
  q.user = user;
  q.database = db;
  q.address = hbatest::parse_ip(addr);
  q.encryption = enc;
  q.member_of = std::vector<std::string>{};
  return q;
}

std::uint32_t matched_line(const model::HbaFile& f, const WhoResult& r) {
  return r.match ? f.records[*r.match].line : 0;
}

TEST(HbaWho, FirstMatchingLineDecidesAndPassedLinesSayWhy) {
  auto f = file(
      "local all all peer\nhostssl all all 10.0.0.0/8 cert\nhost sales all 10.0.0.0/8 md5\n"
      "host all all 10.0.0.0/8 scram-sha-256\n");
  auto r = who(f, 18, tcp("alice", "hr", "10.1.2.3"));
  EXPECT_EQ(r.decision, WhoDecision::accept);
  EXPECT_EQ(matched_line(f, r), 4U);
  ASSERT_EQ(r.passed.size(), 3U);
  EXPECT_NE(r.passed[0].reason.find("connection type"), std::string::npos);
  EXPECT_NE(r.passed[1].reason.find("hostssl"), std::string::npos);
  EXPECT_NE(r.passed[2].reason.find("database: \"hr\""), std::string::npos);
  auto s = who(f, 18, tcp("alice", "hr", "10.1.2.3", Encryption::ssl));
  EXPECT_EQ(matched_line(f, s), 2U);
  auto out = who(f, 18, tcp("alice", "hr", "192.168.0.1"));
  EXPECT_EQ(out.decision, WhoDecision::no_match);
  EXPECT_FALSE(out.match);
}

TEST(HbaWho, RejectLineRejects) {
  auto f = file("hostnossl all all 0.0.0.0/0 reject\nhost all all 0.0.0.0/0 scram-sha-256\n");
  EXPECT_EQ(who(f, 18, tcp("a", "b", "1.2.3.4")).decision, WhoDecision::reject);
  EXPECT_EQ(who(f, 18, tcp("a", "b", "1.2.3.4", Encryption::ssl)).decision, WhoDecision::accept);
  // hostnossl takes GSSAPI-encrypted connections, hostnogssenc does not.
  EXPECT_EQ(who(f, 18, tcp("a", "b", "1.2.3.4", Encryption::gss)).decision, WhoDecision::reject);
}

TEST(HbaWho, AllDoesNotMatchPhysicalReplication) {
  auto f = file("host all all 0.0.0.0/0 md5\nhost replication repl 0.0.0.0/0 scram-sha-256\n");
  auto q = tcp("repl", "ignored", "10.0.0.1");
  q.replication = true;
  auto r = who(f, 18, q);
  EXPECT_EQ(matched_line(f, r), 2U);
  EXPECT_NE(r.passed[0].reason.find("physical replication"), std::string::npos);
  // A database called "replication" is a normal connection: `replication` does not match it.
  EXPECT_EQ(matched_line(f, who(f, 18, tcp("repl", "replication", "10.0.0.1"))), 1U);
}

TEST(HbaWho, QuotedKeywordsAreNames) {
  auto f = file("host \"all\" \"all\" 0.0.0.0/0 md5\nhost sameuser all 0.0.0.0/0 scram-sha-256\n");
  EXPECT_EQ(matched_line(f, who(f, 18, tcp("bob", "bob", "1.1.1.1"))), 2U);
  EXPECT_EQ(matched_line(f, who(f, 18, tcp("all", "all", "1.1.1.1"))), 1U);
  EXPECT_EQ(who(f, 18, tcp("bob", "sales", "1.1.1.1")).decision, WhoDecision::no_match);
}

TEST(HbaWho, GroupsThroughMemberOfElseDepends) {
  auto f = file("host all +admins 0.0.0.0/0 cert\nhost samerole all 0.0.0.0/0 md5\nhost all all 0.0.0.0/0 reject\n");
  auto q = tcp("alice", "sales", "1.1.1.1");
  q.member_of = std::vector<std::string>{"admins"};
  EXPECT_EQ(matched_line(f, who(f, 18, q)), 1U);
  q.member_of = std::vector<std::string>{"sales"};
  EXPECT_EQ(matched_line(f, who(f, 18, q)), 2U);
  // `+alice` and samerole include the role itself.
  EXPECT_EQ(matched_line(f, who(f, 18, tcp("admins", "x", "1.1.1.1"))), 1U);
  q.member_of.reset();
  auto r = who(f, 18, q);
  EXPECT_EQ(r.decision, WhoDecision::depends);
  ASSERT_EQ(r.uncertain.size(), 2U);
  EXPECT_EQ(matched_line(f, r), 3U);
  ASSERT_EQ(r.depends_on.size(), 2U);
  EXPECT_NE(r.depends_on[0].find("\"admins\""), std::string::npos);
}

TEST(HbaWho, RegexesFromVersion16) {
  auto f = file("host /^app_ all 0.0.0.0/0 md5\nhost all all 0.0.0.0/0 scram-sha-256\n");
  EXPECT_EQ(matched_line(f, who(f, 16, tcp("u", "app_1", "1.1.1.1"))), 1U);
  EXPECT_EQ(matched_line(f, who(f, 16, tcp("u", "xapp_1", "1.1.1.1"))), 2U);
  EXPECT_EQ(matched_line(f, who(f, 15, tcp("u", "app_1", "1.1.1.1"))), 2U);
  EXPECT_EQ(matched_line(f, who(f, 15, tcp("u", "/^app_", "1.1.1.1"))), 1U);
}

TEST(HbaWho, SamehostSamenetAndHostNames) {
  auto f = file(
      "host all all samehost trust\nhost all all samenet md5\nhost all all db.example.com scram-sha-256\n"
      "host all all .example.org scram-sha-256\n");
  auto q = tcp("u", "d", "10.0.0.7");
  auto r = who(f, 18, q);
  EXPECT_EQ(r.decision, WhoDecision::depends);
  EXPECT_FALSE(r.match);
  q.local_addresses = std::vector<model::IpNet>{*hbatest::parse_ip("10.0.0.5")};
  q.local_addresses->front().prefix = 24;
  EXPECT_EQ(matched_line(f, who(f, 18, q)), 2U);
  q.address = hbatest::parse_ip("10.0.0.5");
  EXPECT_EQ(matched_line(f, who(f, 18, q)), 1U);
  q.address = hbatest::parse_ip("192.0.2.1");
  q.resolve = {{"DB.example.com", *hbatest::parse_ip("192.0.2.1")}};
  EXPECT_EQ(matched_line(f, who(f, 18, q)), 3U);
  q.resolve = {{"x.example.org", *hbatest::parse_ip("192.0.2.1")}};
  EXPECT_EQ(matched_line(f, who(f, 18, q)), 4U);
  q.resolve = {{"other.net", *hbatest::parse_ip("192.0.2.1")}};
  EXPECT_EQ(who(f, 18, q).decision, WhoDecision::no_match);
}

TEST(HbaWho, AddressFamiliesAndLocal) {
  auto f = file("local all all peer\nhost all all ::1/128 trust\nhost all all 127.0.0.1/32 md5\n");
  EXPECT_EQ(matched_line(f, who(f, 18, tcp("u", "d", "::1"))), 2U);
  EXPECT_EQ(matched_line(f, who(f, 18, tcp("u", "d", "127.0.0.1"))), 3U);
  WhoQuery l;
  l.user = "u";
  l.database = "d";
  l.local = true;
  EXPECT_EQ(matched_line(f, who(f, 18, l)), 1U);
}

// The model stays fast on many users per line (every user is a cell of the analysis).
TEST(HbaReachScale, ManyUsersOnOneLine) {
  std::string users;
  for (int i = 0; i < 20000; ++i) {
    users += (i ? "," : "") + std::string("u") + std::to_string(i);
  }
  auto f = file("host all " + users + " 10.0.0.0/8 md5\nhost all u19999 10.0.0.0/8 md5\n");
  const HbaReach m(f, 18);
  EXPECT_EQ(m.reach(0).verdict, Verdict::yes);
  EXPECT_EQ(m.reach(1).verdict, Verdict::no);
}

TEST(HbaReachScale, ShadowedCatchAllAfterManyHosts) {
  std::string text;
  for (int i = 0; i < 256; ++i) {
    text += "host all all 10.0." + std::to_string(i) + ".0/24 md5\n";
  }
  text += "host all all 10.0.0.0/16 scram-sha-256\nhost all all 10.0.0.0/8 scram-sha-256\n";
  auto f = file(text);
  const HbaReach m(f, 18);
  auto r = m.reach(256);
  EXPECT_EQ(r.verdict, Verdict::no);
  EXPECT_EQ(r.taken_by.size(), 256U);
  EXPECT_EQ(m.reach(257).verdict, Verdict::yes);
  EXPECT_EQ(m.reach_after(256, 3).verdict, Verdict::yes);
}

}  // namespace
}  // namespace pgl::analysis
