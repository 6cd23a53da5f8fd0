// Rule logic of areas conf and repl, on configurations built by hand (independent of the
// parser and loader). Fixtures in rules/<area>/<id>.fixtures cover the same rules end to end.
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "conf/guc.hpp"
#include "lint/rule.hpp"

using pgl::core::Severity;

namespace {

struct Line {
  std::string file;
  std::string text;
};

// Builds a Config from `name = value` lines the way the loader would (simple lines only).
class ConfigBuilder {
 public:
  explicit ConfigBuilder(int version = 18) { m_cfg.pg_version = version; }

  ConfigBuilder& file(const std::string& path, const std::string& text, bool auto_conf = false) {
    m_files.push_back({path, text, auto_conf});
    return *this;
  }
  ConfigBuilder& problem(pgl::model::ConfProblemKind kind, const std::string& msg, const std::string& path,
                         std::uint32_t line) {
    pgl::model::ConfProblem p;
    p.kind = kind;
    p.log_message = msg;
    p.span = pgl::core::Span::at(path, line, 1);
    p.fatal = kind != pgl::model::ConfProblemKind::include_if_exists_skipped;
    m_problems.push_back(p);
    return *this;
  }
  // Marks the entry on `line` of `path` with a validation status.
  ConfigBuilder& status(const std::string& path, std::uint32_t line, pgl::model::ConfEntryStatus s,
                        std::string message = {}, std::string hint = {}) {
    m_status.push_back({path, line, s, std::move(message), std::move(hint)});
    return *this;
  }

  pgl::model::Config build() {
    pgl::model::ConfSet set;
    set.main_file = m_files.empty() ? "" : m_files.front().path;
    for (const auto& f : m_files) {
      m_cfg.sources.add(f.path, f.text);
      set.files_read.push_back(f.path);
      if (f.auto_conf) {
        set.auto_file = f.path;
      }
      std::uint32_t n = 0;
      std::size_t start = 0;
      while (start < f.text.size()) {
        std::size_t end = f.text.find('\n', start);
        if (end == std::string::npos) {
          end = f.text.size();
        }
        ++n;
        if (auto e = parse_line(f.path, n, f.text.substr(start, end - start), f.auto_conf)) {
          set.items.push_back(pgl::model::ConfItem{std::move(*e), std::nullopt});
        }
        start = end + 1;
      }
    }
    for (auto& p : m_problems) {
      set.items.push_back(pgl::model::ConfItem{std::nullopt, p});
    }
    m_cfg.conf = std::move(set);
    for (const auto& item : m_cfg.conf->items) {
      if (!item.entry) {
        continue;
      }
      pgl::model::CheckedEntry c;
      c.entry = &*item.entry;
      const auto* def = pgl::conf::find_guc(m_cfg.pg_version, item.entry->name);
      c.canonical_name = def ? std::string(def->name) : "";
      c.status = def ? pgl::model::ConfEntryStatus::ok
                     : (item.entry->name.find('.') != std::string::npos ? pgl::model::ConfEntryStatus::custom
                                                                        : pgl::model::ConfEntryStatus::unknown);
      for (const auto& s : m_status) {
        if (s.path == item.entry->file && s.line == item.entry->line) {
          c.status = s.status;
          c.message = s.message;
          c.hint = s.hint;
        }
      }
      m_cfg.checked.push_back(c);
      if (!c.canonical_name.empty() && c.status == pgl::model::ConfEntryStatus::ok) {
        m_cfg.settings[c.canonical_name] = pgl::model::EffectiveSetting{c.canonical_name, item.entry->value, c.entry};
      }
    }
    return std::move(m_cfg);
  }

 private:
  struct File {
    std::string path, text;
    bool auto_conf;
  };
  struct Status {
    std::string path;
    std::uint32_t line;
    pgl::model::ConfEntryStatus status;
    std::string message, hint;
  };

