// core::read_file: the one reader never blocks, never reads a device, caps sizes and
// counts against the run's budget.
#include "core/read_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "cli/cli.hpp"
#include "core/result.hpp"
#include "core/source.hpp"
#include "lint/project_config.hpp"
#include "parse/conninfo.hpp"
#include "parse/parse.hpp"

namespace {

namespace fs = std::filesystem;
using pgl::core::ReadErrorKind;

struct ReadFileTest : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    pgl::core::reset_read_budget();
    char templ[] = "/tmp/pgl-read-file-XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir = templ;
  }
  void TearDown() override {
    pgl::core::reset_read_budget();
    fs::remove_all(dir);
  }
  std::string file(const std::string& name, const std::string& bytes) {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
};

TEST_F(ReadFileTest, RegularFileWhole) {
  const std::string p = file("a.conf", std::string("x\0y\n", 4));
  auto r = pgl::core::read_file(p);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->bytes, std::string("x\0y\n", 4));  // NUL bytes are the caller's to judge
  EXPECT_EQ(pgl::core::read_budget().files, 1U);
  EXPECT_EQ(pgl::core::read_budget().bytes, 4U);
}

TEST_F(ReadFileTest, FifoIsRefusedWithoutBlocking) {
  const std::string p = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0);
  auto r = pgl::core::read_file(p);  // would block forever without O_NONBLOCK
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ReadErrorKind::fifo);
  EXPECT_TRUE(r.error().not_regular());
  EXPECT_NE(r.error().message.find("FIFO"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(p), std::string::npos);
  EXPECT_FALSE(pgl::core::server_behaviour(ReadErrorKind::fifo).empty());
}

TEST_F(ReadFileTest, DevicesAreNotRead) {
  for (const char* dev : {"/dev/zero", "/dev/urandom", "/dev/null"}) {
    auto r = pgl::core::read_file(dev);
    ASSERT_FALSE(r) << dev;
    EXPECT_EQ(r.error().kind, ReadErrorKind::device) << dev;
    EXPECT_NE(r.error().message.find("character device"), std::string::npos) << r.error().message;
  }
}

TEST_F(ReadFileTest, DirectoryMissingAndTooLarge) {
  auto d = pgl::core::read_file(dir.string());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().kind, ReadErrorKind::is_directory);
  auto m = pgl::core::read_file((dir / "nope").string());
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ReadErrorKind::not_found);
  const std::string p = file("big", std::string(2000, 'x'));
  auto big = pgl::core::read_file(p, pgl::core::ReadLimits{1000});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, ReadErrorKind::too_large);
  EXPECT_TRUE(pgl::core::read_file(p, pgl::core::ReadLimits{2000}));
}

TEST_F(ReadFileTest, BudgetOfTheRun) {
  const std::string p = file("a", std::string(100, 'x'));
  pgl::core::read_budget().max_bytes = 250;
  EXPECT_TRUE(pgl::core::read_file(p));
  EXPECT_TRUE(pgl::core::read_file(p));
  auto third = pgl::core::read_file(p);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().kind, ReadErrorKind::budget);
  pgl::core::reset_read_budget();
  pgl::core::read_budget().max_files = 1;
  EXPECT_TRUE(pgl::core::read_file(p));
  auto second = pgl::core::read_file(p);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ReadErrorKind::budget);
}

TEST_F(ReadFileTest, EachRunHasItsOwnBudget) {
  const std::string p = file("a", std::string(100, 'x'));
  pgl::core::read_budget().max_files = 2;
  ASSERT_TRUE(pgl::core::read_file(p));
  {
    const pgl::core::ReadBudgetScope run;
    EXPECT_EQ(pgl::core::read_budget().files, 0U);  // nothing counted yet
    EXPECT_EQ(pgl::core::read_budget().bytes, 0U);
    EXPECT_EQ(pgl::core::read_budget().max_files, 2U);  // the limits of the budget it replaced
    EXPECT_TRUE(pgl::core::read_file(p));
    EXPECT_TRUE(pgl::core::read_file(p));
    auto third = pgl::core::read_file(p);
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().kind, ReadErrorKind::budget);
  }
  EXPECT_EQ(pgl::core::read_budget().files, 1U);  // the outer run's counts come back
  EXPECT_EQ(pgl::core::read_budget().bytes, 100U);
}

