// The run's SourceSet: a file already in it is not read again, by any reader (the run sees
// one content per file; the fuzz targets hand their inputs to the parsers this way).
#include <string>

#include <gtest/gtest.h>

#include "core/source.hpp"
#include "parse/parse.hpp"

TEST(SourceSetFiles, HbaAndIdentFilesInTheSetAreNotReadAgain) {
  // Paths with no file behind them: everything comes from the set.
  const std::string dir = "/nonexistent-pgl-source-set";
  pgl::core::SourceSet sources;
  sources.add(dir + "/pg_hba.conf", "local all @users.txt peer\ninclude more.conf\n");
  sources.add(dir + "/users.txt", "alice, bob\n");
  sources.add(dir + "/more.conf", "host all carol 10.0.0.0/8 scram-sha-256\n");
  pgl::parse::AuthParseOptions o;
  o.pg_version = 16;
  const auto hba = pgl::parse::parse_hba(dir + "/pg_hba.conf", o, sources);
  ASSERT_FALSE(hba.file_error) << *hba.file_error;
  ASSERT_EQ(hba.records.size(), 2U);
  ASSERT_EQ(hba.records[0].users.size(), 2U);
  EXPECT_EQ(hba.records[0].users[1].text, "bob");
  EXPECT_EQ(hba.records[1].users.at(0).text, "carol");
  EXPECT_EQ(hba.records[1].file, dir + "/more.conf");

  sources.add(dir + "/pg_ident.conf", "m alice postgres\n");
  const auto ident = pgl::parse::parse_ident(dir + "/pg_ident.conf", o, sources);
  ASSERT_FALSE(ident.file_error) << *ident.file_error;
  ASSERT_EQ(ident.records.size(), 1U);
  EXPECT_FALSE(ident.records[0].error) << *ident.records[0].error;

  // A file not in the set is read (and missing here).
  const auto missing = pgl::parse::parse_hba(dir + "/other.conf", o, sources);
  EXPECT_TRUE(missing.file_error);
}
