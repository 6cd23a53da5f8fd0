// Renderer tests: golden files in tests/golden/ (UPDATE_GOLDEN=1 rewrites them).
#include "report/report.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace pgl;
using core::Diagnostic;
using core::Severity;
using core::Span;

const std::string k_golden_dir = std::string(PGL_SOURCE_DIR) + "/tests/golden/";

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = k_golden_dir + name;
  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with UPDATE_GOLDEN=1)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), actual) << "golden file " << path << " differs (UPDATE_GOLDEN=1 rewrites it)";
}

struct Sample {
  core::SourceSet sources;
  report::ReportInput input;

  Sample() {
    sources.add("/srv/pg/pg_hba.conf",
                "# TYPE DATABASE USER ADDRESS METHOD\n"
                "local all all peer\n"
                "host all all 0.0.0.0/0 trust\n"
                "host\treplication rep 10.0.0.0/8 md5\n"
                "host all all 10.1.0.0/16 ldap ldapserver=ldap ldapbindpasswd=hunter2\n");
    sources.add("/srv/pg/postgresql.conf",
                "ssl = off\n"
                "primary_conninfo = 'host=p password=hunter2'\n"
                "ssl = off\n");
    Diagnostic trust;
    trust.rule = "hba-trust-over-network";
    trust.severity = Severity::error;
    trust.message = "'trust' authentication for connections from any address";
    trust.span = Span{{"/srv/pg/pg_hba.conf", 3, 24}, 3, 29};
    trust.help = "use scram-sha-256";
    Diagnostic md5;
    md5.rule = "hba-md5";
    md5.severity = Severity::warning;
    md5.message = "md5 authentication";
    md5.span = Span::at("/srv/pg/pg_hba.conf", 4, 32, 3);  // after a tab
    Diagnostic ldap;
    ldap.rule = "hba-ldap-bind-password";
    ldap.severity = Severity::note;
    ldap.message = "ldapbindpasswd=hunter2 is stored in clear text";
    ldap.span = Span::at("/srv/pg/pg_hba.conf", 5, 49, 22);
    Diagnostic dup;
    dup.rule = "conf-duplicate-setting";
    dup.severity = Severity::warning;
    dup.message = "'ssl' set twice; last value wins";
    dup.span = Span{{"/srv/pg/postgresql.conf", 3, 1}, 0, 0};
    dup.related.push_back({Span::at("/srv/pg/postgresql.conf", 1, 1, 3), "first set here"});
    Diagnostic whole;
    whole.rule = "ssl-key-permissions";
    whole.severity = Severity::error;
    whole.message = "private key is readable by others";
    whole.span = Span{{"/srv/pg/server.key", 0, 0}, 0, 0};
    Diagnostic line_only;
    line_only.rule = "conf-primary-conninfo-password";
    line_only.severity = Severity::warning;
    line_only.message = "password in primary_conninfo";
    line_only.span = Span{{"/srv/pg/postgresql.conf", 2, 0}, 0, 0};
    input.diagnostics = {trust, md5, ldap, dup, whole, line_only};
    std::sort(input.diagnostics.begin(), input.diagnostics.end(), core::diagnostic_less);
    input.sources = {&sources};
    input.files = 3;
  }
};

TEST(ReportText, Golden) {
  Sample s;
  report::RenderOptions o;
  o.cwd = "/srv";
  const std::string out = report::render(report::Format::text, s.input, o);
  check_golden("text.txt", out);
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
  EXPECT_EQ(out.find("\033["), std::string::npos);
}

