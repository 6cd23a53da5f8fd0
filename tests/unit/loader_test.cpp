// load::load_config and load::read_text_file: layouts, versions and bad input.
#include "load/loader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pgl-loader-XXXXXX";
    m_dir = ::mkdtemp(tmpl);
  }
  void TearDown() override {
    fs::permissions(m_dir, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(m_dir);
  }
  std::string write(const std::string& rel, const std::string& text) {
    const fs::path p = fs::path(m_dir) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  pgl::Result<pgl::model::Config> load(std::vector<std::string> paths, std::optional<std::string> data = {},
                                       std::optional<int> version = {}) {
    pgl::model::LoadOptions o;
    o.paths = std::move(paths);
    o.data_dir = std::move(data);
    o.pg_version = version;
    return pgl::load::load_config(o);
  }
  std::string m_dir;
};

const pgl::model::CheckedEntry* checked(const pgl::model::Config& c, const std::string& name) {
  for (const auto& e : c.checked) {
    if (e.entry->name == name) {
      return &e;
    }
  }
  return nullptr;
}

}  // namespace

TEST_F(LoaderTest, ConfigurationDirectory) {
  write("postgresql.conf",
        "work_mem = 1MB\nWORK_MEM = 2MB\nfoo.bar = x\nnosuch = 1\nblock_size = 8192\n"
        "include 'extra.conf'\n");
  write("extra.conf", "sort_mem = 3MB\n");
  write("postgresql.auto.conf", "max_connections = '50'\n");
  write("pg_hba.conf", "local all all peer\n");
  write("pg_ident.conf", "");
  write("PG_VERSION", "15\n");
  auto c = load({m_dir});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->pg_version, 15);
  EXPECT_EQ(c->version_source, "PG_VERSION");
  EXPECT_EQ(c->config_dir, m_dir);
  EXPECT_EQ(c->data_dir, m_dir);
  ASSERT_TRUE(c->conf);
  ASSERT_EQ(c->checked.size(), 7u);
  EXPECT_EQ(c->checked[0].canonical_name, "work_mem");
  EXPECT_TRUE(c->checked[0].overridden);
  EXPECT_TRUE(c->checked[1].overridden);
  EXPECT_EQ(checked(*c, "foo.bar")->status, pgl::model::ConfEntryStatus::custom);
  EXPECT_EQ(checked(*c, "nosuch")->status, pgl::model::ConfEntryStatus::unknown);
  EXPECT_EQ(checked(*c, "nosuch")->message,
            "unrecognized configuration parameter \"nosuch\" in file \"" + m_dir + "/postgresql.conf\" line 4");
  EXPECT_EQ(checked(*c, "block_size")->status, pgl::model::ConfEntryStatus::internal);
  EXPECT_EQ(checked(*c, "block_size")->message, "parameter \"block_size\" cannot be changed");
  ASSERT_NE(c->setting("work_mem"), nullptr);
  EXPECT_EQ(c->setting("work_mem")->value, "3MB");  // sort_mem is an alias, included later
  EXPECT_EQ(c->setting("max_connections")->value, "50");
  EXPECT_TRUE(c->setting("max_connections")->entry->from_auto_conf);
  ASSERT_TRUE(c->hba);
  EXPECT_EQ(c->hba->path, m_dir + "/pg_hba.conf");
  ASSERT_TRUE(c->ident);
  EXPECT_NE(c->sources.find(m_dir + "/extra.conf"), nullptr);
}

TEST_F(LoaderTest, VersionOptionAndDefault) {
  write("postgresql.conf", "a.b = 1\n");
  auto d = load({m_dir});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->pg_version, 18);
  EXPECT_EQ(d->version_source, "default");
  auto o = load({m_dir}, {}, 13);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->pg_version, 13);
  EXPECT_EQ(o->version_source, "--pg-version");
  EXPECT_TRUE(o->notices.empty());
}

TEST_F(LoaderTest, PgVersionFileWinsOverTheOption) {
  write("postgresql.conf", "a.b = 1\n");
  write("PG_VERSION", "16\n");
  auto c = load({m_dir}, {}, 13);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->pg_version, 16);
  EXPECT_EQ(c->version_source, "PG_VERSION");
  ASSERT_EQ(c->notices.size(), 1u);
  EXPECT_NE(c->notices[0].find("PostgreSQL 13 was asked for"), std::string::npos) << c->notices[0];
  auto same = load({m_dir}, {}, 16);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->notices.empty());
}

TEST_F(LoaderTest, SingleFilesAreDetectedByName) {
  const auto conf = write("etc/my.conf", "ssl = on\n");
  const auto hba = write("etc/my_hba.rules", "local all all peer\n");
  const auto ident = write("etc/IDENT.txt", "");
  auto c = load({conf, hba, ident});
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->conf);
  EXPECT_EQ(c->conf->main_file, conf);
  ASSERT_TRUE(c->hba);
  EXPECT_EQ(c->hba->path, hba);
  ASSERT_TRUE(c->ident);
  EXPECT_EQ(c->ident->path, ident);
  auto only_hba = load({hba});
  ASSERT_TRUE(only_hba);
  EXPECT_FALSE(only_hba->conf);
  EXPECT_TRUE(only_hba->hba);
}

