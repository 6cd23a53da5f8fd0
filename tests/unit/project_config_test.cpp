#include "lint/project_config.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

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
trusted_networks = ["10.0.0.0/8", "192.168.0.1/16", "::1"]

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
  const auto& nets = cfg->options.at("hba-trust-over-network.trusted_networks").networks;
  ASSERT_EQ(nets.size(), 3U);
  EXPECT_EQ(nets[0].to_string(), "10.0.0.0/8");
  EXPECT_EQ(nets[1].prefix, 16);  // as written (host bits kept, as on a pg_hba.conf line)
  EXPECT_EQ(nets[1].bytes[3], 1);
  EXPECT_EQ(nets[2].family, 6);
  EXPECT_EQ(nets[2].prefix, 128);  // a bare address is one host
  EXPECT_EQ(cfg->diff_ignore, (std::vector<std::string>{"port", "listen_addresses"}));
  EXPECT_TRUE(cfg->diff.at("ignore").is_array);
  EXPECT_EQ(cfg->diff.at("ignore").line, 19U);
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
    ::testing::Values(
        BadCase{"profile = \"strict\"\nfail_on = \n", ":2:"},  // syntax error
        BadCase{"pg_version = 16\ncolour = \"always\"\n", ":2:1: unknown key 'colour'"},
        BadCase{"pg_version = \"16\"\n", ":1:14: 'pg_version' must be an integer"},
        BadCase{"pg_version = 9\n", ":1:14: 'pg_version' must be between 12 and 18"},
        BadCase{"profile = \"paranoid\"\n", ":1:11: unknown profile 'paranoid'"},
        BadCase{"fail_on = \"warn\"\n", ":1:11: unknown fail_on 'warn'"},
        BadCase{"\nenable = [\"hba-md4\"]\n", ":2:11: unknown rule id 'hba-md4' (did you mean 'hba-md5'?)"},
        BadCase{"disable = \"hba-md5\"\n", ":1:11: 'disable' must be an array of rule ids"},
        BadCase{"hosts = [1]\n", ":1:10: 'hosts' must be an array of strings"},
        BadCase{"[severity]\n\"hba-md5\" = \"fatal\"\n", ":2:13: unknown severity 'fatal'"},
        BadCase{"[severity]\n\"hba-nope\" = \"error\"\n", ":2:1: unknown rule id 'hba-nope'"},
        BadCase{"[rules.\"hba-nope\"]\nx = 1\n", ":1:8: unknown rule id 'hba-nope'"},
        BadCase{"[rules.\"hba-md5\"]\nx = {a = 1}\n", ":2:1: unknown option 'x': rule hba-md5 has no options"},
        BadCase{"[rules.\"hba-trust-over-network\"]\ntrusted_network = [\"10.0.0.0/8\"]\n",
                ":2:1: unknown option 'trusted_network' of rule hba-trust-over-network (did you mean "
                "'trusted_networks'?)"},
        BadCase{"[rules.\"hba-trust-over-network\"]\ntrusted_networks = [\"10.0.0.0/33\"]\n",
                ":2:21: 'hba-trust-over-network.trusted_networks': invalid CIDR mask in address "
                "\"10.0.0.0/33\""},
        BadCase{"[rules.\"hba-trust-over-network\"]\ntrusted_networks = \"10.0.0.0/8\"\n",
                ":2:20: 'hba-trust-over-network.trusted_networks' must be an array of CIDRs"},
        BadCase{"[diff]\nignore = \"port\"\n", ":2:10: 'diff.ignore' must be an array"},
        BadCase{"[diff]\nignor = [\"port\"]\n", ":2:1: unknown key 'diff.ignor' (did you mean 'diff.ignore'?)"},
        BadCase{"expiry_days = -1\n", ":1:15: 'expiry_days' must be between"},
        BadCase{"repo = \"yes\"\n", ":1:8: 'repo' must be true or false"}));

// A rule with one option of each type.
constexpr std::string_view k_modes[] = {"fast", "careful"};
constexpr RuleOption k_all_types[] = {
    {"name", OptionType::string, "a string"},
    {"roles", OptionType::string_list, "strings"},
    {"days", OptionType::integer, "an integer", "30", 1, 365},
    {"strict", OptionType::boolean, "a boolean"},
    {"networks", OptionType::network_list, "CIDRs"},
    {"mode", OptionType::choice, "a choice", "fast", 0, 0, k_modes},
};
const std::vector<RuleMeta> k_rules{
    RuleMeta{.id = "x-typed", .summary = "", .default_severity = pgl::core::Severity::note, .options = k_all_types},
    RuleMeta{.id = "x-plain", .summary = "", .default_severity = pgl::core::Severity::note}};

pgl::Result<ProjectConfig> parse_typed(std::string_view text) {
  return parse_project_config(text, "/p/.pgconflint.toml", k_rules);
}

