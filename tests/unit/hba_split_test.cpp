// pg_hba.conf read in two parts (the second on another thread) gives what one sequential
// read gives: every record field, span, error, warning and rule number, the file's own
// results and the secrets the source set knows.
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/read_file.hpp"
#include "core/source.hpp"
#include "parse/auth_common.hpp"
#include "parse/parse.hpp"

namespace {

namespace fs = std::filesystem;
using pgl::core::Span;
using pgl::model::AuthToken;
using pgl::model::HbaFile;
using pgl::model::HbaRecord;

std::string text_of(const Span& s) {
  return s.begin.file.str() + ":" + std::to_string(s.begin.line) + ":" + std::to_string(s.begin.column) + "-" +
         std::to_string(s.end_line) + ":" + std::to_string(s.end_column);
}

std::string text_of(const std::optional<std::string>& s) {
  return s ? "\"" + *s + "\"" : "null";
}

void tokens(std::ostringstream& o, const std::vector<AuthToken>& ts) {
  o << "[";
  for (const auto& t : ts) {
    o << "{" << t.text << "|" << t.quoted << t.unknown << "|" << text_of(t.span) << "}";
  }
  o << "]";
}

// Every field of a record.
std::string text_of(const HbaRecord& r) {
  std::ostringstream o;
  o << r.file.str() << ":" << r.line << " rule=" << (r.rule_number ? std::to_string(*r.rule_number) : "null")
    << " type=" << static_cast<int>(r.type) << "@" << text_of(r.type_span) << " db=";
  tokens(o, r.databases);
  o << " users=";
  tokens(o, r.users);
  o << " addr=" << static_cast<int>(r.addr_kind) << "," << r.address << "," << r.netmask << "@"
    << text_of(r.address_span);
  if (r.net) {
    o << " net=" << r.net->family << "/" << r.net->prefix << ":";
    for (const auto b : r.net->bytes) {
      o << static_cast<int>(b) << ".";
    }
  }
  o << " method=" << r.method << "@" << text_of(r.method_span) << " options=";
  for (const auto& opt : r.options) {
    o << "{" << opt.name << "=" << opt.value << "@" << text_of(opt.span) << "}";
  }
  o << " view=";
  for (const auto& v : r.view_options) {
    o << v << ";";
  }
  o << " error=" << text_of(r.error) << " fatal=" << r.fatal << " view_null=" << r.view_null
    << " warning=" << text_of(r.warning) << "@" << text_of(r.error_span);
  return o.str();
}

std::string text_of(const HbaFile& f) {
  std::ostringstream o;
  o << f.path << " error=" << text_of(f.file_error) << " query_fails=" << f.query_fails << " refused=" << f.refused
    << " missing=" << f.missing_files.size() << " unknown_from=" << f.unknown_lines_from.value_or(SIZE_MAX)
    << " loads=" << f.loads() << " records=" << f.records.size();
  return o.str();
}

bool two_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return ::sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) >= 2;
}

class HbaSplit : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / fs::path("pgl-hba-split-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(m_dir);
  }
  void TearDown() override {
    pgl::parse::auth::set_hba_split_from(8192);
    fs::remove_all(m_dir);
  }
  std::string write(const std::string& rel, const std::string& text) {
    const fs::path p = m_dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  struct Read {
    HbaFile file;
    pgl::core::SourceSet sources;
  };
  // How the file is read: in one part, in two (the second on another thread), in two
  // with the second read after the first on this thread (deterministically: every @file
  // the first part expanded is known to the second).
  enum class Mode { one, threaded, after };
  Read read(const std::string& path, int version, Mode mode) {
    const bool split = mode != Mode::one;
    pgl::parse::auth::set_hba_split_from(split ? 1 : SIZE_MAX, mode == Mode::after);
    pgl::core::reset_read_budget();
    Read r;
    pgl::parse::AuthParseOptions o;
    o.pg_version = version;
    o.oauth_validator_libraries = "v1";
    const std::size_t before = pgl::parse::auth::hba_splits();
    r.file = pgl::parse::parse_hba(path, o, r.sources);
    // (a process bound to one CPU reads in one part but for the `after` mode)
    const bool splits = mode == Mode::after || (split && two_cpus());
    EXPECT_EQ(pgl::parse::auth::hba_splits() - before, splits ? 1U : 0U) << path;
    return r;
  }

  // The two reads of `text` (as pg_hba.conf) under `version` agree in everything.
  void same(const std::string& text, int version) {
    const std::string path = write("pg_hba.conf", text);
    const Read one = read(path, version, Mode::one);
    for (const Mode mode : {Mode::threaded, Mode::after}) {
      SCOPED_TRACE(mode == Mode::threaded ? "threaded" : "after");
      same(one, read(path, version, mode), version);
    }
  }

  static void same(const Read& one, const Read& two, int version) {
    EXPECT_EQ(text_of(one.file), text_of(two.file)) << "version " << version;
    ASSERT_EQ(one.file.records.size(), two.file.records.size()) << "version " << version;
    for (std::size_t i = 0; i < one.file.records.size(); ++i) {
      ASSERT_EQ(text_of(one.file.records[i]), text_of(two.file.records[i]))
          << "record " << i << ", version " << version;
    }
    // The same files, and the same secret bytes masked on every line of each.
    std::vector<std::string> files_one, files_two;
    for (const auto* f : one.sources.files()) {
      files_one.push_back(f->path());
    }
    for (const auto* f : two.sources.files()) {
      files_two.push_back(f->path());
    }
    ASSERT_EQ(files_one, files_two);
    for (const auto* f : one.sources.files()) {
      for (std::uint32_t line = 1; line <= f->line_count(); ++line) {
        std::string a(f->line(line)), b(f->line(line));
        const bool masked_one = one.sources.mask_secrets(f->path(), line, a);
        const bool masked_two = two.sources.mask_secrets(f->path(), line, b);
        EXPECT_EQ(masked_one, masked_two) << f->path() << ":" << line;
        EXPECT_EQ(a, b) << f->path() << ":" << line;
      }
    }
  }

  fs::path m_dir;
};