  static std::optional<pgl::model::ConfEntry> parse_line(const std::string& path, std::uint32_t n,
                                                         const std::string& line, bool auto_conf) {
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line[i] == '#') {
      return std::nullopt;
    }
    std::size_t j = i;
    while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_' || line[j] == '.' ||
                               static_cast<unsigned char>(line[j]) >= 0x80)) {
      ++j;
    }
    pgl::model::ConfEntry e;
    e.name = line.substr(i, j - i);
    e.file = path;
    e.line = n;
    e.from_auto_conf = auto_conf;
    e.name_span = pgl::core::Span::at(path, n, static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(j - i));
    std::size_t k = line.find_first_not_of(" \t=", j);
    if (k == std::string::npos) {
      return std::nullopt;
    }
    std::size_t end = k;
    if (line[k] == '\'') {
      e.quoted = true;
      end = k + 1;
      while (end < line.size()) {
        if (line[end] == '\'' && end + 1 < line.size() && line[end + 1] == '\'') {
          e.value += '\'';
          end += 2;
        } else if (line[end] == '\'') {
          ++end;
          break;
        } else {
          e.value += line[end++];
        }
      }
    } else {
      while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '#') {
        ++end;
      }
      e.value = line.substr(k, end - k);
    }
    e.raw_value = line.substr(k, end - k);
    e.value_span = pgl::core::Span::at(path, n, static_cast<std::uint32_t>(k + 1), static_cast<std::uint32_t>(end - k));
    return e;
  }

  pgl::model::Config m_cfg;
  std::vector<File> m_files;
  std::vector<pgl::model::ConfProblem> m_problems;
  std::vector<Status> m_status;
};

const std::string k_conf = "/srv/pg/postgresql.conf";
const std::string k_auto = "/srv/pg/postgresql.auto.conf";

std::vector<pgl::core::Diagnostic> run(const std::string& rule_id, const pgl::model::Config& cfg) {
  const auto* rule = pgl::lint::find_rule(rule_id);
  EXPECT_NE(rule, nullptr) << rule_id;
  pgl::lint::LintContext ctx;
  if (rule != nullptr) {
    rule->check(cfg, ctx);
  }
  return ctx.diagnostics();
}

