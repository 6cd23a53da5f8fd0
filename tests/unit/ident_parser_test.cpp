// pg_ident.conf (spec 3.10, Appendix A).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "parse/parse.hpp"

namespace {

namespace fs = std::filesystem;

pgl::model::IdentFile parse_text(const std::string& text, int version) {
  const fs::path dir = fs::temp_directory_path() / ("pgl-ident-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / "pg_ident.conf";
  std::ofstream(p, std::ios::binary) << text;
  pgl::core::SourceSet sources;
  pgl::parse::AuthParseOptions o;
  o.pg_version = version;
  auto f = pgl::parse::parse_ident(p.string(), o, sources);
  fs::remove_all(dir);
  return f;
}

TEST(IdentParser, AppendixA) {
  auto f = parse_text("mymap alice bob extra\nmymap alice\nmymap a,b c\nm1,m2 a b\nmymap /( x\n", 15);
  ASSERT_EQ(f.records.size(), 5U);
  EXPECT_FALSE(f.records[0].error);
  EXPECT_EQ(f.records[0].pg_user.text, "bob");
  EXPECT_EQ(f.records[1].error.value_or(""), "missing entry at end of line");
  EXPECT_EQ(f.records[2].error.value_or(""), "multiple values in ident field");
  EXPECT_EQ(f.records[2].span.begin.column, 9U);
  EXPECT_EQ(f.records[3].error.value_or(""), "multiple values in ident field");
  EXPECT_EQ(f.records[4].error.value_or(""), "invalid regular expression \"(\": parentheses () not balanced");
  EXPECT_FALSE(f.loads());
}

TEST(IdentParser, Versions) {
  auto f15 = parse_text("m \"/^a$\" /(bad\n", 15);
  EXPECT_FALSE(f15.records[0].error);  // 12-15: the pg user is a literal
  EXPECT_TRUE(f15.records[0].system_user.quoted);
  auto f16 = parse_text("m u /(bad\nm u +grp\n", 16);
  EXPECT_EQ(f16.records[0].error.value_or(""), "invalid regular expression \"(bad\": parentheses () not balanced");
  EXPECT_FALSE(f16.records[0].map_number);
  EXPECT_EQ(f16.records[1].map_number, 1);
  auto empty = parse_text("", 15);
  EXPECT_TRUE(empty.loads());
}

}  // namespace