TEST_F(LoaderTest, DebianSplitLayoutWithDataDir) {
  write("etc/postgresql/15/main/postgresql.conf",
        "data_directory = '/var/lib/postgresql/15/main'\nhba_file = '/etc/postgresql/15/main/pg_hba.conf'\n");
  write("etc/postgresql/15/main/pg_hba.conf", "local all all peer\n");
  write("var/lib/postgresql/15/main/PG_VERSION", "15\n");
  write("var/lib/postgresql/15/main/postgresql.auto.conf", "work_mem = '4MB'\n");
  auto c = load({m_dir + "/etc/postgresql/15/main"}, m_dir + "/var/lib/postgresql/15/main");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->pg_version, 15);
  EXPECT_EQ(c->data_dir, m_dir + "/var/lib/postgresql/15/main");
  ASSERT_NE(c->setting("work_mem"), nullptr);
  EXPECT_EQ(c->setting("work_mem")->value, "4MB");
  // Without --data-dir, --root maps data_directory and hba_file into the tree.
  pgl::model::LoadOptions o;
  o.paths = {m_dir + "/etc/postgresql/15/main"};
  o.root = m_dir;
  auto r = pgl::load::load_config(o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->data_dir, m_dir + "/var/lib/postgresql/15/main");
  EXPECT_EQ(r->pg_version, 15);
  ASSERT_NE(r->setting("work_mem"), nullptr);
  ASSERT_TRUE(r->hba);
  EXPECT_EQ(r->hba->path, m_dir + "/etc/postgresql/15/main/pg_hba.conf");
}

TEST_F(LoaderTest, MissingPathAndEmptyDirectory) {
  auto m = load({m_dir + "/nope"});
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find(m_dir + "/nope"), std::string::npos);
  fs::create_directories(m_dir + "/empty");
  auto e = load({m_dir + "/empty"});
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find(m_dir + "/empty"), std::string::npos);
  EXPECT_NE(e.error().message.find("postgresql.conf"), std::string::npos);
}

TEST_F(LoaderTest, UnreadableFile) {
  const auto p = write("postgresql.conf", "a.b = 1\n");
  ::chmod(p.c_str(), 0);
  if (::geteuid() == 0) {
    // root reads anything: run the binary as the unprivileged postgres user instead.
    if (::access("/usr/sbin/runuser", X_OK) != 0 || std::system("id postgres >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "root without a postgres user to run as";
    }
    ::chmod(m_dir.c_str(), 0755);
    const std::string out = m_dir + "/out.txt";
    const std::string cmd =
        std::string("/usr/sbin/runuser -u postgres -- ") + PGL_BINARY + " dump conf " + p + " 2>" + out;
    const int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc));
    EXPECT_EQ(WEXITSTATUS(rc), 2);
    std::ifstream f(out);
    const std::string msg((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_NE(msg.find(p), std::string::npos) << msg;
    EXPECT_NE(msg.find("Permission denied"), std::string::npos) << msg;
    return;
  }
  auto c = load({p});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find(p), std::string::npos);
  EXPECT_NE(c.error().message.find("Permission denied"), std::string::npos);
}

TEST_F(LoaderTest, BinaryFile) {
  const auto p = write("postgresql.conf", std::string("\x7f"
                                                      "ELF\0\0\0",
                                                      7));
  auto c = load({p});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find(p), std::string::npos);
  EXPECT_NE(c.error().message.find("binary"), std::string::npos);
}

TEST_F(LoaderTest, HugeFileIsRefusedWithoutReadingIt) {
  const auto p = write("postgresql.conf", "");
  ASSERT_EQ(::truncate(p.c_str(), 100LL * 1024 * 1024), 0);  // sparse 100 MB
  auto c = load({p});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find(p), std::string::npos);
  EXPECT_NE(c.error().message.find("too large"), std::string::npos);
}

TEST_F(LoaderTest, IncludeCycleAndSymlinkLoopTerminate) {
  write("postgresql.conf", "include 'a.conf'\ninclude 'loop.conf'\n");
  write("a.conf", "include 'postgresql.conf'\n");
  fs::create_symlink(m_dir + "/loop.conf", m_dir + "/loop.conf");
  auto c = load({m_dir});
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->conf->has_fatal_problem());
  bool saw_depth = false;
  bool saw_loop = false;
  for (const auto& i : c->conf->items) {
    if (i.problem && i.problem->kind == pgl::model::ConfProblemKind::depth_exceeded) {
      saw_depth = true;
    }
    if (i.problem && i.problem->log_message.find(m_dir + "/loop.conf") != std::string::npos) {
      saw_loop = true;
    }
  }
  EXPECT_TRUE(saw_depth);
  EXPECT_TRUE(saw_loop);
  EXPECT_FALSE(c->load_diagnostics.empty());
  auto direct = load({m_dir + "/loop.conf"});
  ASSERT_FALSE(direct);
  EXPECT_NE(direct.error().message.find("loop.conf"), std::string::npos);
}

TEST_F(LoaderTest, ReadTextFileRefusesDevicesAndDirectories) {
  auto dev = pgl::load::read_text_file("/dev/zero");
  ASSERT_FALSE(dev);
  EXPECT_NE(dev.error().message.find("/dev/zero"), std::string::npos);
  auto dir = pgl::load::read_text_file(m_dir);
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message.find("is a directory"), std::string::npos);
  ASSERT_EQ(::mkfifo((m_dir + "/fifo").c_str(), 0600), 0);
  auto fifo = pgl::load::read_text_file(m_dir + "/fifo");
  ASSERT_FALSE(fifo);
  auto ok = pgl::load::read_text_file(write("x.conf", "a = 1\n"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "a = 1\n");
}