std::vector<pgl::core::Diagnostic> run_on(const std::string& rule_id, const std::string& text, int version = 18) {
  auto cfg = ConfigBuilder(version).file(k_conf, text).build();
  return run(rule_id, cfg);
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

// ---------------------------------------------------------------- registry

TEST(ConfRules, RegisteredSortedWithDocs) {
  std::string prev;
  for (const auto& r : pgl::lint::registry()) {
    const std::string id(r->meta().id);
    if (!(id.starts_with("conf-") || id.starts_with("repl-"))) {
      continue;
    }
    EXPECT_LT(prev, id);
    prev = id;
    const auto doc = pgl::lint::rule_doc(id);
    ASSERT_TRUE(doc.has_value()) << id << " has no doc page";
    for (const char* h : {"## What it does", "## Why is this bad", "## Example", "## Use instead", "## Options",
                          "## Known limitations", "## References"}) {
      EXPECT_TRUE(contains(std::string(*doc), h)) << id << " lacks " << h;
    }
    EXPECT_TRUE(contains(std::string(*doc), "https://www.postgresql.org/docs/current/")) << id;
  }
}

// ---------------------------------------------------------------- conf-duplicate-setting

TEST(ConfRules, DuplicateSettingAtWinningLineWithFirstSetNote) {
  const auto d = run_on("conf-duplicate-setting", "work_mem = 4MB\nshared_buffers = 1GB\nWORK_MEM = 8MB\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::warning);
  EXPECT_EQ(d[0].span.begin.line, 3u);
  EXPECT_EQ(d[0].span.begin.column, 1u);
  EXPECT_TRUE(contains(d[0].message, "\"work_mem\" is set 2 times")) << d[0].message;
  EXPECT_TRUE(contains(d[0].message, "postgresql.conf line 1")) << d[0].message;
  ASSERT_EQ(d[0].related.size(), 1u);
  EXPECT_EQ(d[0].related[0].span.begin.line, 1u);
  EXPECT_EQ(d[0].related[0].message, "first set here");
}

TEST(ConfRules, DuplicateOverriddenByAlterSystemIsANote) {
  auto cfg = ConfigBuilder()
                 .file(k_conf, "work_mem = 4MB\n")
                 .file(k_auto, "# Do not edit this file manually!\nwork_mem = '64MB'\n", true)
                 .build();
  const auto d = run("conf-duplicate-setting", cfg);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::note);
  EXPECT_EQ(d[0].span.begin.file, k_auto);
  EXPECT_EQ(d[0].span.begin.line, 2u);
  ASSERT_EQ(d[0].related.size(), 1u);
  EXPECT_EQ(d[0].related[0].message, "overridden by postgresql.auto.conf line 2");
}

TEST(ConfRules, DuplicateNeverShowsConninfoValues) {
  const auto d = run_on("conf-duplicate-setting",
                        "primary_conninfo = 'host=a password=hunter2'\nprimary_conninfo = 'host=b password=xyzzy'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_FALSE(contains(d[0].message, "hunter2"));
  EXPECT_FALSE(contains(d[0].message, "xyzzy"));
}

// ---------------------------------------------------------------- conf-unknown-parameter

TEST(ConfRules, UnknownParameterRemovedInVersion) {
  const auto d = run_on("conf-unknown-parameter", "wal_keep_segments = 64\n", 13);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(contains(d[0].message, "removed in PostgreSQL 13")) << d[0].message;
  EXPECT_TRUE(contains(d[0].help, "wal_keep_size")) << d[0].help;
  EXPECT_TRUE(run_on("conf-unknown-parameter", "wal_keep_segments = 64\n", 12).empty());
}

TEST(ConfRules, UnknownParameterSuggestsClosestName) {
  const auto d = run_on("conf-unknown-parameter", "# x\nshared_bufers = 1GB\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].span.begin.line, 2u);
  EXPECT_EQ(d[0].message, "unrecognized configuration parameter \"shared_bufers\"");
  EXPECT_TRUE(contains(d[0].help, "did you mean \"shared_buffers\"?")) << d[0].help;
}

TEST(ConfRules, UnknownParameterOldNamesAndCustomNames) {
  const auto d = run_on("conf-unknown-parameter", "checkpoint_segments = 3\npg_stat_statements.max = 1000\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(contains(d[0].help, "max_wal_size"));
  const auto later = run_on("conf-unknown-parameter", "io_method = worker\n", 15);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_TRUE(contains(later[0].message, "only in later versions")) << later[0].message;
}

// ---------------------------------------------------------------- problems

TEST(ConfRules, SyntaxErrorSkipsTemplateLines) {
  auto cfg = ConfigBuilder()
                 .file(k_conf, "work_mem = 1.5GB\n{% if x %}wal_level = replica\n")
                 .problem(pgl::model::ConfProblemKind::syntax_error,
                          "syntax error in file \"" + k_conf + "\" line 1, near token \"GB\"", k_conf, 1)
                 .problem(pgl::model::ConfProblemKind::syntax_error,
                          "syntax error in file \"" + k_conf + "\" line 2, near token \"{\"", k_conf, 2)
                 .build();
  const auto d = run("conf-syntax-error", cfg);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].span.begin.line, 1u);
  EXPECT_TRUE(contains(d[0].message, "near token \"GB\""));
  const auto t = run("conf-template-syntax", cfg);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].span.begin.line, 2u);
  EXPECT_EQ(t[0].span.begin.column, 1u);
  EXPECT_TRUE(contains(t[0].message, "Jinja")) << t[0].message;
}

TEST(ConfRules, IncludeMissingButNotIncludeIfExists) {
  auto cfg = ConfigBuilder()
                 .file(k_conf, "include 'a.conf'\ninclude_if_exists 'b.conf'\n")
                 .problem(pgl::model::ConfProblemKind::include_missing,
                          "could not open configuration file \"/srv/pg/a.conf\": No such file or directory", k_conf, 1)
                 .problem(pgl::model::ConfProblemKind::include_if_exists_skipped,
                          "skipping missing configuration file \"/srv/pg/b.conf\"", k_conf, 2)
                 .build();
  const auto d = run("conf-include-missing", cfg);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].span.begin.line, 1u);
  EXPECT_TRUE(contains(d[0].help, "include_if_exists"));
}

