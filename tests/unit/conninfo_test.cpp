#include "parse/conninfo.hpp"

#include <gtest/gtest.h>

using pgl::parse::parse_conninfo;

namespace {

std::string value_of(const pgl::parse::Conninfo& c, std::string_view key) {
  const auto* p = c.find(key);
  return p ? p->value : std::string("<unset>");
}

std::string error_of(std::string_view text) {
  auto r = parse_conninfo(text);
  return r ? std::string("<ok>") : r.error().message;
}

}  // namespace

TEST(Conninfo, GrammarHasNoLoopsWithoutProgress) {
  EXPECT_EQ(pgl::parse::analyze_conninfo_grammar(), 0u);
}

TEST(Conninfo, KeyValueBasic) {
  auto r = parse_conninfo("host=db1 port=5432 user=rep sslmode=verify-full");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->uri);
  ASSERT_EQ(r->params.size(), 4u);
  EXPECT_EQ(value_of(*r, "host"), "db1");
  EXPECT_EQ(value_of(*r, "sslmode"), "verify-full");
  const auto* s = r->find("sslmode");
  EXPECT_EQ(s->key_offset, 28u);
  EXPECT_EQ(s->key_length, 7u);
  EXPECT_EQ(s->value_offset, 36u);
  EXPECT_EQ(s->value_length, 11u);
}

TEST(Conninfo, KeyValueBlanksAroundEqualsAndQuotes) {
  auto r = parse_conninfo("  host = 'a b'   password = 'it\\'s \\\\x'\tport=\n5432  ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(value_of(*r, "host"), "a b");
  EXPECT_EQ(value_of(*r, "password"), "it's \\x");
  EXPECT_EQ(value_of(*r, "port"), "5432");
  EXPECT_EQ(r->find("host")->value_offset, 9u);
  EXPECT_EQ(r->find("host")->value_length, 5u);
}

TEST(Conninfo, KeyValueUnquotedEscapesAndGluedPairs) {
  auto r = parse_conninfo("application_name=a\\ b host='x'port=1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(value_of(*r, "application_name"), "a b");
  EXPECT_EQ(value_of(*r, "host"), "x");
  EXPECT_EQ(value_of(*r, "port"), "1");
}

TEST(Conninfo, EmptyValueTakesNextWordAsLibpqDoes) {
  // libpq skips blanks after '=', so the value of host is "port=5432".
  auto r = parse_conninfo("host= port=5432");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(value_of(*r, "host"), "port=5432");
  EXPECT_EQ(value_of(*r, "port"), "<unset>");
  auto e = parse_conninfo("host=");
  ASSERT_TRUE(e);
  EXPECT_EQ(value_of(*e, "host"), "");
}

TEST(Conninfo, LastOccurrenceWins) {
  auto r = parse_conninfo("sslmode=disable sslmode=require");
  ASSERT_TRUE(r);
  EXPECT_EQ(value_of(*r, "sslmode"), "require");
  EXPECT_EQ(r->find("sslmode")->key_offset, 16u);
}

TEST(Conninfo, KeyValueErrors) {
  EXPECT_EQ(error_of("host"), "missing \"=\" after \"host\" in connection info string");
  EXPECT_EQ(error_of("host db1"), "missing \"=\" after \"host\" in connection info string");
  EXPECT_EQ(error_of("host=a b"), "missing \"=\" after \"b\" in connection info string");
  EXPECT_EQ(error_of("password='abc"), "unterminated quoted string in connection info string");
  EXPECT_EQ(error_of("password='abc\\'"), "unterminated quoted string in connection info string");
  EXPECT_EQ(error_of("hots=x"), "invalid connection option \"hots\"");
  EXPECT_EQ(error_of("=x"), "invalid connection option \"\"");
  // libpq stops at the first problem, in order.
  EXPECT_EQ(error_of("foo=1 host"), "invalid connection option \"foo\"");
  auto r = parse_conninfo("host=a  bad");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().offset, 8u);  // the keyword lacking its '='
  auto u = parse_conninfo("host=a u'x");
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().message, "missing \"=\" after \"u'x\" in connection info string");
}

