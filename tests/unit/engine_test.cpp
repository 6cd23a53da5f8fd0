#include "lint/engine.hpp"

#include <gtest/gtest.h>

namespace {

using pgl::core::Diagnostic;
using pgl::core::Severity;
using pgl::core::Span;
using namespace pgl::lint;

// Reports one finding per listed line of "/cfg/pg_hba.conf".
class FakeRule final : public Rule {
 public:
  FakeRule(std::string_view id, Severity sev, Profile profile, std::vector<std::uint32_t> lines)
      : m_meta{id, "fake", sev, profile}, m_lines(std::move(lines)) {}
  [[nodiscard]] const RuleMeta& meta() const override { return m_meta; }
  void check(const pgl::model::Config& /*config*/, LintContext& ctx) const override {
    for (auto line : m_lines) {
      diag(ctx, Span::at("/cfg/pg_hba.conf", line, 1), "found");
    }
  }

 private:
  RuleMeta m_meta;
  std::vector<std::uint32_t> m_lines;
};

// Notes when it ran; one finding per listed line, like FakeRule.
class LoggingRule final : public Rule {
 public:
  LoggingRule(std::string_view id, bool asks, std::vector<std::uint32_t> lines, std::vector<std::string>& log)
      : m_meta{id, "fake", Severity::warning}, m_asks(asks), m_lines(std::move(lines)), m_log(&log) {}
  [[nodiscard]] const RuleMeta& meta() const override { return m_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return m_asks; }
  void check(const pgl::model::Config& /*config*/, LintContext& ctx) const override {
    m_log->push_back(std::string(m_meta.id));
    for (auto line : m_lines) {
      diag(ctx, Span::at("/cfg/pg_hba.conf", line, 1), "found");
    }
  }

 private:
  RuleMeta m_meta;
  bool m_asks;
  std::vector<std::uint32_t> m_lines;
  std::vector<std::string>* m_log;
};

class UnusedMarker final : public Rule {
 public:
  [[nodiscard]] const RuleMeta& meta() const override { return k_meta; }
  void check(const pgl::model::Config&, LintContext&) const override {}
  static constexpr RuleMeta k_meta{k_unused_suppression_id, "unused", Severity::warning};
};

struct EngineTest : ::testing::Test {
  FakeRule a{"hba-aaa", Severity::warning, Profile::default_, {1, 3}};
  FakeRule b{"hba-bbb", Severity::note, Profile::default_, {2}};
  FakeRule cis{"hba-cis", Severity::error, Profile::cis, {4}};
  FakeRule strict{"hba-strict", Severity::note, Profile::strict, {4}};
  UnusedMarker unused;
  std::vector<const Rule*> rules{&a, &b, &cis, &strict, &unused};
  pgl::model::Config config;

  std::vector<Diagnostic> lint(const EngineOptions& options, const std::string& text = "l1\nl2\nl3\nl4\nl5\n") {
    config.sources.add("/cfg/pg_hba.conf", text);
    auto sel = select_rules(options, rules);
    EXPECT_TRUE(sel.has_value()) << (sel ? "" : sel.error().message);
    LintContext ctx;
    return run(config, ctx, *sel);
  }

  static std::vector<std::string> ids(const std::vector<Diagnostic>& ds) {
    std::vector<std::string> out;
    out.reserve(ds.size());
    for (const auto& d : ds) {
      out.push_back(d.rule + "@" + std::to_string(d.span.begin.line) + ":" +
                    std::string(pgl::core::to_string(d.severity)));
    }
    return out;
  }
};

using Strings = std::vector<std::string>;

TEST_F(EngineTest, DefaultProfileRunsDefaultRulesSorted) {
  EXPECT_EQ(ids(lint({})), (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "hba-aaa@3:warning"}));
}

// Each rule's findings come in its own order (here not the file's), the rules' lists are
// joined in one order, and a finding reported twice is kept once.
TEST_F(EngineTest, FindingsOfAllRulesSortedAndKeptOnce) {
  FakeRule c{"hba-ccc", Severity::warning, Profile::default_, {5, 2, 2, 4}};
  FakeRule d{"hba-ddd", Severity::error, Profile::default_, {4, 1}};
  rules.push_back(&c);
  rules.push_back(&d);
  EXPECT_EQ(ids(lint({})), (Strings{"hba-aaa@1:warning", "hba-ddd@1:error", "hba-bbb@2:note", "hba-ccc@2:warning",
                                    "hba-aaa@3:warning", "hba-ccc@4:warning", "hba-ddd@4:error", "hba-ccc@5:warning"}));
}

TEST_F(EngineTest, FindingsOfAllRulesMergedInOrder) {
  FakeRule c{"hba-ccc", Severity::warning, Profile::default_, {5, 2, 4}};
  FakeRule d{"hba-ddd", Severity::error, Profile::default_, {4, 1}};
  rules = {&c, &b, &d};
  EXPECT_EQ(ids(lint({})), (Strings{"hba-ddd@1:error", "hba-bbb@2:note", "hba-ccc@2:warning", "hba-ccc@4:warning",
                                    "hba-ddd@4:error", "hba-ccc@5:warning"}));
}