TEST(ConfRules, InvalidValueAndInternal) {
  auto cfg = ConfigBuilder()
                 .file(k_conf, "enable_seqscan = maybe\nblock_size = 8192\nport = PG_PORT\n")
                 .status(k_conf, 1, pgl::model::ConfEntryStatus::invalid_value,
                         "parameter \"enable_seqscan\" requires a Boolean value")
                 .status(k_conf, 2, pgl::model::ConfEntryStatus::internal, "parameter \"block_size\" cannot be changed")
                 .status(k_conf, 3, pgl::model::ConfEntryStatus::invalid_value,
                         "invalid value for parameter \"port\": \"PG_PORT\"")
                 .build();
  const auto v = run("conf-invalid-value", cfg);
  ASSERT_EQ(v.size(), 1u);  // line 3 is a template placeholder
  EXPECT_EQ(v[0].span.begin.column, 18u);
  EXPECT_EQ(v[0].message, "parameter \"enable_seqscan\" requires a Boolean value");
  const auto i = run("conf-internal-parameter", cfg);
  ASSERT_EQ(i.size(), 1u);
  EXPECT_EQ(i[0].span.begin.line, 2u);
  const auto t = run("conf-template-syntax", cfg);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].span.begin.line, 3u);
  EXPECT_EQ(t[0].span.begin.column, 8u);
}

// ---------------------------------------------------------------- conf-password-encryption-md5 / listen-all

TEST(ConfRules, PasswordEncryptionMd5) {
  EXPECT_EQ(run_on("conf-password-encryption-md5", "password_encryption = md5\n").size(), 1u);
  EXPECT_TRUE(run_on("conf-password-encryption-md5", "password_encryption = 'scram-sha-256'\n").empty());
  EXPECT_TRUE(run_on("conf-password-encryption-md5", "port = 5432\n").empty());  // 18 default scram
  const auto d13 = run_on("conf-password-encryption-md5", "port = 5432\n", 13);  // 13 default md5
  ASSERT_EQ(d13.size(), 1u);
  EXPECT_EQ(d13[0].span.begin.line, 0u);
  EXPECT_EQ(run_on("conf-password-encryption-md5", "password_encryption = on\n", 12).size(), 1u);
}

TEST(ConfRules, ListenAllPointsAtTheItem) {
  const auto d = run_on("conf-listen-all", "listen_addresses = 'localhost, *'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::note);
  EXPECT_EQ(d[0].span.begin.column, 32u);
  EXPECT_TRUE(run_on("conf-listen-all", "listen_addresses = 'localhost,10.1.2.3'\n").empty());
  EXPECT_EQ(run_on("conf-listen-all", "listen_addresses = '0.0.0.0'\n").size(), 1u);
}

// ---------------------------------------------------------------- repl

TEST(ConfRules, ConninfoSslmodeLevels) {
  auto at = [](const std::string& conninfo) {
    return run_on("repl-conninfo-sslmode", "primary_conninfo = '" + conninfo + "'\n");
  };
  auto missing = at("host=p user=r");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].severity, Severity::error);
  EXPECT_TRUE(contains(missing[0].message, "no sslmode"));
  auto prefer = at("host=p sslmode=prefer");
  ASSERT_EQ(prefer.size(), 1u);
  EXPECT_EQ(prefer[0].severity, Severity::error);
  EXPECT_EQ(prefer[0].span.begin.column, 28u);  // the sslmode key inside the value
  auto req = at("host=p sslmode=require");
  ASSERT_EQ(req.size(), 1u);
  EXPECT_EQ(req[0].severity, Severity::warning);
  auto full = at("host=p sslmode=verify-full");
  ASSERT_EQ(full.size(), 1u);
  EXPECT_TRUE(contains(full[0].message, "~/.postgresql/root.crt"));
  EXPECT_TRUE(at("host=p sslmode=verify-full sslrootcert=/etc/pg/root.crt").empty());
  EXPECT_TRUE(at("host=/var/run/postgresql user=r").empty());
  EXPECT_TRUE(at("postgresql://p/db?sslmode=verify-full&sslrootcert=/x").empty());
  EXPECT_TRUE(run_on("repl-conninfo-sslmode", "primary_conninfo = ''\n").empty());
}