TEST(Conninfo, EmptyStringIsValid) {
  auto r = parse_conninfo("");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->params.empty());
  auto b = parse_conninfo("   ");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->params.empty());
}

TEST(Conninfo, UriFull) {
  auto r =
      parse_conninfo("postgresql://rep:s%40cret@h1:5432,[::1]:5433/my%20db?sslmode=verify-full&application_name=x");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->uri);
  EXPECT_EQ(value_of(*r, "user"), "rep");
  EXPECT_EQ(value_of(*r, "password"), "s@cret");
  EXPECT_EQ(value_of(*r, "host"), "h1,::1");
  EXPECT_EQ(value_of(*r, "port"), "5432,5433");
  EXPECT_EQ(value_of(*r, "dbname"), "my db");
  EXPECT_EQ(value_of(*r, "sslmode"), "verify-full");
  EXPECT_EQ(value_of(*r, "application_name"), "x");
  EXPECT_EQ(r->find("password")->value_offset, 17u);
  EXPECT_EQ(r->find("sslmode")->key_offset, 53u);
}

TEST(Conninfo, UriMinimalAndVariants) {
  auto a = parse_conninfo("postgres://");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->uri);
  EXPECT_TRUE(a->params.empty());
  auto b = parse_conninfo("postgresql://host/?");
  ASSERT_TRUE(b);
  EXPECT_EQ(value_of(*b, "host"), "host");
  EXPECT_EQ(value_of(*b, "dbname"), "<unset>");
  auto c = parse_conninfo("postgresql://u@h?ssl=true");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(value_of(*c, "user"), "u");
  EXPECT_EQ(value_of(*c, "sslmode"), "require");
  auto d = parse_conninfo("postgresql://:5433");
  ASSERT_TRUE(d);
  EXPECT_EQ(value_of(*d, "host"), "<unset>");
  EXPECT_EQ(value_of(*d, "port"), "5433");
  auto e = parse_conninfo("postgresql://%2Fvar%2Frun/db");
  ASSERT_TRUE(e);
  EXPECT_EQ(value_of(*e, "host"), "/var/run");
}

TEST(Conninfo, UriErrors) {
  EXPECT_EQ(error_of("postgresql://[::1"),
            "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1\"");
  EXPECT_EQ(error_of("postgresql://[]"), "IPv6 host address may not be empty in URI: \"postgresql://[]\"");
  EXPECT_EQ(error_of("postgresql://[::1]x"),
            "unexpected character \"x\" at position 19 in URI (expected \":\" or \"/\"): \"postgresql://[::1]x\"");
  EXPECT_EQ(error_of("postgresql://h?a"), "missing key/value separator \"=\" in URI query parameter: \"a\"");
  EXPECT_EQ(error_of("postgresql://h?a=b=c"), "extra key/value separator \"=\" in URI query parameter: \"a\"");
  EXPECT_EQ(error_of("postgresql://h?bogus=1"), "invalid URI query parameter: \"bogus\"");
  EXPECT_EQ(error_of("postgresql://h/%zz"), "invalid percent-encoded token: \"%zz\"");
  EXPECT_EQ(error_of("postgresql://h/a%00"), "forbidden value %00 in percent-encoded value: \"a%00\"");
}

TEST(Conninfo, UriErrorsNeverShowThePassword) {
  const std::string msg = error_of("postgresql://u:topsecret@[::1]x");
  EXPECT_EQ(msg.find("topsecret"), std::string::npos) << msg;
  EXPECT_NE(msg.find("***"), std::string::npos) << msg;
  const std::string bad = error_of("postgresql://u:top%zzsecret@h");
  EXPECT_EQ(bad.find("topsecret"), std::string::npos) << bad;
  EXPECT_EQ(bad.find("top%zz"), std::string::npos) << bad;
  const std::string q = error_of("postgresql://h?password=%zzsecret");
  EXPECT_EQ(q.find("secret"), std::string::npos) << q;
}

TEST(Conninfo, RecognizesConnectionStrings) {
  EXPECT_TRUE(pgl::parse::is_connection_string("host=x"));
  EXPECT_TRUE(pgl::parse::is_connection_string("postgresql://x"));
  EXPECT_FALSE(pgl::parse::is_connection_string("mydb"));
}