const int k_versions[] = {12, 13, 14, 15, 16, 17, 18};

// Lines of every kind: loading, failing, warning (hostssl with SSL off), comments and blank
// lines, continuations, CRLF, @files, include directives, secrets, version differences.
std::string random_file(std::mt19937& rng, int lines) {
  static const std::vector<std::string> k_lines = {
      "host db{i} u{i} 10.{a}.{b}.1/32 md5",
      "host db{i} u{i} 10.{a}.{b}.0/24 scram-sha-256",
      "local all all peer",
      "local all all ident",
      "hostssl all all 0.0.0.0/0 cert",
      "hostnossl all all ::1/128 md5",
      "hostgssenc all all 0.0.0.0/0 md5",
      "hostnogssenc all all samenet trust",
      "host all all 10.0.0.1 255.255.255.0 md5",
      "host all all 10.0.0.1 255.255.255.0,1 md5",
      "host all all 1.2.3.4/33 md5",
      "host all all",
      "host all all app{i}.example.com md5",
      "bogus all all peer",
      "host all all all gss include_realm=0 krb_realm=EX map=m{i}",
      "host all all all ldap ldapserver=x ldapbasedn=\"dc=ex\" ldapbindpasswd=secret{i}",
      "host all all all ldap ldapserver=x ldapbasedn=dc ldapbindpasswd=\"sec ret{i}\" ldapbinddn=cn",
      "host all all all radius radiusservers=a,b radiussecrets=s{i}, t{i} radiusports=1,2",
      "host all all all radius radiusservers=a radiussecrets=s{i},t{i}",
      "host all all all radius radiusservers=a",
      "local \"all\",db{i},\"q\"\"uote\" +grp,u{i} trust",
      "local /^db[0-9]+$ all trust",
      "local /( all trust",
      "host all @users.txt 10.9.{a}.0/24 md5",
      "host all @users.txt,u{i} 10.9.{a}.0/24 md5",
      "host @dbs.txt all all md5",
      "host all @missing{i}.txt all md5",
      "host all all all @methods.txt",
      "local all all \"inc\"\"lude\" trust",
      "include extra.conf",
      "include_if_exists missing.conf",
      "include_if_exists extra.conf",
      "include_dir conf.d",
      "\"inc\"lude extra.conf",
      "host all all all oauth issuer=https://x scope=openid",
      "host all all all md5 clientcert=verify-ca",
      "hostssl all all all md5 clientcert=verify-full clientname=DN",
      "# a comment {i}",
      "",
      "   \t",
      "  # indented comment",
      "host all all 10.0.0.0/8 md5 # trailing",
      "host all \\\n all 10.1.0.0/16 md5",
      "host all all \\\n\\\n 10.2.0.0/16 md5",
      "host all all 10.3.0.0/16 md5 \\",
      "local all all trust\\",
      "local all all peer\r",
      "host , all,, all  10.4.0.0/16 , md5",
      "host \"unterminated all all md5",
  };
  std::uniform_int_distribution<std::size_t> pick(0, k_lines.size() - 1);
  std::string out;
  for (int i = 0; i < lines; ++i) {
    std::string l = k_lines[pick(rng)];
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"{i}", std::to_string(i)},
                                     {"{a}", std::to_string(i / 250 % 250)},
                                     {"{b}", std::to_string(i % 250)}}) {
      for (std::size_t at; (at = l.find(key)) != std::string::npos;) {
        l.replace(at, key.size(), value);
      }
    }
    out += l;
    out += rng() % 5 == 0 ? "\r\n" : "\n";
  }
  return out;
}