TEST(ConfRules, ConninfoSslmodeColumnAccountsForEscapes) {
  // '' inside the quoted value is one byte of the value but two in the file.
  const auto d =
      run_on("repl-conninfo-sslmode", "primary_conninfo = 'application_name=''a b'' sslmode=allow host=p'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].span.begin.column, 46u);
}

TEST(ConfRules, ConninfoPasswordNeverPrinted) {
  const auto d = run_on("repl-conninfo-password", "primary_conninfo = 'host=p password=hunter2 sslmode=verify-full'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_FALSE(contains(d[0].message, "hunter2"));
  EXPECT_FALSE(contains(d[0].help, "hunter2"));
  EXPECT_EQ(d[0].span.begin.column, 28u);
  const auto uri = run_on("repl-conninfo-password", "primary_conninfo = 'postgresql://rep:s3cret@p/x'\n");
  ASSERT_EQ(uri.size(), 1u);
  EXPECT_FALSE(contains(uri[0].message, "s3cret"));
  EXPECT_TRUE(run_on("repl-conninfo-password", "primary_conninfo = 'host=p passfile=/etc/pgpass'\n").empty());
}

TEST(ConfRules, ConninfoInvalid) {
  auto d = run_on("repl-conninfo-invalid", "primary_conninfo = 'host=p port 5432'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "primary_conninfo: missing \"=\" after \"port\" in connection info string");
  d = run_on("repl-conninfo-invalid", "primary_conninfo = 'hots=p'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(contains(d[0].message, "invalid connection option \"hots\""));
  d = run_on("repl-conninfo-invalid", "primary_conninfo = 'host=p sslmode=verify_full'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(contains(d[0].message, "invalid sslmode value"));
  d = run_on("repl-conninfo-invalid", "primary_conninfo = 'primaryhost'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(contains(d[0].message, "database name"));
  d = run_on("repl-conninfo-invalid", "primary_conninfo = 'postgresql://u:pw@[::1]x'\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_FALSE(contains(d[0].message, ":pw@")) << d[0].message;
  EXPECT_TRUE(run_on("repl-conninfo-invalid", "primary_conninfo = 'host=p sslmode=verify-full'\n").empty());
  // A password whose end is unknown (a blank without quotes): the pieces libpq would quote
  // are masked, keywords stay.
  d = run_on("repl-conninfo-invalid", "primary_conninfo = 'host=p password=ab s3cretword'\n");
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].message, "primary_conninfo: missing \"=\" after \"***\" in connection info string");
}

// ---------------------------------------------------------------- CIS profile

TEST(ConfRules, CisRulesBelongToTheCisProfile) {
  for (const char* id : {"conf-log-connections-off", "conf-log-line-prefix-incomplete", "conf-debug-print-enabled"}) {
    const auto* r = pgl::lint::find_rule(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->meta().profile, pgl::lint::Profile::cis) << id;
  }
  EXPECT_EQ(pgl::lint::find_rule("conf-duplicate-setting")->meta().profile, pgl::lint::Profile::default_);
}

TEST(ConfRules, CisLogConnections) {
  const auto unset = run_on("conf-log-connections-off", "port = 5432\n", 17);
  ASSERT_EQ(unset.size(), 1u);
  EXPECT_EQ(unset[0].span.begin.line, 0u);
  EXPECT_TRUE(contains(unset[0].message, "not set (default off)")) << unset[0].message;
  EXPECT_TRUE(run_on("conf-log-connections-off", "log_connections = on\n", 17).empty());
  EXPECT_TRUE(run_on("conf-log-connections-off", "log_connections = 'receipt,authentication'\n", 18).empty());
  EXPECT_EQ(run_on("conf-log-connections-off", "log_connections = ''\n", 18).size(), 1u);
  EXPECT_EQ(run_on("conf-log-connections-off", "log_connections = of\n", 16).size(), 1u);
  EXPECT_EQ(run_on("conf-log-disconnections-off", "log_disconnections = false\n").size(), 1u);
}

TEST(ConfRules, CisLogLinePrefixSaysWhatIsMissing) {
  const auto d = run_on("conf-log-line-prefix-incomplete", "log_line_prefix = '%m [%p] %%u '\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(
      contains(d[0].message, "user name (%u), database name (%d), application name (%a), client address (%h or %r)"))
      << d[0].message;
  EXPECT_TRUE(
      run_on("conf-log-line-prefix-incomplete", "log_line_prefix = '%t [%-5p] user=%u,db=%d,app=%a,client=%r '\n")
          .empty());
  // Default of 18 is '%m [%p] ': reported at the file.
  const auto def = run_on("conf-log-line-prefix-incomplete", "port = 1\n");
  ASSERT_EQ(def.size(), 1u);
  EXPECT_EQ(def[0].span.begin.line, 0u);
}

TEST(ConfRules, CisLevelsAndOthers) {
  EXPECT_EQ(run_on("conf-log-min-messages-above-warning", "log_min_messages = error\n").size(), 1u);
  EXPECT_TRUE(run_on("conf-log-min-messages-above-warning", "log_min_messages = notice\n").empty());
  EXPECT_TRUE(run_on("conf-log-min-messages-above-warning", "port = 1\n").empty());
  EXPECT_EQ(run_on("conf-log-min-error-statement-above-error", "log_min_error_statement = panic\n").size(), 1u);
  EXPECT_TRUE(run_on("conf-log-min-error-statement-above-error", "log_min_error_statement = ERROR\n").empty());
  EXPECT_EQ(run_on("conf-log-statement-none", "port = 1\n").size(), 1u);  // default none
  EXPECT_TRUE(run_on("conf-log-statement-none", "log_statement = ddl\n").empty());
  EXPECT_EQ(run_on("conf-debug-print-enabled", "debug_print_parse = on\ndebug_print_plan = yes\n").size(), 2u);
  EXPECT_EQ(run_on("conf-debug-pretty-print-off", "debug_pretty_print = off\n").size(), 1u);
  EXPECT_TRUE(run_on("conf-debug-pretty-print-off", "port = 1\n").empty());
  EXPECT_EQ(run_on("conf-log-hostname-on", "log_hostname = on\n").size(), 1u);
  EXPECT_EQ(run_on("conf-log-error-verbosity-terse", "log_error_verbosity = terse\n").size(), 1u);
  EXPECT_EQ(run_on("conf-logging-collector-off", "port = 1\n").size(), 1u);
  EXPECT_TRUE(run_on("conf-logging-collector-off", "log_destination = 'syslog'\n").empty());
  EXPECT_TRUE(run_on("conf-logging-collector-off", "logging_collector = on\n").empty());
}

// libpq's permission rule for sslkey (files with modes cannot be committed as fixtures).
TEST(ReplRules, ConninfoTlsKeyPermissions) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pgl-repl-key-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* name : {"standby.crt", "standby.key"}) {
    std::ofstream(dir / name) << "x\n";
  }
  const std::string key = (dir / "standby.key").string();
  const std::string conf =
      "primary_conninfo = 'host=10.0.0.1 sslmode=require sslcert=" + (dir / "standby.crt").string() + " sslkey=" + key +
      "'\n";
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  auto d = run_on("repl-conninfo-tls-file", conf);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, pgl::core::Severity::error);
  EXPECT_TRUE(contains(d[0].message, "has group or world access (mode 0644)")) << d[0].message;
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  EXPECT_TRUE(run_on("repl-conninfo-tls-file", conf).empty());
  std::filesystem::remove_all(dir);
}
