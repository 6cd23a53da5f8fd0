// parse::parse_conf: includes, depth, recursion, include_dir, postgresql.auto.conf.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "parse/parse.hpp"

namespace fs = std::filesystem;
using pgl::model::ConfProblemKind;

namespace {

class ConfParserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pgl-confparse-XXXXXX";
    m_dir = ::mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::string write(const std::string& rel, const std::string& text) {
    const fs::path p = fs::path(m_dir) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  pgl::model::ConfSet parse(const std::string& rel, bool view = false, bool with_auto = true) {
    pgl::parse::ConfParseOptions o;
    o.pg_version = 15;
    o.data_dir = m_dir;
    o.auto_file = with_auto ? m_dir + "/postgresql.auto.conf" : "";
    o.emulate_view = view;
    auto r = pgl::parse::parse_conf(m_dir + "/" + rel, o, m_sources);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : pgl::model::ConfSet{};
  }
  static std::vector<std::string> names(const pgl::model::ConfSet& s) {
    std::vector<std::string> out;
    for (const auto& i : s.items) {
      out.push_back(i.entry ? i.entry->name + "=" + i.entry->value : "!" + i.problem->view_error);
    }
    return out;
  }

  std::string m_dir;
  pgl::core::SourceSet m_sources;
};

}  // namespace

TEST_F(ConfParserTest, IncludesAreInlineAndRelativeToTheIncludingFile) {
  write("postgresql.conf", "a.a = 1\ninclude 'sub/one.conf'\nINCLUDE_IF_EXISTS 'nope.conf'\nz.z = 9\n");
  write("sub/one.conf", "b.b = 2\ninclude 'two.conf'\n");
  write("sub/two.conf", "c.c = 3\n");
  const auto s = parse("postgresql.conf");
  EXPECT_EQ(names(s), (std::vector<std::string>{"a.a=1", "b.b=2", "c.c=3", "!", "z.z=9"}));
  ASSERT_TRUE(s.items[3].problem);
  EXPECT_EQ(s.items[3].problem->kind, ConfProblemKind::include_if_exists_skipped);
  EXPECT_FALSE(s.items[3].problem->fatal);
  EXPECT_FALSE(s.has_fatal_problem());
  EXPECT_EQ(s.items[2].entry->file, m_dir + "/sub/two.conf");
  EXPECT_EQ(s.items[2].entry->include_depth, 2);
  EXPECT_NE(m_sources.find(m_dir + "/sub/two.conf"), nullptr);
  EXPECT_EQ(s.files_read.size(), 3u);
}

TEST_F(ConfParserTest, MissingIncludeAndEmptyName) {
  write("postgresql.conf", "include 'missing.conf'\ninclude ''\ninclude_dir ' '\n");
  const auto s = parse("postgresql.conf");
  ASSERT_EQ(s.items.size(), 3u);
  EXPECT_EQ(s.items[0].problem->kind, ConfProblemKind::include_missing);
  EXPECT_EQ(s.items[0].problem->view_error, "could not open file \"" + m_dir + "/missing.conf\"");
  EXPECT_EQ(s.items[0].problem->log_message,
            "could not open configuration file \"" + m_dir + "/missing.conf\": No such file or directory");
  EXPECT_EQ(s.items[0].problem->span.begin.line, 1u);
  EXPECT_EQ(s.items[1].problem->view_error, "empty configuration file name");
  EXPECT_EQ(s.items[2].problem->view_error, "empty configuration directory name");
  EXPECT_TRUE(s.has_fatal_problem());
}

TEST_F(ConfParserTest, SelfInclusionIsRecursion) {
  write("postgresql.conf", "a.a = 1\ninclude './postgresql.conf'\n");
  const auto s = parse("postgresql.conf");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[1].problem->kind, ConfProblemKind::recursion);
  EXPECT_EQ(s.items[1].problem->log_message, "configuration file recursion in \"" + m_dir + "/postgresql.conf\"");
}

TEST_F(ConfParserTest, DepthLimitIsTenLevels) {
  write("postgresql.conf", "include 'l1.conf'\n");
  for (int i = 1; i <= 11; ++i) {
    write("l" + std::to_string(i) + ".conf",
          "v.l" + std::to_string(i) + " = 1\ninclude 'l" + std::to_string(i + 1) + ".conf'\n");
  }
  write("l12.conf", "");
  const auto s = parse("postgresql.conf");
  // l1..l10 are read (depths 1..10); the include in l10 fails.
  int entries = 0;
  for (const auto& i : s.items) {
    entries += i.entry ? 1 : 0;
  }
  EXPECT_EQ(entries, 10);
  ASSERT_TRUE(s.items.back().problem);
  EXPECT_EQ(s.items.back().problem->kind, ConfProblemKind::depth_exceeded);
  EXPECT_EQ(s.items.back().problem->span.begin.file, m_dir + "/l10.conf");
  EXPECT_EQ(s.items.back().problem->log_message,
            "could not open configuration file \"l11.conf\": maximum nesting depth exceeded");
}

TEST_F(ConfParserTest, IndirectCycleStopsAtDepth) {
  write("postgresql.conf", "include 'a.conf'\n");
  write("a.conf", "include 'b.conf'\n");
  write("b.conf", "include 'a.conf'\n");
  const auto s = parse("postgresql.conf");
  ASSERT_EQ(s.items.size(), 1u);
  EXPECT_EQ(s.items[0].problem->kind, ConfProblemKind::depth_exceeded);
}

