#include "lint/project_config.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace {

using namespace pgl::lint;
namespace fs = std::filesystem;

const std::vector<std::string_view> k_known{"hba-md5", "hba-trust-over-network", "lint-unused-suppression"};

pgl::Result<ProjectConfig> parse(std::string_view text) {
  return parse_project_config(text, "/p/.pgconflint.toml", k_known);
}

TEST(ProjectConfig, FullFile) {
  auto cfg = parse(R"(
pg_version = 16
profile = "strict"
fail_on = "error"
enable = ["hba-md5"]
disable = ["lint-unused-suppression"]
expiry_days = 14
hosts = ["db.example.com", "db2.example.com"]
server_user = "pg"
repo = true

[severity]
"hba-md5" = "error"

[rules."hba-trust-over-network"]
trusted_networks = ["10.0.0.0/8", "192.168.0.0/16"]
max = 3
strict = true

[diff]
ignore = ["port", "listen_addresses"]
)");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().message;
  EXPECT_EQ(cfg->pg_version, 16);
  EXPECT_EQ(cfg->profile, Profile::strict);
  EXPECT_EQ(cfg->fail_on, FailOn::error);
  EXPECT_EQ(cfg->enable, std::vector<std::string>{"hba-md5"});
  EXPECT_EQ(cfg->disable, std::vector<std::string>{"lint-unused-suppression"});
  EXPECT_EQ(cfg->expiry_days, 14);
  EXPECT_EQ(cfg->hosts, (std::vector<std::string>{"db.example.com", "db2.example.com"}));
  EXPECT_EQ(cfg->server_user, "pg");
  EXPECT_EQ(cfg->repo, true);
  EXPECT_EQ(cfg->severity.at("hba-md5"), pgl::core::Severity::error);
  EXPECT_EQ(cfg->options.at("hba-trust-over-network.trusted_networks"),
            (std::vector<std::string>{"10.0.0.0/8", "192.168.0.0/16"}));
  EXPECT_EQ(cfg->options.at("hba-trust-over-network.max"), std::vector<std::string>{"3"});
  EXPECT_EQ(cfg->options.at("hba-trust-over-network.strict"), std::vector<std::string>{"true"});
  EXPECT_EQ(cfg->diff_ignore, (std::vector<std::string>{"port", "listen_addresses"}));
  EXPECT_TRUE(cfg->diff.at("ignore").is_array);
  EXPECT_EQ(cfg->diff.at("ignore").line, 21U);
}

TEST(ProjectConfig, EmptyFileIsValid) {
  auto cfg = parse("");
  ASSERT_TRUE(cfg.has_value());
  EXPECT_FALSE(cfg->profile.has_value());
}

struct BadCase {
  const char* text;
  const char* message;  // expected substring, including the line
};

class ProjectConfigBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(ProjectConfigBad, ErrorNamesFileAndLine) {
  auto cfg = parse(GetParam().text);
  ASSERT_FALSE(cfg.has_value());
  EXPECT_NE(cfg.error().message.find(GetParam().message), std::string::npos) << cfg.error().message;
  EXPECT_EQ(cfg.error().message.rfind("/p/.pgconflint.toml:", 0), 0U) << cfg.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ProjectConfigBad,
    ::testing::Values(BadCase{"profile = \"strict\"\nfail_on = \n", ":2:"},  // syntax error
                      BadCase{"pg_version = 16\ncolour = \"always\"\n", ":2: unknown key 'colour'"},
                      BadCase{"pg_version = \"16\"\n", ":1: 'pg_version' must be an integer"},
                      BadCase{"pg_version = 9\n", ":1: 'pg_version' must be between 12 and 18"},
                      BadCase{"profile = \"paranoid\"\n", ":1: unknown profile 'paranoid'"},
                      BadCase{"fail_on = \"warn\"\n", ":1: unknown fail_on 'warn'"},
                      BadCase{"\nenable = [\"hba-md4\"]\n", ":2: unknown rule id 'hba-md4' (did you mean 'hba-md5'?)"},
                      BadCase{"disable = \"hba-md5\"\n", ":1: 'disable' must be an array of strings"},
                      BadCase{"hosts = [1]\n", ":1: 'hosts' must be an array of strings"},
                      BadCase{"[severity]\n\"hba-md5\" = \"fatal\"\n", ":2: unknown severity 'fatal'"},
                      BadCase{"[severity]\n\"hba-nope\" = \"error\"\n", ":2: unknown rule id 'hba-nope'"},
                      BadCase{"[rules.\"hba-nope\"]\nx = 1\n", ":1: unknown rule id 'hba-nope'"},
                      BadCase{"[rules.\"hba-md5\"]\nx = {a = 1}\n", ":2: 'x' must be a string"},
                      BadCase{"[diff]\nignore = \"port\"\n", ":2: 'diff.ignore' must be an array"},
                      BadCase{"expiry_days = -1\n", ":1: 'expiry_days' must be between"},
                      BadCase{"repo = \"yes\"\n", ":1: 'repo' must be true or false"}));

TEST(ProjectConfig, FindWalksUp) {
  const fs::path base = fs::temp_directory_path() / ("pgl-projcfg-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "a" / "b");
  std::ofstream(base / ".pgconflint.toml") << "profile = \"cis\"\n";
  std::ofstream(base / "a" / "b" / "postgresql.conf") << "\n";
  EXPECT_EQ(find_project_config((base / "a" / "b").string()), (base / ".pgconflint.toml").string());
  EXPECT_EQ(find_project_config((base / "a" / "b" / "postgresql.conf").string()), (base / ".pgconflint.toml").string());
  std::ofstream(base / "a" / ".pgconflint.toml") << "bogus = 1\n";
  EXPECT_EQ(find_project_config((base / "a" / "b").string()), (base / "a" / ".pgconflint.toml").string());
  auto loaded = load_project_config((base / "a" / ".pgconflint.toml").string());
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().message.find("a/.pgconflint.toml:1: unknown key 'bogus'"), std::string::npos);
  auto good = load_project_config((base / ".pgconflint.toml").string());
  ASSERT_TRUE(good.has_value()) << good.error().message;
  EXPECT_EQ(good->profile, Profile::cis);
  EXPECT_FALSE(load_project_config((base / "missing.toml").string()).has_value());
  fs::remove_all(base);
}

}  // namespace
