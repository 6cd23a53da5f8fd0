// Repository mode in the load layer (an @file or include that is not in the copy) and the
// first-match analysis over its unknown tokens; the shared helpers of the regex and
// shared_preload_libraries rules.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "analysis/auth_regex_shape.hpp"
#include "analysis/conf_support.hpp"
#include "analysis/hba_reach.hpp"
#include "load/loader.hpp"

namespace fs = std::filesystem;

namespace {

class RepoMode : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pgl-repo-XXXXXX";
    m_dir = ::mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  pgl::model::Config load(const std::string& hba, int version, bool repo) {
    std::ofstream(fs::path(m_dir) / "pg_hba.conf") << hba;
    std::ofstream(fs::path(m_dir) / "PG_VERSION") << version << "\n";
    pgl::model::LoadOptions o;
    o.paths = {m_dir};
    o.repo = repo;
    auto c = pgl::load::load_config(o);
    EXPECT_TRUE(c.has_value());
    return std::move(*c);
  }
  std::string m_dir;
};

TEST_F(RepoMode, MissingAtFileIsAnUnknownToken) {
  const std::string hba = "local all all peer\nhost all @admins.txt,bob 10.0.0.0/8 scram-sha-256\n";
  for (const int v : {15, 16}) {
    const auto plain = load(hba, v, false);
    ASSERT_EQ(plain.hba->records.size(), 2U);
    EXPECT_TRUE(plain.hba->records[1].fatal) << v;  // the server's reading: the file does not load
    EXPECT_TRUE(plain.hba->missing_files.empty());

    const auto repo = load(hba, v, true);
    const auto& r = repo.hba->records[1];
    EXPECT_FALSE(r.error.has_value()) << v;
    ASSERT_EQ(r.users.size(), 2U);
    EXPECT_TRUE(r.users[0].unknown);
    EXPECT_EQ(r.users[0].text, "@admins.txt");
    EXPECT_EQ(r.users[0].span.begin.line, 2U);
    EXPECT_EQ(r.users[0].span.begin.column, 10U);
    EXPECT_FALSE(r.users[1].unknown);
    ASSERT_EQ(repo.hba->missing_files.size(), 1U);
    EXPECT_EQ(repo.hba->missing_files[0].path, (fs::path(m_dir) / "admins.txt").string());
    EXPECT_EQ(repo.hba->missing_files[0].span.begin.line, 2U);
  }
}

TEST_F(RepoMode, EachMissingFileListedOnce) {
  const auto c = load("host all @a.txt 10.0.0.0/8 md5\nhost @d.txt @a.txt 10.1.0.0/16 md5\n", 15, true);
  ASSERT_EQ(c.hba->missing_files.size(), 2U);
  EXPECT_EQ(c.hba->missing_files[0].span.begin.line, 1U);
  EXPECT_EQ(c.hba->missing_files[1].span.begin.line, 2U);
  EXPECT_TRUE(c.hba->records[1].databases[0].unknown);
}

TEST_F(RepoMode, UnknownUsersAreNeverCertain) {
  using pgl::analysis::Verdict;
  // bob may or may not be in admins.txt; the same list twice shadows certainly.
  const auto c = load(
      "host all @admins.txt 10.0.0.0/8 reject\n"
      "host all bob 10.0.0.0/8 md5\n"
      "host all @admins.txt 10.0.0.0/8 md5\n",
      15, true);
  const pgl::analysis::HbaReach reach(*c.hba, 15);
  EXPECT_EQ(reach.reach_all(1).verdict, Verdict::maybe);
  EXPECT_EQ(reach.reach_all(2).verdict, Verdict::no);
}

