// The pipeline's contracts: findings built through Rule::diag carry the rule's own id and
// severity; the TLS files of a configuration are read once per check, however many ssl
// rules look at them; drift findings are post-processed like every other finding.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "analysis/hba_template.hpp"
#include "lint/engine.hpp"
#include "load/loader.hpp"
#include "model/drift.hpp"
#include "tls/x509.hpp"

namespace {

namespace fs = std::filesystem;
using pgl::core::Severity;

class SampleRule final : public pgl::lint::Rule {
 public:
  static constexpr pgl::lint::RuleMeta k_meta{"conf-sample", "sample", Severity::note};
  [[nodiscard]] const pgl::lint::RuleMeta& meta() const override { return k_meta; }
  void check(const pgl::model::Config& /*config*/, pgl::lint::LintContext& ctx) const override {
    const auto here = pgl::core::Span::at("/x/postgresql.conf", 3, 1, 4);
    diag(ctx, here, "plain").help("fix it");
    diag(ctx, here, "raised").severity(Severity::error).note(pgl::core::Span::at("/x/a.conf", 1, 1), "there");
  }
};

TEST(FindingBuilder, BoundToTheRule) {
  SampleRule rule;
  pgl::model::Config config;
  pgl::lint::LintContext ctx;
  rule.check(config, ctx);
  const auto& d = ctx.diagnostics();
  ASSERT_EQ(d.size(), 2U);
  EXPECT_EQ(d[0].rule, "conf-sample");
  EXPECT_EQ(d[0].severity, Severity::note);
  EXPECT_EQ(d[0].message, "plain");
  EXPECT_EQ(d[0].help, "fix it");
  EXPECT_EQ(d[0].span.begin.line, 3U);
  EXPECT_EQ(d[1].rule, "conf-sample");
  EXPECT_EQ(d[1].severity, Severity::error);
  ASSERT_EQ(d[1].related.size(), 1U);
  EXPECT_EQ(d[1].related[0].message, "there");
}

std::map<std::string, int>& opened() {
  static std::map<std::string, int> m;
  return m;
}

TEST(Facts, OneCheckOpensEachTlsFileOnce) {
  const fs::path dir = fs::path(PGL_SOURCE_DIR) / "rules/ssl/ssl-cert-revoked.fixtures/revoked-leaf";
  pgl::model::LoadOptions lo;
  lo.paths = {dir.string()};
  auto config = pgl::load::load_config(lo);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  pgl::lint::EngineOptions options;
  options.profile = pgl::lint::Profile::strict;  // as many rules as possible
  auto selection = pgl::lint::select_rules(options);
  ASSERT_TRUE(selection.has_value());
  pgl::lint::LintContext ctx;
  ctx.now = *pgl::lint::parse_timestamp("2026-01-01");

  opened().clear();
  pgl::tls::set_read_observer([](const std::string& path) { ++opened()[fs::path(path).filename().string()]; });
  const auto found = pgl::lint::run(*config, ctx, *selection);
  pgl::tls::set_read_observer(nullptr);

  EXPECT_FALSE(found.empty());  // the case's revoked certificate is reported
  for (const char* name : {"server.crt", "server.key", "root.crt", "server.crl"}) {
    EXPECT_EQ(opened()[name], 1) << name;
  }
  // A second configuration (another check) reads them again: facts are per configuration.
  auto again = pgl::load::load_config(lo);
  ASSERT_TRUE(again.has_value());
  opened().clear();
  pgl::tls::set_read_observer([](const std::string& path) { ++opened()[fs::path(path).filename().string()]; });
  (void)pgl::lint::run(*again, ctx, *selection);
  pgl::tls::set_read_observer(nullptr);
  EXPECT_EQ(opened()["server.crt"], 1);
}

TEST(Pipeline, DriftFindingsAreOrdinaryFindings) {
  pgl::model::ClusterFacts facts;
  pgl::model::DriftFact f;
  f.kind = pgl::model::DriftKind::weaker_security;
  f.span = pgl::core::Span::at("/r/pg_hba.conf", 1, 1);
  f.message = "weaker";
  f.help = "use the primary's line";
  facts.drift.push_back(f);
  f.kind = pgl::model::DriftKind::setting;
  f.message = "differs";
  facts.drift.push_back(f);

  // The rule gives id and default severity.
  const auto all = pgl::lint::cluster_findings(facts);
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].rule, "drift-setting");
  EXPECT_EQ(all[0].severity, Severity::warning);
  EXPECT_EQ(all[1].rule, "drift-weaker-security");
  EXPECT_EQ(all[1].severity, Severity::error);

  // Overrides and enable/disable apply as to any rule.
  pgl::lint::EngineOptions options;
  options.disable = {"drift-setting"};
  options.severity["drift-weaker-security"] = Severity::note;
  auto selection = pgl::lint::select_rules(options);
  ASSERT_TRUE(selection.has_value());
  pgl::lint::LintContext ctx;
  const auto kept = pgl::lint::finish(pgl::lint::run_cluster_rules(facts, ctx, *selection), {}, *selection,
                                      pgl::lint::RunScope{.config = false, .cluster = true});
  ASSERT_EQ(kept.size(), 1U);
  EXPECT_EQ(kept[0].rule, "drift-weaker-security");
  EXPECT_EQ(kept[0].severity, Severity::note);
}

}  // namespace

// A large pg_hba.conf is searched for template syntax while its model is built: the answer
// is the one-thread answer (the first construct outside comments), and is kept for the model.
TEST(HbaTemplate, LargeFileSearchedBesideTheModel) {
  const fs::path dir = fs::temp_directory_path() / fs::path("pgl-hba-template-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string text;
  for (int i = 0; i < 12000; ++i) {
    text += "host all all 10." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + ".0/24 md5";
    text += i == 11000 ? " # {{ comment }}\n" : "\n";
  }
  text += "host all all {{ net }} md5\n";
  for (const bool with_template : {true, false}) {
    std::ofstream(dir / "pg_hba.conf", std::ios::binary) << (with_template ? text : text.substr(0, text.rfind("host")));
    pgl::model::LoadOptions lo;
    lo.paths = {(dir / "pg_hba.conf").string()};
    lo.pg_version = 15;
    auto config = pgl::load::load_config(lo);
    ASSERT_TRUE(config.has_value()) << config.error().message;
    ASSERT_GE(config->hba->records.size(), 12000u);
    const auto t = pgl::analysis::hba_template(*config);
    ASSERT_NE(config->hba_model, nullptr);
    ASSERT_EQ(t->match.has_value(), with_template);
    if (with_template) {
      EXPECT_EQ(t->match->line, 12001u);
      EXPECT_EQ(t->match->text, "{{ net }}");
      EXPECT_EQ(t->file, (dir / "pg_hba.conf").string());
    }
    EXPECT_EQ(pgl::analysis::hba_template(*config), t);  // kept for the model
  }
  fs::remove_all(dir);
}
