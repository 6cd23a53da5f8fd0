// postgresql.conf grammar: scanner emulation (spec 1.2, 1.2a, 1.3, 1.4, Appendix A).
#include "grammar/conf_grammar.hpp"

#include <gtest/gtest.h>

#include "grammar/conf_actions.hpp"

namespace g = pgl::grammar::conf;
namespace pegtl = tao::pegtl;

namespace {

std::vector<g::RawConfLine> lex(const std::string& text, int max_errors = g::k_max_syntax_errors) {
  g::ConfLexState st;
  st.file = "/x.conf";
  st.max_errors = max_errors;
  pegtl::memory_input<pegtl::tracking_mode::eager, pegtl::eol::lf> in(text, "/x.conf");
  try {
    EXPECT_TRUE((pegtl::parse<g::file, g::action>(in, st)));
  } catch (const g::AbandonFile&) {
  }
  return std::move(st.lines);
}

// A one-line file that must load: returns its value.
std::string value_of(const std::string& line, const std::string& name) {
  auto lines = lex(line);
  if (lines.size() != 1 || lines[0].is_error) {
    ADD_FAILURE() << "expected one entry for: " << line
                  << (lines.empty() ? std::string() : " got: " + lines[0].message);
    return {};
  }
  EXPECT_EQ(lines[0].name, name) << line;
  return lines[0].value;
}

// A one-line file that must fail: returns the message of its syntax error.
std::string error_of(const std::string& text) {
  auto lines = lex(text);
  for (const auto& l : lines) {
    if (l.is_error) {
      return l.message;
    }
  }
  ADD_FAILURE() << "expected a syntax error for: " << text;
  return {};
}

std::string near(const std::string& token, int line = 1) {
  return "syntax error in file \"/x.conf\" line " + std::to_string(line) + ", near token \"" + token + "\"";
}
std::string near_eol(int line) {
  return "syntax error in file \"/x.conf\" line " + std::to_string(line) + ", near end of line";
}

}  // namespace

TEST(ConfGrammar, AnalyzeFindsNoProblems) {
  EXPECT_EQ(pegtl::analyze<g::file>(), 0u);
}

TEST(ConfGrammar, AcceptsServerExamples) {
  EXPECT_EQ(value_of("work_mem 8MB", "work_mem"), "8MB");
  EXPECT_EQ(value_of("WORK_MEM = 8MB", "WORK_MEM"), "8MB");
  EXPECT_EQ(value_of("work_mem = '1.5GB'", "work_mem"), "1.5GB");
  EXPECT_EQ(value_of("work_mem = 1.0e5", "work_mem"), "1.0e5");
  EXPECT_EQ(value_of("work_mem = 0x10", "work_mem"), "0x10");
  EXPECT_EQ(value_of("work_mem = 0xZZ", "work_mem"), "0xZZ");
  EXPECT_EQ(value_of("work_mem = .", "work_mem"), ".");
  EXPECT_EQ(value_of("foo.bar = baz", "foo.bar"), "baz");
  EXPECT_EQ(value_of("f\xc3\xbc.b\xc3\xa4r = 'x'", "f\xc3\xbc.b\xc3\xa4r"), "x");
  EXPECT_EQ(value_of("_foo.bar = 1", "_foo.bar"), "1");
  EXPECT_EQ(value_of("foo._bar = 1", "foo._bar"), "1");
  EXPECT_EQ(value_of("timezone = Europe/Berlin", "timezone"), "Europe/Berlin");
  EXPECT_EQ(value_of("application_name = 1abc", "application_name"), "1abc");
  EXPECT_EQ(value_of("application_name = -.", "application_name"), "-.");
  EXPECT_EQ(value_of("application_name = foo.", "application_name"), "foo.");
  EXPECT_EQ(value_of("application_name = a.b.c", "application_name"), "a.b.c");
  EXPECT_EQ(value_of("search_path = public", "search_path"), "public");
  EXPECT_EQ(value_of("work_mem=8MB#c", "work_mem"), "8MB");
  EXPECT_EQ(value_of("application_name'x'", "application_name"), "x");
  EXPECT_EQ(value_of("a = .5", "a"), ".5");
  EXPECT_EQ(value_of("a = 5.", "a"), "5.");
  EXPECT_EQ(value_of("a = .e5", "a"), ".e5");
  EXPECT_EQ(value_of("a = +7kB", "a"), "+7kB");
  EXPECT_EQ(value_of("a\r=\r1\r", "a"), "1");
  EXPECT_EQ(value_of("a = '#not a comment' # comment", "a"), "#not a comment");
  EXPECT_EQ(value_of("\xef\xbb\xbfwork_mem = 1MB", "\xef\xbb\xbfwork_mem"), "1MB");
}