TEST_F(RepoMode, UnknownDatabasesMayBeReplication) {
  using pgl::analysis::ReachQuery;
  using pgl::analysis::ReplFilter;
  using pgl::analysis::Verdict;
  const auto c = load(
      "host @dbs.txt all 10.0.0.0/8 reject\n"
      "host replication all 10.0.0.0/8 md5\n"
      "host all all 192.168.0.0/16 reject\n"
      "host @dbs.txt all 192.168.0.0/16 md5\n",
      15, true);
  const pgl::analysis::HbaReach reach(*c.hba, 15);
  EXPECT_EQ(reach.reach_all(1).verdict, Verdict::maybe);  // not certainly reached: dbs.txt may list replication
  EXPECT_EQ(reach.reach_all(3).verdict, Verdict::maybe);  // not certainly dead: it may take replication
  ReachQuery normal;
  normal.repl = ReplFilter::normal;
  EXPECT_EQ(reach.reach(3, normal).verdict, Verdict::no);  // every normal connection is taken by line 3
  ReachQuery phys;
  phys.repl = ReplFilter::physical;
  EXPECT_EQ(reach.reach(3, phys).verdict, Verdict::maybe);
}

// A missing include file or include_dir directory (16+).
TEST_F(RepoMode, MissingIncludeMakesLaterLinesUncertain) {
  using pgl::analysis::Verdict;
  for (const std::string directive : {"include /nonexistent/pgl/site.conf", "include_dir /nonexistent/pgl/hba.d"}) {
    const std::string hba = "host all all 10.0.0.0/8 md5\n" + directive + "\nhost all all 0.0.0.0/0 md5\n";
    const auto plain = load(hba, 16, false);
    EXPECT_FALSE(plain.hba->unknown_lines_from.has_value()) << directive;
    EXPECT_TRUE(plain.hba->records[1].fatal) << directive;
    const auto repo = load(hba, 16, true);
    ASSERT_TRUE(repo.hba->unknown_lines_from.has_value()) << directive;
    EXPECT_EQ(*repo.hba->unknown_lines_from, 1U);
    const pgl::analysis::HbaReach reach(*repo.hba, 16);
    EXPECT_EQ(reach.reach_all(0).verdict, Verdict::yes);
    EXPECT_EQ(reach.reach_all(2).verdict, Verdict::maybe) << directive;
  }
}

// An @file not in the copy in the type, address, method or option field: the line's reading is
// unknown (not an "invalid IP address" error), it takes no part in matching, and no later
// line is certainly reached; the database and user fields keep their unknown tokens.
TEST_F(RepoMode, UnknownFieldOutsideNamesMakesAnUnknownLine) {
  using pgl::analysis::Verdict;
  const std::vector<std::string> lines = {
      "host all all @nets.txt md5\n",
      "host all all 10.0.0.0/8 @method.txt\n",
      "@type.txt all all 10.0.0.0/8 md5\n",
      "local all all peer @opts.txt\n",
  };
  for (const int v : {15, 16}) {
    for (const auto& line : lines) {
      const std::string hba = "local all all peer\n" + line + "host all all 0.0.0.0/0 md5\n";
      const auto plain = load(hba, v, false);
      EXPECT_TRUE(plain.hba->records[1].fatal) << v << line;
      EXPECT_FALSE(plain.hba->records[1].view_null && !plain.hba->records[1].fatal);

      const auto repo = load(hba, v, true);
      const auto& r = repo.hba->records[1];
      EXPECT_TRUE(r.view_null) << v << line;  // the repository-mode mark: view_null, not fatal
      EXPECT_FALSE(r.fatal);
      EXPECT_FALSE(pgl::analysis::participates(r));
      EXPECT_TRUE(repo.hba->loads());
      ASSERT_EQ(repo.hba->missing_files.size(), 1U) << v << line;
      ASSERT_TRUE(repo.hba->unknown_lines_from.has_value());
      EXPECT_EQ(*repo.hba->unknown_lines_from, 1U);
      const pgl::analysis::HbaReach reach(*repo.hba, v);
      EXPECT_EQ(reach.reach_all(0).verdict, Verdict::yes);
      EXPECT_EQ(reach.reach_all(2).verdict, Verdict::maybe) << v << line;
    }
  }
  // the user field is not such a field: the line is read, with an unknown user token
  const auto users = load("host all @admins.txt 10.0.0.0/8 md5\n", 16, true);
  EXPECT_FALSE(users.hba->records[0].view_null);
  EXPECT_FALSE(users.hba->unknown_lines_from.has_value());
}