TEST_F(ReadFileTest, EachCommandIsOneRun) {
  // A spent budget in the process (as a previous command would leave it) does not stop the
  // next command, and the command's reads do not count in the budget around it.
  const std::string hba = file("pg_hba.conf", "local all all trust\n");
  pgl::core::read_budget().max_files = 1;
  ASSERT_TRUE(pgl::core::read_file(hba));
  ASSERT_FALSE(pgl::core::read_file(hba));
  std::vector<std::string> args = {"pgconflint", "dump", "hba", hba, "--pg-version", "16"};
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  testing::internal::CaptureStdout();
  const int rc = pgl::cli::run(static_cast<int>(argv.size()), argv.data());
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("\"rule_number\": 1"), std::string::npos) << out;
  EXPECT_EQ(pgl::core::read_budget().files, 1U);
}

TEST_F(ReadFileTest, AtFileFanOutStopsTheRunNamingTheChain) {
  // Ten files, each naming the next twenty times: 20^9 expansions without a budget.
  for (int i = 0; i < 10; ++i) {
    std::string body;
    for (int k = 0; k < 20 && i < 9; ++k) {
      body += "@f" + std::to_string(i + 1) + ".txt ";
    }
    file("f" + std::to_string(i) + ".txt", i < 9 ? body + "\n" : "alice bob carol\n");
  }
  const std::string hba = file("pg_hba.conf", "local all @f0.txt trust\n");
  for (int v : {13, 16}) {
    pgl::core::reset_read_budget();
    pgl::parse::AuthParseOptions o;
    o.pg_version = v;
    pgl::core::SourceSet sources;
    try {
      (void)pgl::parse::parse_hba(hba, o, sources);
      ADD_FAILURE() << "no budget error for " << v;
    } catch (const pgl::Fatal& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("tokens expanded from @files in this run"), std::string::npos) << m;
      EXPECT_NE(m.find("pg_hba.conf\" -> \""), std::string::npos) << m;
    }
  }
}

TEST_F(ReadFileTest, HbaFifoReferencesAreFindingsNotHangs) {
  const std::string fifo = (dir / "users.txt").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string hba = file("pg_hba.conf", "local all @users.txt trust\n");
  pgl::parse::AuthParseOptions o;
  o.pg_version = 16;
  pgl::core::SourceSet sources;
  const auto f = pgl::parse::parse_hba(hba, o, sources);
  ASSERT_EQ(f.records.size(), 1U);
  ASSERT_TRUE(f.records[0].error);
  EXPECT_NE(f.records[0].error->find("FIFO"), std::string::npos) << *f.records[0].error;
  EXPECT_NE(f.records[0].error->find("the server would wait on it"), std::string::npos) << *f.records[0].error;
}

TEST(ProjectConfigToml, MalformedTinyInputsAreErrorsWithFileAndLine) {
  // Short inputs of the kinds that reached toml++'s internal checks.
  for (const char* text : {"a=1979-05-27T", "a=00:00:0", "[a.", "a=[", "a='''", "a=\"\\u", "=", "a=1_", "a=0x", "a=1e",
                           "a=2000-01-01 00:", "a=1979-05-27T07:32:00.", "[[a]]\n[a]", "a.b=1\na=2"}) {
    auto r = pgl::lint::parse_project_config(text, "cfg.toml");
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().message.rfind("cfg.toml:", 0), 0U) << text << ": " << r.error().message;
  }
}

TEST(ConninfoMask, FromTheParsedStructure) {
  using pgl::parse::mask_conninfo;
  EXPECT_EQ(mask_conninfo("host=h password='a\\' b#c' user=u"), "host=h password=*** user=u");
  EXPECT_EQ(mask_conninfo("postgresql://u:p%23w%3Fx@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(mask_conninfo("postgresql://u@h/db?pass%77ord=s3cret&sslmode=require"),
            "postgresql://u@h/db?pass%77ord=***&sslmode=require");
  EXPECT_EQ(mask_conninfo("host=h password='unterminated"), "***");
  EXPECT_EQ(mask_conninfo("host=h user=u"), "host=h user=u");
}

}  // namespace