// The rules that ask the first-match model run after the others (which then run beside the
// model's threads); the findings come in the same order whatever the order of running.
TEST_F(EngineTest, RulesAskingTheModelRunLast) {
  std::vector<std::string> log;
  LoggingRule asks1{"hba-aab", true, {3, 1}, log};
  LoggingRule plain{"hba-aac", false, {2}, log};
  LoggingRule asks2{"hba-aad", true, {1}, log};
  LoggingRule plain2{"hba-aae", false, {4}, log};
  rules = {&asks1, &plain, &asks2, &plain2};
  EXPECT_EQ(ids(lint({})), (Strings{"hba-aab@1:warning", "hba-aad@1:warning", "hba-aac@2:warning", "hba-aab@3:warning",
                                    "hba-aae@4:warning"}));
  EXPECT_EQ(log, (Strings{"hba-aac", "hba-aae", "hba-aab", "hba-aad"}));
}

TEST_F(EngineTest, CisProfileAddsCisRules) {
  EngineOptions o;
  o.profile = Profile::cis;
  EXPECT_EQ(ids(lint(o)), (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "hba-aaa@3:warning", "hba-cis@4:error"}));
}

TEST_F(EngineTest, StrictProfileRaisesNotesAndRunsStrictRules) {
  EngineOptions o;
  o.profile = Profile::strict;
  EXPECT_EQ(ids(lint(o)),
            (Strings{"hba-aaa@1:warning", "hba-bbb@2:warning", "hba-aaa@3:warning", "hba-strict@4:warning"}));
}

TEST_F(EngineTest, EnableAndDisable) {
  EngineOptions o;
  o.enable = {"hba-cis"};
  o.disable = {"hba-aaa"};
  EXPECT_EQ(ids(lint(o)), (Strings{"hba-bbb@2:note", "hba-cis@4:error"}));
}

TEST_F(EngineTest, SeverityOverrideWinsOverStrict) {
  EngineOptions o;
  o.profile = Profile::strict;
  o.severity["hba-bbb"] = Severity::error;
  o.severity["hba-aaa"] = Severity::note;
  EXPECT_EQ(ids(lint(o)), (Strings{"hba-aaa@1:note", "hba-bbb@2:error", "hba-aaa@3:note", "hba-strict@4:warning"}));
}

TEST_F(EngineTest, OnlyRunsTheListedRule) {
  EngineOptions o;
  o.only = Strings{"hba-cis"};
  EXPECT_EQ(ids(lint(o)), (Strings{"hba-cis@4:error"}));
}

TEST_F(EngineTest, UnknownIdsAreErrorsWithSuggestion) {
  for (auto setter :
       {+[](EngineOptions& o) { o.enable = {"hba-aab"}; }, +[](EngineOptions& o) { o.disable = {"hba-aab"}; },
        +[](EngineOptions& o) { o.severity["hba-aab"] = Severity::error; },
        +[](EngineOptions& o) { o.only = Strings{"hba-aab"}; }}) {
    EngineOptions o;
    setter(o);
    auto sel = select_rules(o, rules);
    ASSERT_FALSE(sel.has_value());
    EXPECT_NE(sel.error().message.find("unknown rule id 'hba-aab'"), std::string::npos) << sel.error().message;
    EXPECT_NE(sel.error().message.find("did you mean 'hba-aaa'"), std::string::npos) << sel.error().message;
  }
}

TEST_F(EngineTest, TrailingSuppressionAppliesToItsLine) {
  auto found = lint({}, "l1 # pgconflint: disable=hba-aaa\nl2\nl3\n");
  EXPECT_EQ(ids(found), (Strings{"hba-bbb@2:note", "hba-aaa@3:warning"}));
}

TEST_F(EngineTest, StandaloneSuppressionAppliesToNextNonCommentLine) {
  // Line 2 holds the comment; line 3 is a comment and line 4 is blank: it applies to line 5.
  FakeRule c{"hba-ccc", Severity::warning, Profile::default_, {5}};
  rules.push_back(&c);
  auto found = lint({}, "l1\n# pgconflint: disable=hba-ccc,hba-aaa\n# other\n\nl5\n");
  EXPECT_EQ(ids(found),
            (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "lint-unused-suppression@2:warning", "hba-aaa@3:warning"}));
  const auto it =
      std::find_if(found.begin(), found.end(), [](const Diagnostic& d) { return d.rule == k_unused_suppression_id; });
  EXPECT_EQ(it->message, "unused suppression: 'hba-aaa' reports nothing on line 5");
  EXPECT_EQ(it->span.begin.column, 31U);
}

TEST_F(EngineTest, FileSuppression) {
  auto found = lint({}, "l1\nl2\n# pgconflint: disable-file=hba-aaa\n");
  EXPECT_EQ(ids(found), (Strings{"hba-bbb@2:note"}));
}

