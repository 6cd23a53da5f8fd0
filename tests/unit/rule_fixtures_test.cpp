// Rule fixture driver and rule meta-tests.
//
// One TEST_P over every case directory rules/<area>/<id>.fixtures/<case>/ (format in
// docs/writing-rules.md): the case is loaded with load::load_config, only the rule under test
// runs, and every expectation (inline `# expect:` comments, expected.txt) must match exactly
// one finding, with no other finding of that rule.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/toml.hpp"
#include "lint/engine.hpp"
#include "lint/project_config.hpp"
#include "load/loader.hpp"
#include "rules/registry.hpp"

namespace {

namespace fs = std::filesystem;
using pgl::core::Diagnostic;

const fs::path k_rules_dir = fs::path(PGL_SOURCE_DIR) / "rules";
constexpr std::string_view k_default_now = "2026-01-01T00:00:00Z";

struct FixtureCase {
  std::string rule;  // rule under test
  fs::path dir;      // case directory
  std::string name;  // test name
};

void PrintTo(const FixtureCase& c, std::ostream* os) {
  *os << c.dir.string();
}

std::string sanitize(std::string_view s) {
  std::string out;
  for (char c : s) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_');
  }
  return out;
}

std::vector<FixtureCase> discover_cases() {
  std::vector<FixtureCase> out;
  std::error_code ec;
  if (!fs::is_directory(k_rules_dir, ec)) {
    return out;
  }
  for (const auto& area : fs::directory_iterator(k_rules_dir, ec)) {
    if (!area.is_directory()) {
      continue;
    }
    if (area.path().filename() == "drift") {
      continue;  // multi-node cases (primary/, replica1/, ...): run by tests/unit/diff_test.cpp
    }
    for (const auto& entry : fs::directory_iterator(area.path(), ec)) {
      const std::string name = entry.path().filename().string();
      constexpr std::string_view suffix = ".fixtures";
      if (!entry.is_directory() || name.size() <= suffix.size() || !name.ends_with(suffix)) {
        continue;
      }
      const std::string rule = name.substr(0, name.size() - suffix.size());
      for (const auto& c : fs::directory_iterator(entry.path(), ec)) {
        if (c.is_directory()) {
          out.push_back({rule, c.path(), sanitize(rule + "__" + c.path().filename().string())});
        }
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string canonical(const std::string& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? p : c.string();
}

struct Expectation {
  std::string file;   // canonical path
  std::string shown;  // as written, for messages
  std::uint32_t line = 0;
  std::optional<std::uint32_t> column;
  std::string severity;
  std::string rule;
  std::string substring;
  std::string origin;  // where the expectation was written
};

const std::regex k_expect_re(R"(#\s*expect(?:@(\d+))?:\s*(note|warning|error)\s+\[([A-Za-z0-9_-]+)\]\s*(.*?)\s*$)");
const std::regex k_expected_txt_re(
    R"(^(.+?):(\d+)(?::(\d+))?:\s*(note|warning|error)\s+\[([A-Za-z0-9_-]+)\]\s*(.*?)\s*$)");

bool is_expect_line(std::string_view line) {
  const auto pos = line.find_first_not_of(" \t");
  return pos != std::string_view::npos && std::regex_search(std::string(line.substr(pos)), k_expect_re) &&
         line[pos] == '#';
}

void collect_inline(const fs::path& file, const fs::path& case_dir, std::vector<Expectation>& out) {
  const std::string text = read_file(file);
  std::vector<std::string> lines;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) {
    if (!l.empty() && l.back() == '\r') {
      l.pop_back();
    }
    lines.push_back(l);
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_search(lines[i], m, k_expect_re)) {
      continue;
    }
    Expectation e;
    e.file = canonical(file.string());
    e.shown = fs::relative(file, case_dir).string();
    e.origin = fmt::format("{}:{}", e.shown, i + 1);
    if (m[1].matched) {
      e.column = static_cast<std::uint32_t>(std::stoul(m[1].str()));
    }
    e.severity = m[2].str();
    e.rule = m[3].str();
    e.substring = m[4].str();
    if (is_expect_line(lines[i])) {
      // The nearest preceding line that is not an expect comment.
      std::size_t j = i;
      while (j > 0 && is_expect_line(lines[j - 1])) {
        --j;
      }
      e.line = static_cast<std::uint32_t>(j);  // 1-based number of line j-1
    } else {
      e.line = static_cast<std::uint32_t>(i + 1);  // trailing comment: its own line
    }
    out.push_back(std::move(e));
  }
}

struct CaseSetup {
  pgl::model::LoadOptions load;
  pgl::lint::LintContext ctx;
  pgl::lint::Profile profile = pgl::lint::Profile::default_;
};

// A case.toml value as strings: a string, integer or boolean, or an array of them.
std::optional<std::string> case_scalar(const toml::node& n) {
  if (auto str = n.value<std::string>()) {
    return *str;
  }
  if (auto i = n.value<long long>()) {
    return std::to_string(*i);
  }
  if (auto b = n.value<bool>()) {
    return std::string(*b ? "true" : "false");
  }
  return std::nullopt;
}

std::vector<std::string> case_strings(const toml::node& n) {
  std::vector<std::string> v;
  if (const auto* arr = n.as_array()) {
    for (const auto& x : *arr) {
      if (auto str = case_scalar(x)) {
        v.push_back(*str);
      }
    }
  } else if (auto str = case_scalar(n)) {
    v.push_back(*str);
  }
  return v;
}

// case.toml's options table: "<rule-id>.<option>" = value.
void read_case_options(const toml::node& node, const fs::path& path, CaseSetup& s) {
  // "<rule-id>.<option>" = value, validated as [rules."<rule-id>"] of .pgconflint.toml.
  toml::table rules;
  if (const auto* opts = node.as_table()) {
    for (const auto& [ok, ov] : *opts) {
      const std::string full(ok.str());
      const std::size_t dot = full.find('.');
      const std::string id = full.substr(0, dot);
      if (rules.get(id) == nullptr) {
        rules.insert(id, toml::table{});
      }
      rules.get(id)->as_table()->insert_or_assign(full.substr(dot + 1), ov);
    }
  }
  toml::table root;
  root.insert("rules", std::move(rules));
  std::ostringstream text;
  text << root;
  auto project = pgl::lint::parse_project_config(text.str(), path.string());
  if (project) {
    s.ctx.options = project->options;
  } else {
    ADD_FAILURE() << project.error().message;
  }
}

// Reads case.toml (all keys optional). Fails the test on unknown keys.
CaseSetup read_case_toml(const fs::path& dir) {
  CaseSetup s;
  s.load.paths = {dir.string()};
  s.ctx.now = *pgl::lint::parse_timestamp(k_default_now);
  const fs::path path = dir / "case.toml";
  if (!fs::exists(path)) {
    return s;
  }
  toml::table t;
  try {
    t = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    ADD_FAILURE() << path << ": " << e.description();
    return s;
  }
  for (const auto& [k, node] : t) {
    const std::string key(k.str());
    if (key == "pg_version") {
      s.load.pg_version = static_cast<int>(node.value<long long>().value_or(18));
    } else if (key == "now") {
      auto now = pgl::lint::parse_timestamp(node.value<std::string>().value_or(""));
      EXPECT_TRUE(now.has_value()) << path << ": bad now";
      s.ctx.now = now.value_or(s.ctx.now);
    } else if (key == "expiry_days") {
      s.ctx.expiry_days = static_cast<int>(node.value<long long>().value_or(30));
    } else if (key == "repo") {
      s.ctx.repo = node.value<bool>().value_or(false);
      s.load.repo = s.ctx.repo;
    } else if (key == "server_user") {
      s.ctx.server_user = node.value<std::string>();
    } else if (key == "expect_hosts") {
      s.ctx.expect_hosts = case_strings(node);
    } else if (key == "ca") {
      for (const auto& ca : case_strings(node)) {
        s.ctx.extra_ca_files.push_back((dir / ca).lexically_normal().string());
      }
    } else if (key == "data_dir") {
      s.load.data_dir = (dir / node.value<std::string>().value_or(".")).lexically_normal().string();
    } else if (key == "root") {
      s.load.root = (dir / node.value<std::string>().value_or(".")).lexically_normal().string();
    } else if (key == "profile") {
      auto p = pgl::lint::profile_from_string(node.value<std::string>().value_or(""));
      EXPECT_TRUE(p.has_value()) << path << ": bad profile";
      s.profile = p.value_or(pgl::lint::Profile::default_);
    } else if (key == "options") {
      read_case_options(node, path, s);
    } else {
      ADD_FAILURE() << path << ": unknown key '" << key << "'";
    }
  }
  return s;
}

std::vector<Expectation> read_expectations(const fs::path& dir) {
  std::vector<Expectation> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    const std::string name = entry.path().filename().string();
    if (name == "case.toml" || name == "expected.txt") {
      continue;
    }
    const std::string text = read_file(entry.path());
    if (text.find('\0') != std::string::npos || text.find("expect") == std::string::npos) {
      continue;
    }
    collect_inline(entry.path(), dir, out);
  }
  const fs::path expected = dir / "expected.txt";
  if (fs::exists(expected)) {
    std::stringstream ss(read_file(expected));
    int n = 0;
    for (std::string l; std::getline(ss, l);) {
      ++n;
      if (l.find_first_not_of(" \t\r") == std::string::npos || l[l.find_first_not_of(" \t")] == '#') {
        continue;
      }
      std::smatch m;
      if (!std::regex_match(l, m, k_expected_txt_re)) {
        ADD_FAILURE() << expected << ":" << n << ": cannot parse expectation: " << l;
        continue;
      }
      Expectation e;
      e.shown = m[1].str();
      e.file = canonical((dir / e.shown).string());
      e.line = static_cast<std::uint32_t>(std::stoul(m[2].str()));
      if (m[3].matched) {
        e.column = static_cast<std::uint32_t>(std::stoul(m[3].str()));
      }
      e.severity = m[4].str();
      e.rule = m[5].str();
      e.substring = m[6].str();
      e.origin = fmt::format("expected.txt:{}", n);
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::string describe(const Diagnostic& d) {
  return fmt::format("{}:{}:{}: {} [{}] {}", d.span.begin.file, d.span.begin.line, d.span.begin.column,
                     pgl::core::to_string(d.severity), d.rule, d.message);
}

bool matches(const Expectation& e, const Diagnostic& d) {
  return e.rule == d.rule && e.severity == pgl::core::to_string(d.severity) && e.line == d.span.begin.line &&
         (!e.column || *e.column == d.span.begin.column) && d.message.find(e.substring) != std::string::npos &&
         e.file == canonical(d.span.begin.file);
}

// Runs only `rule` over the case; lint-unused-suppression needs the other rules' results,
// so for it every rule of the selected profile runs and only its own findings are kept.
std::vector<Diagnostic> run_case(const std::string& rule, const CaseSetup& setup, std::string& error) {
  auto config = pgl::load::load_config(setup.load);
  if (!config) {
    error = "load_config failed: " + config.error().message;
    return {};
  }
  pgl::lint::EngineOptions options;
  options.profile = setup.profile;
  if (rule != pgl::lint::k_unused_suppression_id) {
    options.only = std::vector<std::string>{rule};
  }
  auto selection = pgl::lint::select_rules(options);
  if (!selection) {
    error = selection.error().message;
    return {};
  }
  pgl::lint::LintContext ctx = setup.ctx;
  auto found = pgl::lint::run(*config, ctx, *selection);
  std::erase_if(found, [&](const Diagnostic& d) { return d.rule != rule; });
  return found;
}

class RuleFixture : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(RuleFixture, Matches) {
  const auto& c = GetParam();
  ASSERT_NE(pgl::lint::find_rule(c.rule), nullptr) << "fixture directory for unknown rule " << c.rule;
  const CaseSetup setup = read_case_toml(c.dir);
  const auto expectations = read_expectations(c.dir);
  std::string error;
  const auto found = run_case(c.rule, setup, error);
  ASSERT_TRUE(error.empty()) << c.dir << ": " << error;

  std::vector<int> hits(found.size(), 0);
  for (const auto& e : expectations) {
    EXPECT_EQ(e.rule, c.rule) << e.origin << ": expectation for another rule than " << c.rule;
    std::vector<std::size_t> matched;
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (matches(e, found[i])) {
        matched.push_back(i);
        ++hits[i];
      }
    }
    if (matched.size() != 1) {
      std::string all;
      for (const auto& d : found) {
        all += "\n  " + describe(d);
      }
      ADD_FAILURE() << c.dir.string() << ": expectation " << e.origin << " (" << e.shown << ":" << e.line
                    << (e.column ? ":" + std::to_string(*e.column) : std::string()) << " " << e.severity << " ["
                    << e.rule << "] " << e.substring << ") matched " << matched.size()
                    << " findings; findings:" << (all.empty() ? " none" : all);
    }
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_GT(hits[i], 0) << c.dir.string() << ": unexpected finding " << describe(found[i]);
    // Every finding states the problem and the fix, at a real location.
    EXPECT_FALSE(found[i].message.empty()) << c.dir.string() << ": finding without message " << describe(found[i]);
    EXPECT_FALSE(found[i].help.empty()) << c.dir.string() << ": finding without help " << describe(found[i]);
    EXPECT_FALSE(found[i].span.begin.file.empty()) << c.dir.string() << ": finding without file " << describe(found[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleFixture, ::testing::ValuesIn(discover_cases()),
                         [](const ::testing::TestParamInfo<FixtureCase>& info) { return info.param.name; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RuleFixture);

// --- meta-tests ---

struct Area {
  std::string name;
  void (*add)(pgl::rules::RuleList&);
  std::vector<std::string> prefixes;  // id prefixes allowed in this area
  // Rules that need a running server have no fixture directories: their cases are in this
  // script of tests/scripts (run by ctest against a live PostgreSQL), which must hold a
  // firing and a silent case per rule (see docs/writing-rules.md).
  std::string live_tests;
};

const std::vector<Area>& areas() {
  static const std::vector<Area> k_areas{
      {"conf", pgl::rules::add_conf_rules, {"conf", "syntax"}},
      {"drift", pgl::rules::add_drift_rules, {"drift"}},
      {"hba", pgl::rules::add_hba_rules, {"hba", "ident", "syntax"}},
      {"lint", pgl::rules::add_lint_rules, {"lint"}},
      {"probe", pgl::rules::add_probe_rules, {"probe"}, "tests/scripts/test_probe.py"},
      {"repl", pgl::rules::add_repl_rules, {"repl"}},
      {"ssl", pgl::rules::add_ssl_rules, {"ssl"}},
  };
  return k_areas;
}

TEST(RuleMeta, IdsUnique) {
  std::set<std::string_view> seen;
  for (const auto& r : pgl::lint::registry()) {
    EXPECT_TRUE(seen.insert(r->meta().id).second) << "duplicate rule id " << r->meta().id;
  }
  EXPECT_FALSE(seen.empty());
}

TEST(RuleMeta, EachAreaRegistersSortedWellNamedIds) {
  const std::regex kebab("^[a-z][a-z0-9]*(-[a-z0-9]+)+$");
  for (const auto& area : areas()) {
    pgl::rules::RuleList list;
    area.add(list);
    std::vector<std::string> ids;
    for (const auto& r : list) {
      const std::string id(r->meta().id);
      ids.push_back(id);
      EXPECT_TRUE(std::regex_match(id, kebab)) << id << ": ids are <area>-<kebab-case>";
      const std::string prefix = id.substr(0, id.find('-'));
      EXPECT_NE(std::find(area.prefixes.begin(), area.prefixes.end(), prefix), area.prefixes.end())
          << id << " registered in rules/" << area.name << "/registry_" << area.name << ".cpp";
      EXPECT_FALSE(r->meta().summary.empty()) << id << ": empty summary";
    }
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()))
        << "rules/" << area.name << "/registry_" << area.name << ".cpp must list its rules sorted by id";
  }
}

TEST(RuleMeta, EachRuleHasADocPageWithTheRequiredHeadings) {
  const std::vector<std::string> headings{"What it does", "Why is this bad",   "Example",   "Use instead",
                                          "Options",      "Known limitations", "References"};
  for (const auto& area : areas()) {
    pgl::rules::RuleList list;
    area.add(list);
    for (const auto& r : list) {
      const std::string id(r->meta().id);
      const fs::path page = k_rules_dir / area.name / (id + ".md");
      ASSERT_TRUE(fs::exists(page)) << "missing doc page " << page;
      const auto doc = pgl::lint::rule_doc(id);
      ASSERT_TRUE(doc.has_value()) << id << ": doc page not embedded (re-run cmake)";
      std::size_t last = 0;
      for (const auto& h : headings) {
        const auto pos = doc->find("\n## " + h);
        EXPECT_NE(pos, std::string_view::npos) << page << ": missing section '## " << h << "'";
        if (pos != std::string_view::npos) {
          EXPECT_GT(pos, last) << page << ": section '" << h << "' out of order";
          last = pos;
        }
      }
    }
  }
}

// The declarations (RuleMeta::options) are the options; the page says the same: every
// declared option is named in its "## Options" section with its type and the
// [rules."<id>"] table it goes in, and a rule that declares none does not describe one there.
TEST(RuleMeta, DocPageListsTheDeclaredOptions) {
  std::size_t declared = 0;
  for (const auto& r : pgl::lint::registry()) {
    const auto& m = r->meta();
    const auto doc = pgl::lint::rule_doc(m.id);
    ASSERT_TRUE(doc.has_value()) << m.id;
    const auto begin = doc->find("\n## Options");
    ASSERT_NE(begin, std::string_view::npos) << m.id;
    const auto end = doc->find("\n## ", begin + 1);
    const std::string_view section = doc->substr(begin, end - begin);
    if (m.options.empty()) {
      EXPECT_EQ(section.find("[rules."), std::string_view::npos)
          << m.id << ": page shows options the rule does not declare";
      continue;
    }
    EXPECT_NE(section.find(fmt::format("[rules.\"{}\"]", m.id)), std::string_view::npos)
        << m.id << ": the Options section shows the [rules.\"" << m.id << "\"] table";
    for (const auto& o : m.options) {
      ++declared;
      EXPECT_FALSE(o.summary.empty()) << m.id << "." << o.name;
      const auto at = section.find(fmt::format("`{}` ({}", o.name, pgl::lint::option_type_name(o.type)));
      EXPECT_NE(at, std::string_view::npos)
          << m.id << ": the Options section names `" << o.name << "` (" << pgl::lint::option_type_name(o.type) << ")";
    }
  }
  EXPECT_GE(declared, 2U);  // hba-trust-over-network, hba-superuser-from-network
}

TEST(RuleMeta, EachRuleHasFiringAndSilentFixtures) {
  for (const auto& area : areas()) {
    pgl::rules::RuleList list;
    area.add(list);
    if (!area.live_tests.empty()) {
      continue;  // LiveRulesHaveFiringAndSilentCases
    }
    for (const auto& r : list) {
      const std::string id(r->meta().id);
      const fs::path dir = k_rules_dir / area.name / (id + ".fixtures");
      ASSERT_TRUE(fs::is_directory(dir)) << "missing fixture directory " << dir;
      int firing = 0;
      int silent = 0;
      for (const auto& c : fs::directory_iterator(dir)) {
        if (c.is_directory()) {
          (read_expectations(c.path()).empty() ? silent : firing)++;
        }
      }
      EXPECT_GE(firing, 1) << dir << ": needs a case where the rule fires";
      EXPECT_GE(silent, 1) << dir << ": needs a case where the rule stays silent";
    }
  }
}

// A live rule's cases are calls in its script: `fires(<output>, '<id>', ...)` and
// `silent(<output>, '<id>')`, each asserting on the findings of a real probe.
TEST(RuleMeta, LiveRulesHaveFiringAndSilentCases) {
  for (const auto& area : areas()) {
    if (area.live_tests.empty()) {
      continue;
    }
    const fs::path script = fs::path(PGL_SOURCE_DIR) / area.live_tests;
    ASSERT_TRUE(fs::exists(script)) << "missing live test script " << script;
    const std::string text = read_file(script);
    pgl::rules::RuleList list;
    area.add(list);
    for (const auto& r : list) {
      const std::string id(r->meta().id);
      EXPECT_FALSE(fs::exists(k_rules_dir / area.name / (id + ".fixtures")))
          << id << ": a live rule's cases belong in " << area.live_tests;
      const std::regex fires("\\bfires\\([^()]*['\"]" + id + "['\"]");
      const std::regex silent("\\bsilent\\([^()]*['\"]" + id + "['\"]");
      EXPECT_TRUE(std::regex_search(text, fires)) << script << ": needs a case where " << id << " fires";
      EXPECT_TRUE(std::regex_search(text, silent)) << script << ": needs a case where " << id << " stays silent";
    }
  }
}

TEST(RuleMeta, EveryFixtureDirectoryBelongsToARule) {
  for (const auto& c : discover_cases()) {
    EXPECT_NE(pgl::lint::find_rule(c.rule), nullptr) << c.dir;
  }
}

}  // namespace