// Every control character but tab is shown as '?', wherever it falls in the text (the
// renderer checks eight bytes at a time); tab, DEL's neighbours and UTF-8 bytes are kept.
TEST(ReportText, ControlCharactersShownAsQuestionMarks) {
  std::string raw;
  std::string shown;
  for (int u = 0; u < 256; ++u) {
    raw += static_cast<char>(u);
    shown += (u < 0x20 && u != '\t') || u == 0x7f ? '?' : static_cast<char>(u);
  }
  for (std::size_t offset = 0; offset < 9; ++offset) {
    for (const char c : {'\x01', '\x1b', '\x1f', '\x7f', '\t', ' ', '~', '\x80', '\xff'}) {
      const std::string text = std::string(offset, 'a') + c + "bcdefghijklmnop" + raw;
      const char want = (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f' ? '?' : c;
      report::ReportInput input;
      Diagnostic d;
      d.rule = "hba-md5";
      d.message = text;
      d.span = Span{{"/srv/pg/pg_hba.conf", 0, 0}, 0, 0};
      input.diagnostics = {d};
      const std::string out = report::render(report::Format::text, input, report::RenderOptions{});
      const std::string expected = std::string(offset, 'a') + want + "bcdefghijklmnop" + shown;
      EXPECT_NE(out.find(": " + expected + " [hba-md5]"), std::string::npos) << offset << " " << int(c);
    }
  }
}

// render_to hands over render()'s bytes, in pieces for the text format.
TEST(ReportText, PiecesAreTheWholeReport) {
  Sample s;
  report::RenderOptions o;
  o.cwd = "/srv";
  for (const auto format : {report::Format::text, report::Format::json, report::Format::sarif}) {
    for (const std::size_t piece : {std::size_t{1}, std::size_t{100}, std::size_t{1} << 20}) {
      std::string joined;
      std::size_t calls = 0;
      report::render_to(
          format, s.input, o,
          [&](std::string_view p) {
            joined += p;
            ++calls;
          },
          piece);
      EXPECT_EQ(joined, report::render(format, s.input, o));
      if (format != report::Format::text || piece == std::size_t{1} << 20) {
        EXPECT_EQ(calls, 1u);
      } else if (piece == 1) {
        EXPECT_EQ(calls, s.input.diagnostics.size() + 1);  // each finding, then the summary
      } else {
        EXPECT_GT(calls, 1u);
      }
    }
  }
  o.quiet = true;
  o.fail_on = lint::FailOn::error;
  std::string joined;
  report::render_to(
      report::Format::text, s.input, o, [&](std::string_view p) { joined += p; }, 1);
  EXPECT_EQ(joined, report::render(report::Format::text, s.input, o));
  EXPECT_EQ(joined.find("md5 authentication"), std::string::npos);
}

// A large report is rendered in chunks on two threads: the same bytes, in order, as the one
// renderer's (and the chunks reach the writer one at a time, never the whole report).
TEST(ReportText, LargeReportRenderedInChunksIsTheWholeReport) {
  Sample s;
  const std::vector<Diagnostic> sample = s.input.diagnostics;
  s.input.diagnostics.clear();
  for (std::uint32_t i = 0; i < 20000; ++i) {
    Diagnostic d = sample[i % sample.size()];
    d.message += " #" + std::to_string(i);  // each finding's text its own
    s.input.diagnostics.push_back(std::move(d));
  }
  report::RenderOptions o;
  o.cwd = "/srv";
  const std::string whole = report::render(report::Format::text, s.input, o);
  std::string joined;
  std::size_t calls = 0;
  std::size_t largest = 0;
  report::render_to(report::Format::text, s.input, o, [&](std::string_view p) {
    joined += p;
    ++calls;
    largest = std::max(largest, p.size());
  });
  EXPECT_EQ(joined, whole);
  EXPECT_GT(calls, 10u);
  EXPECT_LT(largest, whole.size() / 4);
  EXPECT_NE(whole.find("md5 authentication #19999 [hba-md5]"), std::string::npos);
}

TEST(ReportText, ColorGolden) {
  Sample s;
  report::RenderOptions o;
  o.color = true;
  check_golden("text-color.txt", report::render(report::Format::text, s.input, o));
}

TEST(ReportText, QuietFiltersBelowFailOnAndHidesCleanSummary) {
  Sample s;
  report::RenderOptions o;
  o.quiet = true;
  o.fail_on = lint::FailOn::error;
  const std::string out = report::render(report::Format::text, s.input, o);
  EXPECT_NE(out.find("[hba-trust-over-network]"), std::string::npos);
  EXPECT_EQ(out.find("[hba-md5]"), std::string::npos);
  EXPECT_NE(out.find("2 errors, 0 warnings, 0 notes in 3 files"), std::string::npos);
  o.fail_on = lint::FailOn::never;
  EXPECT_EQ(report::render(report::Format::text, s.input, o), "");
  report::ReportInput clean;
  clean.files = 2;
  EXPECT_EQ(report::render(report::Format::text, clean, o), "");
  o.quiet = false;
  EXPECT_EQ(report::render(report::Format::text, clean, o), "no problems in 2 files\n");
}

TEST(ReportText, Summary) {
  Sample s;
  EXPECT_EQ(report::summary_line(s.input.diagnostics, 1), "2 errors, 3 warnings, 1 note in 1 file");
}

TEST(ReportJson, Golden) {
  Sample s;
  const std::string out = report::render(report::Format::json, s.input, {});
  check_golden("output.json", out);
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
  const auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["diagnostics"].size(), 6U);
  EXPECT_EQ(doc["summary"]["errors"], 2);
  EXPECT_EQ(doc["summary"]["files"], 3);
}

