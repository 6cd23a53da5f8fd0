// Tokenizer of pg_hba.conf / pg_ident.conf (spec 3.1, 3.2).
#include <gtest/gtest.h>

#include "grammar/hba_grammar.hpp"
#include "parse/auth_common.hpp"
#include "parse/auth_regex.hpp"
#include "parse/conf_paths.hpp"

namespace {

using pgl::parse::auth::RawToken;
using pgl::parse::auth::split_lines;
using pgl::parse::auth::tokenize_line;

std::vector<std::string> texts(const std::vector<RawToken>& t) {
  std::vector<std::string> out;
  out.reserve(t.size());
  for (const auto& x : t) {
    out.push_back(x.text);
  }
  return out;
}

TEST(HbaTokenizer, GrammarHasNoInfiniteLoops) {
  EXPECT_EQ(pgl::grammar::pegtl::analyze<pgl::grammar::hba::line>(), 0U);
}

TEST(HbaTokenizer, BlanksCommasAndFields) {
  auto t = tokenize_line("local  a,b,, c\t,d #x y", 18);
  EXPECT_EQ(texts(t), (std::vector<std::string>{"local", "a", "b", "c", "d"}));
  EXPECT_FALSE(t[0].comma);
  EXPECT_TRUE(t[1].comma);
  EXPECT_TRUE(t[2].comma);
  EXPECT_FALSE(t[3].comma);  // `c ,d`: the blank ends the field
  EXPECT_EQ(t[1].begin, 7U);
  EXPECT_EQ(t[4].begin, 16U);
}

TEST(HbaTokenizer, QuotingAndInitialQuoteFlag) {
  auto t = tokenize_line(R"(c"d e"f "all" "a""b" "" @"my file" "@x")", 18);
  ASSERT_EQ(t.size(), 6U);
  EXPECT_EQ(t[0].text, "cd ef");
  EXPECT_FALSE(t[0].quoted);
  EXPECT_EQ(t[1].text, "all");
  EXPECT_TRUE(t[1].quoted);
  EXPECT_EQ(t[2].text, "a\"b");
  EXPECT_EQ(t[3].text, "");
  EXPECT_TRUE(t[3].quoted);
  EXPECT_EQ(t[4].text, "@my file");
  EXPECT_FALSE(t[4].quoted);
  EXPECT_EQ(t[5].text, "@x");
  EXPECT_TRUE(t[5].quoted);
}

TEST(HbaTokenizer, CommentsAndUnterminatedQuote) {
  EXPECT_EQ(texts(tokenize_line("a#b c", 18)), (std::vector<std::string>{"a"}));
  EXPECT_EQ(texts(tokenize_line("\"a # b\" c", 18)), (std::vector<std::string>{"a # b", "c"}));
  EXPECT_EQ(texts(tokenize_line("\"unterminated trust", 18)), (std::vector<std::string>{"unterminated trust"}));
  EXPECT_TRUE(tokenize_line(",,, # only", 18).empty());
}

TEST(HbaTokenizer, TokenLengthLimitsPerVersion) {
  const std::string max15(10239, 'd');
  EXPECT_FALSE(tokenize_line(max15, 15)[0].too_long);
  EXPECT_TRUE(tokenize_line(max15 + "x", 15)[0].too_long);
  EXPECT_TRUE(tokenize_line(max15 + ",a", 15)[0].too_long);  // the comma is read first
  EXPECT_FALSE(tokenize_line(max15 + " a", 15)[0].too_long);
  EXPECT_FALSE(tokenize_line(max15 + "#", 15)[0].too_long);
  // 12.22 and 13.23 (latest minors) have the 10240-byte MAX_TOKEN of 14 and 15.
  EXPECT_FALSE(tokenize_line(std::string(256, 'a'), 13)[0].too_long);
  EXPECT_FALSE(tokenize_line(max15, 12)[0].too_long);
  EXPECT_TRUE(tokenize_line(max15 + "x", 12)[0].too_long);
  EXPECT_FALSE(tokenize_line(std::string(20000, 'a'), 16)[0].too_long);
}

// The tokenizer keeps its token buffers from line to line: a token's text, quote flags
// and length check must not leak into the token at the same place on the next line.
TEST(HbaTokenizer, TokensOfOneLineDoNotLeakIntoTheNext) {
  pgl::parse::auth::Context ctx;
  ctx.pg_version = 15;
  std::vector<pgl::parse::auth::TokLine> out;
  const std::string long_quoted = "\"" + std::string(10240, 'q') + "\"";
  const std::string bytes = "host \"a\"b,c \"d e\"\nlocal x,y z\n" + long_quoted + " a\nhost q\n";
  pgl::parse::auth::tokenize_file("/x/pg_hba.conf", bytes, 0, ctx, out);
  ASSERT_EQ(out.size(), 4U);
  ASSERT_EQ(out[0].fields.size(), 3U);
  EXPECT_EQ(out[0].fields[1][0].text, "ab");
  EXPECT_TRUE(out[0].fields[1][0].quoted);
  EXPECT_EQ(out[0].fields[1][1].text, "c");
  EXPECT_FALSE(out[0].fields[1][1].quoted);
  EXPECT_EQ(out[0].fields[2][0].text, "d e");
  EXPECT_EQ(out[0].fields[2][0].span.begin.column, 13U);
  EXPECT_EQ(out[0].fields[2][0].span.end_column, 18U);
  ASSERT_EQ(out[1].fields.size(), 3U);
  EXPECT_EQ(out[1].fields[0][0].text, "local");
  EXPECT_FALSE(out[1].fields[0][0].quoted);
  ASSERT_EQ(out[1].fields[1].size(), 2U);
  EXPECT_EQ(out[1].fields[1][0].text, "x");
  EXPECT_FALSE(out[1].fields[1][0].quoted);
  EXPECT_EQ(out[1].fields[2][0].text, "z");
  EXPECT_FALSE(out[1].fields[2][0].quoted);
  ASSERT_TRUE(out[2].error.has_value());
  EXPECT_EQ(*out[2].error, "authentication file token too long");
  EXPECT_FALSE(out[3].error.has_value());
  ASSERT_EQ(out[3].fields.size(), 2U);
  EXPECT_EQ(out[3].fields[1][0].text, "q");
  EXPECT_FALSE(out[3].fields[1][0].quoted);
}

TEST(HbaLines, ContinuationQuirk) {
  auto l = split_lines("local all all trust\\\\\n\nlocal a \\\n b\\\nc\nx", 15);
  ASSERT_EQ(l.size(), 3U);
  EXPECT_EQ(l[0].text, "local all all trust\\");
  EXPECT_EQ(l[0].first_line, 1U);
  EXPECT_EQ(l[1].text, "local a  bc");
  EXPECT_EQ(l[1].first_line, 3U);
  EXPECT_EQ(l[1].location("f", 9).line, 4U);  // `b` is on physical line 4, column 2
  EXPECT_EQ(l[1].location("f", 9).column, 2U);
  EXPECT_EQ(l[2].first_line, 6U);
}

TEST(HbaLines, NoContinuationBefore14AndLongLines) {
  auto l = split_lines("a \\\nb\n", 13);
  ASSERT_EQ(l.size(), 2U);
  EXPECT_EQ(l[0].text, "a \\");
  // No line length limit in 12.22 / 13.23 (the 8192-byte buffer of early minors is gone).
  const std::string long_line(9000, 'x');
  auto l2 = split_lines(long_line + "\nlocal\n", 12);
  ASSERT_EQ(l2.size(), 2U);
  EXPECT_FALSE(l2[0].error);
  EXPECT_EQ(l2[0].text.size(), 9000U);
  EXPECT_FALSE(l2[1].error);
  EXPECT_FALSE(split_lines(long_line + "\n", 14)[0].error);
  auto crlf = split_lines("a\r\nb\r\r\n", 15);
  EXPECT_EQ(crlf[0].text, "a");
  EXPECT_EQ(crlf[1].text, "b");
}

TEST(HbaPaths, Canonicalize) {
  using pgl::parse::canonicalize_path;
  EXPECT_EQ(canonicalize_path("/d//x/./y/", 16), "/d/x/y");
  EXPECT_EQ(canonicalize_path("/d/../x.txt", 16), "/x.txt");
  EXPECT_EQ(canonicalize_path("/d/../x.txt", 14), "/d/../x.txt");  // 12-14: only trailing ..
  EXPECT_EQ(canonicalize_path("/d/e/..", 14), "/d");
}

TEST(HbaRegex, DeepNestingIsTooComplexNotACrash) {
  using pgl::parse::auth::check_regex;
  // 26,000 nested groups overflowed the checker's stack before it counted depth.
  for (const char* open : {"(", "(?:", "(?="}) {
    std::string re;
    for (int i = 0; i < 26000; ++i) {
      re += open;
    }
    re += "a";
    re.append(26000, ')');
    EXPECT_EQ(check_regex(re).value_or(""), "regular expression is too complex") << open;
  }
  std::string ok = std::string(1000, '(') + "a" + std::string(1000, ')');
  EXPECT_FALSE(check_regex(ok));
  EXPECT_EQ(check_regex("(" + ok + ")").value_or(""), "regular expression is too complex");
}

TEST(HbaRegex, ErrorTexts) {
  using pgl::parse::auth::check_regex;
  EXPECT_EQ(check_regex("( x").value_or(""), "parentheses () not balanced");
  EXPECT_EQ(check_regex("a)").value_or(""), "parentheses () not balanced");
  EXPECT_EQ(check_regex("[abc").value_or(""), "brackets [] not balanced");
  EXPECT_EQ(check_regex("a{2").value_or(""), "braces {} not balanced");
  EXPECT_EQ(check_regex("a{2,1}").value_or(""), "invalid repetition count(s)");
  EXPECT_EQ(check_regex("*a").value_or(""), "quantifier operand invalid");
  EXPECT_EQ(check_regex("a**").value_or(""), "quantifier operand invalid");
  EXPECT_EQ(check_regex("\\").value_or(""), "invalid escape \\ sequence");
  EXPECT_EQ(check_regex("\\1").value_or(""), "invalid backreference number");
  EXPECT_EQ(check_regex("[[:foo:]]").value_or(""), "invalid character class");
  EXPECT_EQ(check_regex("[z-a]").value_or(""), "invalid character range");
  EXPECT_EQ(check_regex("(?z)a").value_or(""), "invalid embedded option");
  for (const char* ok : {"^(.*)@example\\.com$", "", "(a)\\1", "a{,2}", "[]a]", "a+?", "(?:a)|b", "***=a("}) {
    EXPECT_FALSE(check_regex(ok)) << ok;
  }
}

}  // namespace