TEST_F(HbaSplit, SameRecordsAsOneReadOnRandomFiles) {
  write("users.txt", "alice, bob\n\"carol dee\" +team\n");
  write("dbs.txt", "db1 db2\n");
  write("methods.txt", "md5\n");
  write("extra.conf", "host all all 10.50.0.0/16 md5\nhost all @users.txt all md5\nbogus line\n");
  write("conf.d/a.conf", "local all all peer\n");
  write("conf.d/b.conf", "host all all all ldap ldapserver=x ldapbasedn=dc ldapbindpasswd=pw\n");
  std::mt19937 rng(20261202);
  for (int round = 0; round < 12; ++round) {
    const std::string text = random_file(rng, 40 + round * 17);
    for (const int v : k_versions) {
      SCOPED_TRACE("round " + std::to_string(round));
      same(text, v);
    }
  }
}

// Errors in both parts: the file does not load either way; the records before and after
// the middle keep their own errors and the rule numbers run on over the whole file.
TEST_F(HbaSplit, ErrorsInBothPartsAndRuleNumbersOverTheFile) {
  std::string text;
  for (int i = 0; i < 400; ++i) {
    text +=
        i % 97 == 5 ? "host all all 1.2.3.4/33 md5\n" : "host all all 10.0.0." + std::to_string(i % 250) + "/32 md5\n";
    text += i % 89 == 7 ? "hostssl all all all md5\n" : "";
  }
  text += "host all all 1.2.3.4/99 md5\n";
  for (const int v : k_versions) {
    same(text, v);
  }
  const std::string path = write("pg_hba.conf", text);
  const Read r = read(path, 16, Mode::threaded);
  EXPECT_FALSE(r.file.loads());
  // Numbers count the rows without an error, over the whole file.
  int expected = 0;
  for (const auto& rec : r.file.records) {
    if (!rec.error) {
      ASSERT_TRUE(rec.rule_number.has_value()) << rec.line;
      EXPECT_EQ(*rec.rule_number, ++expected) << rec.line;
    } else {
      EXPECT_FALSE(rec.rule_number.has_value()) << rec.line;
    }
  }
  EXPECT_GT(expected, 300);
}

// A file that loads: `contains no entries` is decided over the whole file, and the line
// numbers carry over into the second part.
TEST_F(HbaSplit, LineNumbersCarryOverAndEntriesAreCountedOverTheFile) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += "# comment " + std::to_string(i) + "\n\n";
  }
  text += "local all all peer\n";
  for (const int v : k_versions) {
    same(text, v);
  }
  const std::string path = write("pg_hba.conf", text);
  const Read r = read(path, 15, Mode::threaded);
  ASSERT_EQ(r.file.records.size(), 1U);
  EXPECT_EQ(r.file.records[0].line, 601U);
  EXPECT_FALSE(r.file.file_error.has_value());
  const Read none = read(write("pg_hba.conf", text.substr(0, text.size() - 19)), 15, Mode::after);
  EXPECT_EQ(none.file.file_error.value_or(""),
            "configuration file \"" + (m_dir / "pg_hba.conf").string() + "\" contains no entries");
}

// The middle of the file falls on a line continued over several physical lines (16+), on
// comments and blank lines, on CRLF line ends: the split moves to a logical line start.
TEST_F(HbaSplit, ContinuationsCommentsAndCrlfAtTheMiddle) {
  const std::string head(2000, '#');
  for (const std::string& middle :
       {std::string("host all \\\nall \\\r\n\\\n10.0.0.0/8 \\\r\nmd5\n"), std::string("\n\n# c \\\n\n\r\n"),
        std::string("local all all trust \\\r\r\n\\\n\\\n   \\\n"), std::string("host all all all md5\\\n")}) {
    std::string text = "\n" + head + "\n";
    for (int i = 0; i < 30; ++i) {
      text += middle;
    }
    text += "local all all peer\n" + head + "\n";
    for (const int v : k_versions) {
      same(text, v);
    }
  }
}