TEST(ReportSarif, Structure) {
  Sample s;
  report::RenderOptions o;
  o.cwd = "/srv";
  const auto doc = nlohmann::json::parse(report::render(report::Format::sarif, s.input, o));
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "pgconflint");
  bool has_unused = false;
  for (const auto& r : run["tool"]["driver"]["rules"]) {
    has_unused = has_unused || r["id"] == "lint-unused-suppression";
    EXPECT_TRUE(r.contains("shortDescription"));
    EXPECT_TRUE(r.contains("defaultConfiguration"));
  }
  EXPECT_TRUE(has_unused);
  ASSERT_EQ(run["results"].size(), 6U);
  const auto& first = run["results"][0];  // hba-trust-over-network, pg/pg_hba.conf:3:24
  EXPECT_EQ(first["ruleId"], "hba-trust-over-network");
  EXPECT_EQ(first["level"], "error");
  const auto& loc = first["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "pg/pg_hba.conf");
  EXPECT_EQ(loc["region"]["startLine"], 3);
  EXPECT_EQ(loc["region"]["startColumn"], 24);
  EXPECT_EQ(loc["region"]["endColumn"], 29);
  // Outside the cwd: an absolute file URI.
  o.cwd = "/elsewhere";
  const auto doc2 = nlohmann::json::parse(report::render(report::Format::sarif, s.input, o));
  EXPECT_EQ(doc2["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///srv/pg/pg_hba.conf");
  // Related locations.
  bool related = false;
  for (const auto& r : doc["runs"][0]["results"]) {
    if (r.contains("relatedLocations")) {
      related = true;
      EXPECT_EQ(r["relatedLocations"][0]["message"]["text"], "first set here");
    }
  }
  EXPECT_TRUE(related);
}

TEST(ReportGithub, Escaping) {
  EXPECT_EQ(report::github_escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
  EXPECT_EQ(report::github_escape_property("a:b,c%d\n"), "a%3Ab%2Cc%25d%0A");
}

TEST(ReportGithub, Commands) {
  Sample s;
  report::RenderOptions o;
  o.cwd = "/srv";
  const std::string out = report::render(report::Format::github, s.input, o);
  EXPECT_NE(out.find("::error file=pg/pg_hba.conf,line=3,col=24,endColumn=29,title=hba-trust-over-network::"
                     "'trust' authentication for connections from any address%0Ahelp: use scram-sha-256\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("::notice file=pg/pg_hba.conf,line=5,"), std::string::npos);
  EXPECT_NE(out.find("::error file=pg/server.key,title=ssl-key-permissions::private key is readable by others\n"),
            std::string::npos);
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
  // One command per finding, each on a single line.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 6);
}

}  // namespace