// Directives are read from the lines holding the marker, each line once (a second marker in
// a comment is comment text), whatever the line endings, the last line without a newline too.
TEST(Suppressions, ReadFromTheLinesHoldingTheMarker) {
  const pgl::core::SourceFile file("/x/pg_hba.conf",
                                   "# pgconflint: disable-file=hba-md5\r\n"
                                   "local all all trust # pgconflint: disable=hba-trust-local # pgconflint: disable=x\n"
                                   "\n"
                                   "host all all 0.0.0.0/0 md5 # pgconflint:disable=hba-md5,hba-broad-network\r\n"
                                   "# pgconflint: disable=hba-md5");
  const auto s = parse_suppressions(file);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].line, 1u);
  EXPECT_EQ(s[0].target_line, 0u);
  EXPECT_EQ(s[0].rule, "hba-md5");
  EXPECT_EQ(s[1].line, 2u);
  EXPECT_EQ(s[1].rule, "hba-trust-local");
  EXPECT_EQ(s[1].target_line, 2u);
  EXPECT_EQ(s[2].line, 4u);
  EXPECT_EQ(s[2].rule, "hba-md5");
  EXPECT_EQ(s[3].rule, "hba-broad-network");
  EXPECT_EQ(s[3].column, 57u);
  EXPECT_EQ(s[4].line, 5u);
  EXPECT_EQ(s[4].target_line, 6u);  // no line follows: matches nothing
  EXPECT_TRUE(parse_suppressions(pgl::core::SourceFile("/x/a", "local all all peer\n# pgconflint\n")).size() == 0);
}

TEST_F(EngineTest, SuppressionInsideQuotesIsNotAComment) {
  auto found = lint({}, "l1 '# pgconflint: disable=hba-aaa'\nl2\nl3\n");
  EXPECT_EQ(ids(found), (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "hba-aaa@3:warning"}));
}

TEST_F(EngineTest, UnknownAndMalformedSuppressions) {
  auto found =
      lint({}, "l1\nl2 # pgconflint: disable=hba-bbbb\nl3 # pgconflint: enable=hba-aaa\nl4 # pgconflint: disable=\n");
  ASSERT_EQ(ids(found),
            (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "lint-unused-suppression@2:warning", "hba-aaa@3:warning",
                     "lint-unused-suppression@3:warning", "lint-unused-suppression@4:warning"}));
  EXPECT_EQ(found[2].message, "suppression names unknown rule 'hba-bbbb'");
  EXPECT_EQ(found[2].help, "did you mean 'hba-bbb'?");
  EXPECT_EQ(found[4].message, "malformed suppression comment: unknown directive 'enable=hba-aaa'");
  EXPECT_EQ(found[5].message, "malformed suppression comment: unknown directive 'disable='");
}

TEST_F(EngineTest, SuppressionOfARuleThatDidNotRunIsNotReported) {
  // hba-cis is not in the default profile: the suppression cannot be judged.
  auto found = lint({}, "l1\nl2\nl3\nl4 # pgconflint: disable=hba-cis\n");
  EXPECT_EQ(ids(found), (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "hba-aaa@3:warning"}));
}

TEST_F(EngineTest, UnusedSuppressionCanItselfBeDisabled) {
  EngineOptions o;
  o.disable = {std::string(k_unused_suppression_id)};
  auto found = lint(o, "l1\nl2 # pgconflint: disable=nope\n");
  EXPECT_EQ(ids(found), (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "hba-aaa@3:warning"}));
  found = lint({}, "# pgconflint: disable-file=lint-unused-suppression\nl2 # pgconflint: disable=nope\n");
  EXPECT_EQ(ids(found), (Strings{"hba-aaa@1:warning", "hba-bbb@2:note", "hba-aaa@3:warning"}));
}

TEST(ExitCode, FailOnLevels) {
  auto make = [](Severity s) {
    Diagnostic d;
    d.severity = s;
    return std::vector<Diagnostic>{d};
  };
  EXPECT_EQ(exit_code({}, FailOn::note), 0);
  EXPECT_EQ(exit_code(make(Severity::note), FailOn::note), 1);
  EXPECT_EQ(exit_code(make(Severity::note), FailOn::warning), 0);
  EXPECT_EQ(exit_code(make(Severity::warning), FailOn::warning), 1);
  EXPECT_EQ(exit_code(make(Severity::warning), FailOn::error), 0);
  EXPECT_EQ(exit_code(make(Severity::error), FailOn::error), 1);
  EXPECT_EQ(exit_code(make(Severity::error), FailOn::never), 0);
  EXPECT_EQ(fail_on_from_string("warning"), FailOn::warning);
  EXPECT_EQ(fail_on_from_string("warn"), std::nullopt);
}

TEST(Timestamp, Formats) {
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00Z"), 1767225600);
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00"), 1767225600);
  EXPECT_EQ(parse_timestamp("2026-01-01"), 1767225600);
  EXPECT_EQ(parse_timestamp("1767225600"), 1767225600);
  EXPECT_EQ(parse_timestamp("2026-13-01"), std::nullopt);
  EXPECT_EQ(parse_timestamp("tomorrow"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00+02"), std::nullopt);
}

}  // namespace
