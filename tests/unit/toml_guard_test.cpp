// core/toml.hpp: what toml++ leaves unbounded is refused before parsing, and toml++'s own
// checks throw (the library is compiled into the program).
#include <string>

#include <gtest/gtest.h>

#include "core/toml.hpp"
#include "lint/project_config.hpp"

namespace {

std::string dotted(std::size_t parts) {
  std::string s = "a";
  for (std::size_t i = 1; i < parts; ++i) {
    s += ".a";
  }
  return s;
}

}  // namespace

TEST(TomlGuard, DotsOutsideStringsAndCommentsAreCounted) {
  using pgl::core::k_max_toml_dots;
  using pgl::core::toml_nesting_error;
  // k_max_toml_dots dots: accepted; one more: refused at that dot.
  EXPECT_FALSE(toml_nesting_error(dotted(k_max_toml_dots + 1) + "=1\n"));
  const auto e = toml_nesting_error("x=1\n" + dotted(k_max_toml_dots + 2) + "=1\n");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->line, 2U);
  EXPECT_EQ(e->column, 2 * k_max_toml_dots + 2);  // the (k+1)th dot: "a" + ".a" x k, then "."
  // Dots in strings (basic, literal, multi-line) and comments are not key parts.
  const std::string many(3 * k_max_toml_dots, '.');
  EXPECT_FALSE(toml_nesting_error("a = \"" + many + "\"\n"));
  EXPECT_FALSE(toml_nesting_error("a = '" + many + "'\n"));
  EXPECT_FALSE(toml_nesting_error("a = \"\"\"\n" + many + "\n\\\"\"\"" + many + "\"\"\"\n"));
  EXPECT_FALSE(toml_nesting_error("a = '''" + many + "\n" + many + "'''\n"));
  EXPECT_FALSE(toml_nesting_error("# " + many + "\n[rules.\"conf-x.y\"]\n"));
  // An escaped quote does not end a basic string; a literal string has no escapes.
  EXPECT_FALSE(toml_nesting_error("a = \"\\\"" + many + "\"\n"));
  EXPECT_TRUE(toml_nesting_error("a = '\\'" + many + "'\n"));
}

TEST(TomlGuard, DeepDottedKeysAreAnErrorNotACrash) {
  // 100,000 parts overflowed toml++'s recursive parser (SIGSEGV) before the guard.
  for (const std::string& text :
       {dotted(100000) + "=1\n", "[" + dotted(100000) + "]\n", "x={" + dotted(100000) + "=1}\n"}) {
    auto r = pgl::lint::parse_project_config(text, "cfg.toml");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.rfind("cfg.toml:1:", 0), 0U) << r.error().message;
    EXPECT_NE(r.error().message.find("more than 2000 dots"), std::string::npos) << r.error().message;
  }
}

TEST(TomlGuard, TomlPlusPlusIsCompiledWithTheProjectsAssertions) {
  // The header-only build: toml++'s assertions are this project's (core/toml.hpp), not
  // compiled out as in the shared library.
  EXPECT_EQ(TOML_HEADER_ONLY, 1);
  EXPECT_EQ(TOML_SHARED_LIB, 0);
  // A real file still parses.
  const auto t = pgl::core::toml_parse("pg_version = 16\n[rules.\"conf-x\"]\nenabled = false\n", "x.toml");
  EXPECT_EQ(t["pg_version"].value<int>(), 16);
}

TEST(TomlGuard, CharacterTableGapsAreNotWhitespaceNotACrash) {
  // Code points toml++ 3.3's whitespace table called unreachable (U+FEFD, U+00E9, U+2D00,
  // U+FB30) where whitespace may stand: an ordinary parse error with its place, no abort.
  for (const std::string& text : {std::string("\xef\xbb\xbd"), std::string("\xc3\xa9 = 1\n"),
                                  std::string("a = 1 \xe2\xb4\x80\n"), std::string("\xef\xac\xb0")}) {
    auto r = pgl::lint::parse_project_config(text, "cfg.toml");
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().message.rfind("cfg.toml:1:", 0), 0U) << r.error().message;
  }
  // Where they are allowed (strings, comments) they are read as written.
  auto ok = pgl::core::toml_parse("# \xef\xbb\xbd \xc3\xa9\nname = \"\xef\xbb\xbd\xc3\xa9\"\n", "x.toml");
  EXPECT_EQ(ok["name"].value<std::string>(), std::string("\xef\xbb\xbd\xc3\xa9"));
}