// pg_ident.conf: a map name from an @file not in the copy is its `@name`, and the file is listed
// (hba-ident-map-missing then says nothing: it may be any map).
TEST_F(RepoMode, UnknownIdentMapName) {
  std::ofstream(fs::path(m_dir) / "pg_ident.conf") << "@maps.txt alice bob\nm alice bob\n";
  const auto repo = load("local all all peer map=x\n", 16, true);
  ASSERT_TRUE(repo.ident.has_value());
  ASSERT_EQ(repo.ident->records.size(), 2U);
  EXPECT_EQ(repo.ident->records[0].map_name, "@maps.txt");
  EXPECT_FALSE(repo.ident->records[0].error.has_value());
  EXPECT_EQ(repo.ident->missing_files.size(), 1U);
  EXPECT_EQ(repo.ident->records[1].map_name, "m");
}

TEST(RegexShape, LooseDots) {
  using pgl::analysis::loose_dots;
  auto words = [](std::string_view re) {
    std::vector<std::string> out;
    for (const auto& d : loose_dots(re)) {
      out.emplace_back(d.word);
    }
    return out;
  };
  EXPECT_EQ(words("^(.*)@example.com$"), std::vector<std::string>{"example.com"});
  EXPECT_EQ(words("^first.last$"), std::vector<std::string>{"first.last"});
  EXPECT_EQ(words("^a.b.example$").size(), 1U);  // b.example, not a.b
  EXPECT_EQ(words("^x.proxy.neon.build$").size(), 3U);
  for (const char* silent : {"^(.*)@example\\.com$", "^(.+)$", "^a.b$", "^db.{2}$", "^.admin$", "^x[.]corp$",
                             "^\\w.com$", "^(bob).(smith)$", "^bob.?smith$", "admin..x", "^ab.$", "[a.b]c.d"}) {
    EXPECT_TRUE(loose_dots(silent).empty()) << silent;
  }
  EXPECT_TRUE(loose_dots("[unclosed.bracket").empty());
  const auto d = loose_dots("^(.*)@corp.example.org$");
  ASSERT_EQ(d.size(), 2U);
  EXPECT_EQ(d[0].word, "corp.example.org");
  EXPECT_EQ(d[0].variant(), "corp-example.org");
  EXPECT_EQ(d[1].variant(), "corp.example-org");
  EXPECT_EQ(pgl::analysis::escape_dots("^(.*)@corp.example.org$", d), "^(.*)@corp\\.example\\.org$");
}

TEST(RegexShape, Anchors) {
  EXPECT_FALSE(pgl::analysis::regex_anchors("admin").start);
  EXPECT_TRUE(pgl::analysis::regex_anchors("\\Aadmin").start);
  EXPECT_FALSE(pgl::analysis::regex_anchors("[$^]x").end);
  EXPECT_TRUE(pgl::analysis::regex_anchors("a|b").top_alternation);
  EXPECT_FALSE(pgl::analysis::regex_anchors("(a|b)").top_alternation);
  EXPECT_TRUE(pgl::analysis::regex_starts_unbounded("(.*)x"));
  EXPECT_FALSE(pgl::analysis::regex_ends_unbounded("x\\.*"));
}

TEST(PreloadLibraries, SplitLikeTheServer) {
  using V = std::vector<std::string>;
  EXPECT_EQ(pgl::analysis::preload_library_names(" pg_stat_statements , \"$libdir/PgAudit.so\",,auto_explain"),
            (V{"pg_stat_statements", "pgaudit", "auto_explain"}));
  EXPECT_EQ(pgl::analysis::preload_library_names("pgaudit.so,pg_stat_statements.so"),
            (V{"pgaudit", "pg_stat_statements"}));
  EXPECT_EQ(pgl::analysis::preload_library_names(""), V{});
  EXPECT_EQ(pgl::analysis::preload_library_names("\"a,b\""), V{"a,b"});
}

}  // namespace