TEST_F(ConfParserTest, IncludeDirSelectionAndOrder) {
  write("postgresql.conf", "include_dir 'conf.d'\n");
  for (const char* n :
       {"10.conf", "9.conf", "A.conf", "b.conf", ".hidden.conf", "x.CONF", "x.conf~", ".conf", "a.con"}) {
    write(std::string("conf.d/") + n, std::string("v.v = '") + n + "'\n");
  }
  write("conf.d/sub.conf/y.conf", "v.v = sub\n");
  const auto s = parse("postgresql.conf");
  EXPECT_EQ(names(s), (std::vector<std::string>{"v.v=10.conf", "v.v=9.conf", "v.v=A.conf", "v.v=b.conf"}));
}

TEST_F(ConfParserTest, IncludeDirStopsAtFirstFailingFileAndReportsMissingDir) {
  write("postgresql.conf", "include_dir 'd'\ninclude_dir 'nodir'\nz.z = 1\n");
  write("d/1.conf", "a.a = 1\n");
  write("d/2.conf", "include 'missing.conf'\n");
  write("d/3.conf", "c.c = 3\n");
  const auto s = parse("postgresql.conf");
  EXPECT_EQ(names(s), (std::vector<std::string>{"a.a=1", "!could not open file \"" + m_dir + "/d/missing.conf\"",
                                                "!could not open directory \"" + m_dir + "/nodir\"", "z.z=1"}));
}

TEST_F(ConfParserTest, DanglingSymlinkInIncludeDirCannotBeStatted) {
  write("postgresql.conf", "include_dir 'd'\n");
  write("d/1.conf", "a.a = 1\n");
  fs::create_symlink(m_dir + "/nowhere", m_dir + "/d/2.conf");
  const auto s = parse("postgresql.conf");
  ASSERT_EQ(s.items.size(), 1u);
  EXPECT_EQ(s.items[0].problem->kind, ConfProblemKind::stat_failed);
  EXPECT_EQ(s.items[0].problem->view_error, "could not stat file \"" + m_dir + "/d/2.conf\"");
}

TEST_F(ConfParserTest, AutoConfIsReadLastAndMarked) {
  write("postgresql.conf", "work_mem = 1MB\n");
  write("postgresql.auto.conf", "# Do not edit\nwork_mem = '2MB'\n");
  const auto s = parse("postgresql.conf");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_FALSE(s.items[0].entry->from_auto_conf);
  EXPECT_TRUE(s.items[1].entry->from_auto_conf);
  EXPECT_EQ(s.items[1].entry->line, 2u);
  EXPECT_EQ(s.auto_file, m_dir + "/postgresql.auto.conf");
}

TEST_F(ConfParserTest, MissingAutoConfIsSkippedSilently) {
  write("postgresql.conf", "a.a = 1\n");
  const auto s = parse("postgresql.conf");
  EXPECT_FALSE(s.has_fatal_problem());
  EXPECT_EQ(s.auto_file, "");
}

TEST_F(ConfParserTest, ViewModeStopsAtFirstErrorAndSkipsAutoConf) {
  write("postgresql.conf", "a.a = *\nb.b = *\n");
  write("postgresql.auto.conf", "c.c = 1\n");
  const auto view = parse("postgresql.conf", true);
  EXPECT_EQ(names(view), (std::vector<std::string>{"!syntax error"}));
  EXPECT_TRUE(view.auto_skipped);
  const auto full = parse("postgresql.conf", false);
  EXPECT_EQ(names(full), (std::vector<std::string>{"!syntax error", "!syntax error", "c.c=1"}));
  EXPECT_EQ(full.items[1].problem->log_message,
            "syntax error in file \"" + m_dir + "/postgresql.conf\" line 2, near token \"*\"");
}

TEST_F(ConfParserTest, MainFileFailures) {
  pgl::parse::ConfParseOptions o;
  auto r = pgl::parse::parse_conf(m_dir + "/none.conf", o, m_sources);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find(m_dir + "/none.conf"), std::string::npos);
  auto d = pgl::parse::parse_conf(m_dir, o, m_sources);
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message.find("is a directory"), std::string::npos);
}

TEST_F(ConfParserTest, IncludeOfDeviceOrBinaryFileIsAProblemNotAHang) {
  write("postgresql.conf", "include '/dev/zero'\n");
  const auto s = parse("postgresql.conf");
  ASSERT_EQ(s.items.size(), 1u);
  EXPECT_EQ(s.items[0].problem->kind, ConfProblemKind::include_unreadable);
  EXPECT_NE(s.items[0].problem->log_message.find("/dev/zero"), std::string::npos);
  write("bin.conf", std::string("a.a = 1\n\0\0", 10));
  write("postgresql.conf", "include 'bin.conf'\n");
  pgl::core::SourceSet fresh;
  pgl::parse::ConfParseOptions o;
  auto r = pgl::parse::parse_conf(m_dir + "/postgresql.conf", o, fresh);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_NE(r->items[0].problem->log_message.find("binary"), std::string::npos);
}