TEST(TomlGuard, ReachableInternalChecksAreErrorsWithFileAndLine) {
  // The two internal checks of toml++ 3.3 that input reaches (found by fuzz_toml; both in
  // functions that may throw, docs/fuzzing.md): parse_key's first character after `[ .`,
  // and parse_time's digit after a control character inside a date-time.
  const std::string key_check = "[ .\"x\"]\n";
  const std::string time_check = std::string(
      "a = 1979-06-27T\x01\x00\x00"
      "2\x00\x00\x00\x00\x00\x00\x00"
      "32:00\n",
      29);
  for (const std::string& bad : {key_check, time_check}) {
    auto r = pgl::lint::parse_project_config(bad, "cfg.toml");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.rfind("cfg.toml:1: malformed TOML (TOML parser internal check failed: ", 0), 0U)
        << r.error().message;
    // The line is the check's, also far into a file and with lines after it.
    std::string text;
    for (int i = 0; i < 3000; ++i) {
      text += "# " + std::string(300, 'x') + "\n";
    }
    text += bad + "b = 1\n";
    auto far = pgl::lint::parse_project_config(text, "cfg.toml");
    ASSERT_FALSE(far);
    EXPECT_EQ(far.error().message.rfind("cfg.toml:3001: malformed TOML", 0), 0U) << far.error().message;
  }
}

TEST(TomlGuard, ChecksInNoexceptFunctionsAreErrorsNotAnAbort) {
  // parse_value scans up to 127 code points of a number ahead and steps back over them;
  // a date of 127 characters with underscores, then a blank and two digits, makes it step
  // back 130 in a 127-entry history: toml++'s check in the noexcept step_back fails. A
  // throw there ended the program (std::terminate, exit 134); it is recorded and thrown
  // when the parse ends.
  for (const std::string& tail : {std::string(" 12\n"), std::string(" 1_\n"), std::string(" 12\n[t]\nb = 1\n")}) {
    const std::string text = "a = 1" + std::string(117, '_') + "979-05-27" + tail;
    try {
      (void)pgl::core::toml_parse(text, "cfg.toml");
      ADD_FAILURE() << "no internal error";
    } catch (const pgl::core::TomlInternalError& e) {
      EXPECT_NE(std::string(e.what()).find("negative_offset_ + count <= history_.count (toml++ parser.inl:568)"),
                std::string::npos)
          << e.what();
    }
    auto r = pgl::lint::parse_project_config("x = 1\n" + text, "cfg.toml");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.rfind("cfg.toml:2: malformed TOML", 0), 0U) << r.error().message;
    // The record is per parse: the next one is clean.
    EXPECT_EQ(pgl::core::toml_parse("a = 1\n", "x.toml")["a"].value<int>(), 1);
  }
  // Shorter, the history holds it: an ordinary syntax error (no underscores in a date).
  EXPECT_THROW((void)pgl::core::toml_parse("a = 1" + std::string(100, '_') + "979-05-27 12\n", "x.toml"),
               toml::parse_error);
}

TEST(TomlGuard, InternalErrorLineIsTheFirstLineWhosePrefixStopsTheParser) {
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "k" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  }
  EXPECT_EQ(pgl::core::toml_internal_error_line(text + "[ .\"x\"]\nz = 1\n", "c.toml"), 501U);
  EXPECT_EQ(pgl::core::toml_internal_error_line("[ .\"x\"]", "c.toml"), 1U);  // no newline at the end
  EXPECT_EQ(pgl::core::toml_internal_error_line("", "c.toml"), 1U);
}