TEST(ProjectConfigOptions, EveryTypeValidated) {
  auto cfg = parse_typed(R"([rules."x-typed"]
name = "n"
roles = ["a", "b"]
days = 365
strict = false
networks = ["10.1.0.0/16", "fe80::/10", "192.168.1.7"]
mode = "careful"
)");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().message;
  EXPECT_EQ(cfg->options.at("x-typed.name").strings, std::vector<std::string>{"n"});
  EXPECT_EQ(cfg->options.at("x-typed.roles").strings, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(cfg->options.at("x-typed.days").integer, 365);
  EXPECT_FALSE(cfg->options.at("x-typed.strict").boolean);
  ASSERT_EQ(cfg->options.at("x-typed.networks").networks.size(), 3U);
  EXPECT_EQ(cfg->options.at("x-typed.networks").networks[1].to_string(), "fe80::/10");
  EXPECT_EQ(cfg->options.at("x-typed.networks").networks[2].prefix, 32);
  EXPECT_EQ(cfg->options.at("x-typed.mode").strings, std::vector<std::string>{"careful"});
}

TEST(ProjectConfigOptions, AllErrorsAtOnceInFileOrder) {
  auto cfg = parse_typed(R"(profil = "strict"
[rules."x-typed"]
name = 1
roles = ["a", 2]
days = 366
strict = "yes"
networks = ["10.0.0.0/8", "10.0.0.0/33", "db.example.com", "300.1.1.1/8", "10.0.0.0/8x", 7]
mode = "carefull"
colour = "red"
[rules."x-plain"]
anything = 1
[rules."x-typo"]
[severity]
"x-plain" = "fatal"
"x-plian" = "error"
)");
  ASSERT_FALSE(cfg.has_value());
  const std::string& m = cfg.error().message;
  const std::string not_ip = " is not an IP address (host names are not networks)";
  const std::string its_options = " (its options: name, roles, days, strict, networks, mode)";
  const std::vector<std::string> expected{
      "/p/.pgconflint.toml: 16 errors",
      "/p/.pgconflint.toml:1:1: unknown key 'profil' (did you mean 'profile'?)",
      "/p/.pgconflint.toml:3:8: 'x-typed.name' must be a string",
      "/p/.pgconflint.toml:4:15: 'x-typed.roles' must be an array of strings",
      "/p/.pgconflint.toml:5:8: 'x-typed.days' must be between 1 and 365 (is 366)",
      "/p/.pgconflint.toml:6:10: 'x-typed.strict' must be true or false",
      "/p/.pgconflint.toml:7:27: 'x-typed.networks': invalid CIDR mask in address \"10.0.0.0/33\"",
      "/p/.pgconflint.toml:7:42: 'x-typed.networks': \"db.example.com\"" + not_ip,
      "/p/.pgconflint.toml:7:60: 'x-typed.networks': \"300.1.1.1\"" + not_ip,
      "/p/.pgconflint.toml:7:75: 'x-typed.networks': invalid CIDR mask in address \"10.0.0.0/8x\"",
      "/p/.pgconflint.toml:7:90: 'x-typed.networks' must be an array of CIDRs (e.g. [\"10.0.0.0/8\"])",
      "/p/.pgconflint.toml:8:8: 'x-typed.mode' must be one of fast, careful (is 'carefull'): did you mean 'careful'?",
      "/p/.pgconflint.toml:9:1: unknown option 'colour' of rule x-typed" + its_options,
      "/p/.pgconflint.toml:11:1: unknown option 'anything': rule x-plain has no options",
      "/p/.pgconflint.toml:12:8: unknown rule id 'x-typo' (did you mean 'x-typed'?)",
      "/p/.pgconflint.toml:14:13: unknown severity 'fatal' for 'x-plain' (expected error, warning or note)",
      "/p/.pgconflint.toml:15:1: unknown rule id 'x-plian' (did you mean 'x-plain'?)",
  };
  std::vector<std::string> got;
  std::istringstream lines(m);
  for (std::string line; std::getline(lines, line);) {
    got.push_back(line);
  }
  EXPECT_EQ(got, expected) << m;
}

struct Probe final : pgl::lint::Rule {
  static constexpr RuleOption k_declared[] = {{"networks", OptionType::network_list, "CIDRs"}};
  static constexpr RuleMeta k_meta{
      .id = "x-probe", .summary = "", .default_severity = pgl::core::Severity::note, .options = k_declared};
  [[nodiscard]] const RuleMeta& meta() const override { return k_meta; }
  void check(const pgl::model::Config& /*config*/, LintContext& /*ctx*/) const override {}
  using Rule::option_bool;
  using Rule::option_networks;
  using Rule::option_strings;
};

TEST(ProjectConfigOptions, RuleReadsOnlyDeclaredOptions) {
  const Probe probe;
  LintContext ctx;
  EXPECT_TRUE(probe.option_networks(ctx, Probe::k_declared[0]).empty());  // unset
  auto cfg = parse_project_config("[rules.\"x-probe\"]\nnetworks = [\"10.0.0.0/8\"]\n", "t.toml",
                                  std::vector<RuleMeta>{Probe::k_meta});
  ASSERT_TRUE(cfg.has_value()) << cfg.error().message;
  ctx.options = cfg->options;
  ASSERT_EQ(probe.option_networks(ctx, Probe::k_declared[0]).size(), 1U);
  constexpr RuleOption undeclared{"other", OptionType::boolean, ""};
  EXPECT_THROW((void)probe.option_bool(ctx, undeclared), std::logic_error);
  constexpr RuleOption retyped{"networks", OptionType::string_list, ""};  // declared name, other type
  EXPECT_THROW((void)probe.option_strings(ctx, retyped), std::logic_error);
}

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
  EXPECT_NE(loaded.error().message.find("a/.pgconflint.toml:1:1: unknown key 'bogus'"), std::string::npos);
  auto good = load_project_config((base / ".pgconflint.toml").string());
  ASSERT_TRUE(good.has_value()) << good.error().message;
  EXPECT_EQ(good->profile, Profile::cis);
  EXPECT_FALSE(load_project_config((base / "missing.toml").string()).has_value());
  fs::remove_all(base);
}

}  // namespace
