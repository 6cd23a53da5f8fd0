// Every file of the corpus' templates/ directory is a template that is not valid
// configuration as committed: the detector must find an unrendered construct outside
// comments in each of them, and nothing in the stock configuration samples.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "analysis/template_detect.hpp"

namespace fs = std::filesystem;
using pgl::analysis::detect_templates;
using pgl::analysis::TemplateDetectOptions;
using pgl::analysis::TemplateKind;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t live_constructs(const std::string& text) {
  TemplateDetectOptions opt;
  opt.conf_format = true;
  std::size_t n = 0;
  for (const auto& m : detect_templates(text, opt)) {
    n += m.in_comment ? 0 : 1;
  }
  return n;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(TemplatesCorpus, EveryTemplateFileIsDetected) {
  const fs::path dir = fs::path(PGL_SHARED_DIR) / "corpus" / "templates";
  if (!fs::exists(dir)) {
    GTEST_SKIP() << "no corpus at " << dir;
  }
  const auto files = files_in(dir);
  ASSERT_GE(files.size(), 30u);
  for (const auto& f : files) {
    EXPECT_GT(live_constructs(slurp(f)), 0u) << f.filename() << " has no unrendered template construct";
  }
}

TEST(TemplatesCorpus, StockConfigurationsAreNotTemplates) {
  const fs::path dir = fs::path(PGL_SHARED_DIR) / "corpus" / "conf";
  if (!fs::exists(dir)) {
    GTEST_SKIP() << "no corpus at " << dir;
  }
  std::size_t clean = 0;
  std::vector<std::string> flagged;
  for (const auto& f : files_in(dir)) {
    if (live_constructs(slurp(f)) == 0) {
      ++clean;
    } else {
      flagged.push_back(f.filename().string());
    }
  }
  // conf/ holds real configurations; none of them is a template.
  EXPECT_TRUE(flagged.empty()) << "flagged: " << ::testing::PrintToString(flagged);
  EXPECT_GT(clean, 50u);
}

TEST(TemplateDetect, Constructs) {
  const std::string text =
      "work_mem = {{ work_mem }}\n"
      "{% if x %}wal_level = archive\n"
      "data_directory = '/var/lib/<%= version %>/main'\n"
      "% if version >= 17:\n"
      "host all all ${net} md5\n"
      "host all all @@REPLICA@@ md5\n"
      "@remove-line-for-nolocal@local all all @authmethodlocal@\n"
      "# {{ ansible_managed }}\n"
      "ssl_ciphers = 'HIGH:!aNULL:@STRENGTH' # @x.y\n"
      "dynamic_library_path = '$libdir'\n"
      "{{ '#' if not on }}max_connections = 10\n"
      "log_line_prefix = '<%u%%%d> '\n";
  const auto m = detect_templates(text);
  ASSERT_EQ(m.size(), 10u);
  EXPECT_EQ(m[0].kind, TemplateKind::jinja);
  EXPECT_EQ(m[0].line, 1u);
  EXPECT_EQ(m[0].column, 12u);
  EXPECT_EQ(m[0].text, "{{ work_mem }}");
  EXPECT_EQ(m[1].text, "{% if x %}");
  EXPECT_EQ(m[2].kind, TemplateKind::erb);
  EXPECT_EQ(m[2].text, "<%= version %>");
  EXPECT_EQ(m[3].kind, TemplateKind::mako_line);
  EXPECT_EQ(m[4].kind, TemplateKind::dollar_brace);
  EXPECT_EQ(m[4].text, "${net}");
  EXPECT_EQ(m[5].kind, TemplateKind::at_placeholder);
  EXPECT_EQ(m[5].text, "@@REPLICA@@");
  EXPECT_EQ(m[6].text, "@remove-line-for-nolocal@");
  EXPECT_EQ(m[7].text, "@authmethodlocal@");
  EXPECT_TRUE(m[8].in_comment);
  EXPECT_EQ(m[9].line, 11u);
  EXPECT_FALSE(m[9].in_comment);
}

TEST(TemplateDetect, BlocksSpanningLines) {
  const std::string text =
      "<%- |\n"
      "  String[1] $name,\n"
      "| -%>\n"
      "local all all peer\n"
      "{#\n"
      " comment\n"
      "#} port = 1\n";
  const auto m = detect_templates(text);
  ASSERT_EQ(m.size(), 6u);
  EXPECT_EQ(m[0].kind, TemplateKind::erb);
  EXPECT_EQ(m[1].line, 2u);
  EXPECT_EQ(m[1].kind, TemplateKind::erb);
  EXPECT_EQ(m[2].line, 3u);
  EXPECT_EQ(m[2].text, "| -%>");
  EXPECT_EQ(m[3].line, 5u);
  EXPECT_EQ(m[5].line, 7u);
  EXPECT_EQ(m[5].text, "#}");
}

// Lines without a construct's first character are skipped unread: the lines and columns of
// what follows them are those of a line-by-line reading.
TEST(TemplateDetect, LinesAfterPlainLinesKeepTheirNumbers) {
  const std::vector<std::string> lines = {"local all all peer",
                                          "host all all 10.0.0.0/8 md5\r",
                                          "",
                                          "# plain comment",
                                          "host all @admins.txt 10.1.0.0/16 md5 # @x@",
                                          "\r",
                                          "host all all ${net} md5\r",
                                          "host \"a\" all {{ net }} md5 # {{ c }}",
                                          "local all all @method@",
                                          "",
                                          "host all all 127.0.0.1/32 trust",
                                          "@LAST@"};
  std::string text;
  std::vector<pgl::analysis::TemplateMatch> expected;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    text += lines[i];
    if (i + 1 < lines.size()) {
      text += '\n';
    }
    for (auto m : detect_templates(lines[i], {.quote = '"'})) {
      m.line = static_cast<std::uint32_t>(i + 1);
      expected.push_back(m);
    }
  }
  const auto found = detect_templates(text, {.quote = '"'});
  ASSERT_EQ(found.size(), expected.size());
  ASSERT_EQ(found.size(), 6u);
  for (std::size_t k = 0; k < found.size(); ++k) {
    EXPECT_EQ(found[k].line, expected[k].line) << k;
    EXPECT_EQ(found[k].column, expected[k].column) << k;
    EXPECT_EQ(found[k].text, expected[k].text) << k;
    EXPECT_EQ(found[k].in_comment, expected[k].in_comment) << k;
  }
  EXPECT_EQ(found[0].line, 5u);
  EXPECT_TRUE(found[0].in_comment);
  EXPECT_EQ(found[1].line, 7u);
  EXPECT_EQ(found[1].column, 14u);
  EXPECT_EQ(found[1].text, "${net}");
  EXPECT_EQ(found.back().line, 12u);
  EXPECT_EQ(found.back().column, 1u);
  EXPECT_TRUE(detect_templates(std::string(5000, '\n') + "local all all peer\n", {.quote = '"'}).empty());
}

TEST(TemplateDetect, BarePlaceholdersOnlyWhereTheValueCannotBeReal) {
  TemplateDetectOptions opt;
  opt.conf_format = true;
  const std::string text =
      "port = PG_PRIMARY_PORT\n"
      "log_statement = 'LOG_STATEMENT'\n"
      "client_encoding = SQL_ASCII\n"
      "timezone = 'UTC'\n"
      "work_mem = WORK_MEM # min 64kB\n"
      "archive_command = 'cp %p ${ARCHIVE_DIR}/%f'\n"
      "data_directory = '${PGDATA}'\n";
  const auto m = detect_templates(text, opt);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].kind, TemplateKind::bare_placeholder);
  EXPECT_EQ(m[3].line, 7u);
  EXPECT_EQ(m[3].kind, TemplateKind::dollar_brace);
  EXPECT_EQ(m[0].column, 8u);
  EXPECT_EQ(m[1].line, 2u);
  EXPECT_EQ(m[1].column, 18u);
  EXPECT_EQ(m[2].line, 5u);
  EXPECT_EQ(detect_templates(text).size(), 2u);  // both ${...}: no shell exemption outside conf mode
}