// Lines of the second part that name an @file or include another file are read by the
// caller at their places (the @file cache, the read budget and the source set in order).
TEST_F(HbaSplit, AtFilesAndIncludesInTheSecondPart) {
  write("users.txt", "alice bob\n");
  write("inc.conf", "host all @users.txt 10.0.0.0/8 md5\nlocal all all peer\nlocal all all \\\n peer\n");
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "local all all peer\n";
  }
  for (int i = 0; i < 200; ++i) {
    text += i % 10 == 0   ? "include inc.conf\n"
            : i % 10 == 5 ? "host all @users.txt all md5\n"
                          : "local all all trust\n";
  }
  text += "include_if_exists nowhere.conf\ninclude inc.conf\n";
  for (const int v : k_versions) {
    same(text, v);
  }
  const Read r = read(write("pg_hba.conf", text), 16, Mode::after);
  EXPECT_TRUE(r.file.loads());
  EXPECT_EQ(r.file.records.size(), 200U + 180 + 21 * 3);  // 21 includes of 3 lines
  EXPECT_EQ(r.file.records.back().file.str(), (m_dir / "inc.conf").string());
}

// The read budget spent by @file references of the second part: the run stops at the same
// reference with the same message.
TEST_F(HbaSplit, BudgetSpentInTheSecondPart) {
  write("users.txt", "alice bob\n");
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += "host all @users.txt 10.0.0.0/8 md5\n";
  }
  const std::string path = write("pg_hba.conf", text);
  for (const int v : {15, 16}) {
    std::vector<std::string> messages;
    for (const Mode mode : {Mode::one, Mode::threaded, Mode::after}) {
      pgl::parse::auth::set_hba_split_from(mode == Mode::one ? SIZE_MAX : 1, mode == Mode::after);
      pgl::core::reset_read_budget();
      pgl::core::read_budget().max_references = 250;
      pgl::core::SourceSet sources;
      pgl::parse::AuthParseOptions o;
      o.pg_version = v;
      try {
        (void)pgl::parse::parse_hba(path, o, sources);
        messages.emplace_back("no error");
      } catch (const std::exception& e) {
        messages.emplace_back(e.what());
      }
      EXPECT_EQ(pgl::core::read_budget().references, 251U);
    }
    pgl::core::reset_read_budget();
    EXPECT_NE(messages[0].find("more than 250 @file and include references"), std::string::npos) << messages[0];
    EXPECT_EQ(messages[0], messages[1]);
    EXPECT_EQ(messages[0], messages[2]);
  }
}

// A token too long for 12-15 in the second part.
TEST_F(HbaSplit, TooLongTokensInTheSecondPart) {
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += "local all all peer\n";
  }
  text += "local " + std::string(10300, 'd') + " all peer\n";
  text += "host all @" + std::string(10300, 'u') + " all md5\n";
  for (const int v : k_versions) {
    same(text, v);
  }
}

// split_point: an offset where the lines of every version start a logical line.
TEST(HbaSplitPoint, StartsALogicalLine) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"a", "\\", "\n", "\r", "\r\n", "\\\n", "\\\r\n", " ", "#", "\"", "\n\n"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  int found = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t n = 1 + rng() % 60;
    for (std::size_t i = 0; i < n; ++i) {
      text += pieces[pick(rng)];
    }
    const std::size_t at = pgl::parse::auth::split_point(text, rng() % (text.size() + 1));
    if (at == 0) {
      continue;
    }
    ++found;
    ASSERT_LT(at, text.size()) << text;
    ASSERT_EQ(text[at - 1], '\n') << text;
    for (const int v : {13, 16}) {
      std::vector<std::size_t> starts;
      std::size_t pos = 0;
      std::uint32_t line = 1;
      pgl::parse::auth::LogicalLine l;
      starts.push_back(pos);
      while (pgl::parse::auth::next_line(text, pos, line, v, l)) {
        starts.push_back(pos);
      }
      EXPECT_NE(std::find(starts.begin(), starts.end(), at), starts.end()) << "version " << v << ": " << text;
    }
  }
  EXPECT_GT(found, 1000);
  EXPECT_EQ(pgl::parse::auth::split_point("no newline", 5), 0U);
  EXPECT_EQ(pgl::parse::auth::split_point("a\\\nb\\\nc\n", 3), 0U);
  EXPECT_EQ(pgl::parse::auth::split_point("a\nb\nc\nd\n", 4), 6U);  // after the line holding the byte
}

}  // namespace