TEST(ConfGrammar, DeescapesQuotedStrings) {
  EXPECT_EQ(value_of("application_name = 'it''s \\n \\101 \\x'", "application_name"), "it's \n A x");
  EXPECT_EQ(value_of("a = ''''", "a"), "'");
  EXPECT_EQ(value_of("a = 'a''''b'", "a"), "a''b");
  EXPECT_EQ(value_of("a = '\\''", "a"), "'");
  EXPECT_EQ(value_of("a = '\\\\'", "a"), "\\");
  EXPECT_EQ(value_of("a = '\\b\\f\\r\\t'", "a"), "\b\f\r\t");
  EXPECT_EQ(value_of("a = '\\1234'", "a"), "S4");
  EXPECT_EQ(value_of("a = '\\777'", "a"), "\xff");
  EXPECT_EQ(value_of("a = 'x\\0y'", "a"), "x");  // a NUL ends the C string
  EXPECT_EQ(value_of("a = '\"q\"'", "a"), "\"q\"");
  EXPECT_EQ(value_of("a = ''", "a"), "");
}

TEST(ConfGrammar, RejectsWithServerMessages) {
  EXPECT_EQ(error_of("work_mem = 1.5GB"), near("GB"));
  EXPECT_EQ(error_of("work_mem = 1e5"), near("5"));
  EXPECT_EQ(error_of("default_text_search_config = pg_catalog.english"), near("pg_catalog.english"));
  EXPECT_EQ(error_of("foo.bar.baz = 1"), near("foo.bar.baz"));
  EXPECT_EQ(error_of("foo-bar = 1"), near("foo-bar"));
  EXPECT_EQ(error_of("foo.1bar = 1"), near("foo.1bar"));
  EXPECT_EQ(error_of("listen_addresses = *"), near("*"));
  EXPECT_EQ(error_of("log_line_prefix = %m"), near("%"));
  EXPECT_EQ(error_of("application_name = -"), near("-"));
  EXPECT_EQ(error_of("application_name = ab$c"), near("$"));
  EXPECT_EQ(error_of("application_name = \"foo\""), near("\""));
  EXPECT_EQ(error_of("a = 1\f"), near("\f"));
  EXPECT_EQ(error_of("a\v= 1"), near("\v"));
  EXPECT_EQ(error_of("a = 0X1F"), near("1F"));
  EXPECT_EQ(error_of("a = 0x1.5"), near(".5"));
  EXPECT_EQ(error_of("a = 1.5e"), near("e"));
  EXPECT_EQ(error_of("a.b=1 c.d=2"), near("c.d"));
  EXPECT_EQ(error_of("work_mem = 8MB 9MB"), near("9MB"));
  EXPECT_EQ(error_of("a = 'abc"), near("'"));
  EXPECT_EQ(error_of("a = 'x''"), near("'"));
  EXPECT_EQ(error_of("'x'' = 1"), near("'x'"));
  EXPECT_EQ(error_of("a = = 1"), near("="));
  EXPECT_EQ(error_of("a = 'line\\\nnext'"), near("'"));
  EXPECT_EQ(error_of("include_dir conf.d"), near("conf.d"));
  EXPECT_EQ(error_of("= 1"), near("="));
  EXPECT_EQ(error_of("a =\n"), near_eol(1));
  EXPECT_EQ(error_of("a = # comment\n"), near_eol(1));
}

TEST(ConfGrammar, ErrorPositionsAndLines) {
  auto lines = lex("a = 1\n\n  work_mem = 1.5GB\nb = 2\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_FALSE(lines[0].is_error);
  EXPECT_EQ(lines[0].line, 1u);
  EXPECT_EQ(lines[0].name_pos.column, 1u);
  EXPECT_EQ(lines[0].value_pos.column, 5u);
  ASSERT_TRUE(lines[1].is_error);
  EXPECT_EQ(lines[1].line, 3u);
  EXPECT_EQ(lines[1].error_pos.column, 17u);
  EXPECT_EQ(lines[1].error_pos.length, 2u);
  EXPECT_EQ(lines[1].message, near("GB", 3));
  EXPECT_FALSE(lines[2].is_error);
  EXPECT_EQ(lines[2].line, 4u);
}

TEST(ConfGrammar, EndOfFileWithoutNewline) {
  auto ok = lex("a = 1\nb = 2");
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[1].line, 2u);
  EXPECT_EQ(ok[1].value, "2");
  // The server reports a missing value at end of file on the previous line.
  auto bad = lex("a = 1\nb =");
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[1].message, near_eol(1));
}

TEST(ConfGrammar, RecoversPerLineAndGivesUpAfterLimit) {
  auto lines = lex("* x\na = 1\n$\nb = 2\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_TRUE(lines[0].is_error);
  EXPECT_EQ(lines[1].name, "a");
  EXPECT_TRUE(lines[2].is_error);
  EXPECT_EQ(lines[3].name, "b");

  std::string many;
  for (int i = 0; i < 150; ++i) {
    many += "* = 1\n";
  }
  auto errs = lex(many);
  ASSERT_EQ(errs.size(), 100u);
  EXPECT_TRUE(errs.back().abandoned);
  EXPECT_EQ(errs.back().line, 100u);

  auto first = lex("a = 1\n*\nb = 2\n*\n", 1);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_TRUE(first[1].abandoned);
}
