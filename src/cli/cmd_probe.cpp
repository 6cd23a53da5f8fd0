// pgconflint probe HOST[:PORT] : is SSL actually working on the running server?
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "cli/probe_support.hpp"
#include "lint/engine.hpp"
#include "load/loader.hpp"
#include "report/report.hpp"

namespace pgl::cli {

namespace {

struct ProbeArgs {
  std::string server;
  std::vector<std::string> ca;
  std::vector<std::string> expect_hosts;
  std::string user = "postgres";
  std::string database;
  double timeout = 5;
  std::string now;
  int expiry_days = -1;
  std::string format = "text";
  std::string fail_on;
  std::string config;
  std::string config_dir;
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::string color = "auto";
  bool quiet = false;
};

using Json = nlohmann::ordered_json;

Json report_json(const probe::Report& r, std::time_t now) {
  const char* ssl = r.ssl_answer == probe::SslAnswer::accepted  ? "accepted"
                    : r.ssl_answer == probe::SslAnswer::refused ? "refused"
                                                                : "error";
  Json chain = Json::array();
  for (const auto& pc : r.handshake.chain) {
    const auto& c = pc.cert.info();
    Json names = Json::array();
    for (const auto& san : c.sans) {
      if (san.kind != tls::SanEntry::Kind::other) {
        names.push_back((san.kind == tls::SanEntry::Kind::dns ? "DNS:" : "IP:") + san.text);
      }
    }
    chain.push_back(Json{{"subject", c.subject},
                         {"issuer", c.issuer},
                         {"serial", c.serial},
                         {"not_before", tls::format_utc(c.not_before)},
                         {"not_after", tls::format_utc(c.not_after)},
                         {"days_left", static_cast<long>((c.not_after - now) / 86400)},
                         {"key", c.key.describe()},
                         {"signature", c.signature_algorithm},
                         {"names", std::move(names)}});
  }
  Json versions = Json::object();
  for (const auto& v : r.versions) {
    versions[std::string(probe::to_string(v.version))] =
        Json{{"outcome", v.outcome == probe::VersionCheck::Outcome::accepted  ? "accepted"
                         : v.outcome == probe::VersionCheck::Outcome::refused ? "refused"
                                                                              : "untestable"},
             {"detail", v.detail}};
  }
  using Plain = probe::PlainCheck::Outcome;
  const char* plain = "not_tested";
  switch (r.plaintext.outcome) {
    case Plain::not_tested: break;
    case Plain::auth_requested: plain = "auth_requested"; break;
    case Plain::auth_ok: plain = "auth_ok"; break;
    case Plain::refused: plain = "refused"; break;
    case Plain::error: plain = "error"; break;
    case Plain::unexpected: plain = "unexpected"; break;
  }
  Json j{{"server", r.target.display()},
         {"address", r.address},
         {"ssl", ssl},
         {"ssl_error", r.ssl_error},
         {"handshake", Json{{"ok", r.handshake.ok},
                            {"protocol", r.handshake.protocol},
                            {"cipher", r.handshake.cipher},
                            {"cipher_bits", r.handshake.cipher_bits},
                            {"alpn", r.handshake.alpn},
                            {"error", r.handshake.error}}},
         {"chain", std::move(chain)},
         {"versions", std::move(versions)},
         {"direct_tls", r.direct_tls ? Json(*r.direct_tls) : Json(nullptr)},
         {"direct_tls_detail", r.direct_detail},
         {"plaintext", Json{{"outcome", plain},
                            {"user", r.user},
                            {"database", r.database},
                            {"auth_method", r.plaintext.auth_method},
                            {"sqlstate", r.plaintext.sqlstate},
                            {"message", r.plaintext.message}}}};
  return j;
}

}  // namespace

int cmd_probe(const std::vector<std::string>& args) {
  ProbeArgs a;
  CLI::App app{"Probe a running server's SSL over the PostgreSQL protocol (no password is ever sent).",
               "pgconflint probe"};
  app.add_option("SERVER", a.server, "HOST[:PORT] (default port 5432; [ADDRESS]:PORT for IPv6)")->required();
  app.add_option("--ca", a.ca, "CA certificate file the presented chain must verify against (repeatable)");
  app.add_option("--expect-host", a.expect_hosts, "host name the certificate must cover, as verify-full (repeatable)");
  app.add_option("--user", a.user, "user of the plain StartupMessage (default postgres)");
  app.add_option("--database", a.database, "database of the plain StartupMessage (default: the user)");
  app.add_option("--timeout", a.timeout,
                 "seconds each connection may take in all (connect, request, answer; default 5)")
      ->check(CLI::Range(0.001, 3600.0));
  app.add_option("--now", a.now, "reference time for certificate dates (e.g. 2026-01-01T00:00:00Z)");
  app.add_option("--expiry-days", a.expiry_days, "warn about certificates expiring within N days")
      ->check(CLI::Range(0, 36500));
  app.add_option("--format", a.format, "output format")->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  add_fail_on_option(app, a.fail_on);
  app.add_option("--config", a.config, "project configuration file; a directory here is read as --config-dir");
  app.add_option("--config-dir", a.config_dir,
                 "the server's configuration (as `check` reads it): compare its ssl_cert_file with what is served");
  app.add_option("--enable", a.enable, "also report this rule (repeatable)");
  app.add_option("--disable", a.disable, "do not report this rule (repeatable)");
  add_color_option(app, a.color);
  app.add_flag("-q,--quiet", a.quiet, "only findings at or above --fail-on; no facts, nothing when clean");
  if (auto done = parse_options(app, args, "probe")) {
    return *done;
  }
  std::error_code ec;
  std::string project_file = a.config;
  if (!a.config.empty() && std::filesystem::is_directory(a.config, ec)) {
    if (!a.config_dir.empty()) {
      return usage_error("probe", "--config names a directory: give the project file, or only --config-dir");
    }
    a.config_dir = a.config;
    project_file.clear();
  }
  auto target = probe::parse_target(a.server);
  if (!target) {
    return usage_error("probe", target.error().message);
  }
  auto loaded_project = load_project(project_file, a.config_dir.empty() ? std::string(".") : a.config_dir);
  if (!loaded_project) {
    return input_error(loaded_project.error().message);
  }
  const lint::ProjectConfig project = std::move(*loaded_project);

  lint::EngineOptions engine;
  engine.profile = project.profile.value_or(lint::Profile::default_);
  engine.enable = project.enable;
  engine.disable = project.disable;
  for (const auto& id : a.enable) {
    std::erase(engine.disable, id);
    engine.enable.push_back(id);
  }
  for (const auto& id : a.disable) {
    std::erase(engine.enable, id);
    engine.disable.push_back(id);
  }
  engine.severity = project.severity;
  auto selection = lint::select_rules(engine);
  if (!selection) {
    return usage_error("probe", selection.error().message);
  }
  const lint::FailOn fail_on = fail_on_for(a.fail_on, project);

  lint::LintContext ctx;
  if (!a.now.empty()) {
    auto t = lint::parse_timestamp(a.now);
    if (!t) {
      return usage_error("probe",
                         fmt::format("--now: invalid timestamp '{}' (expected e.g. 2026-01-01T00:00:00Z)", a.now));
    }
    ctx.now = *t;
  } else {
    ctx.now = std::time(nullptr);
  }
  ctx.expiry_days = a.expiry_days >= 0 ? a.expiry_days : project.expiry_days.value_or(30);
  ctx.expect_hosts = a.expect_hosts.empty() ? project.hosts : a.expect_hosts;

  ProbeRequest request;
  request.options.target = *target;
  request.options.user = a.user;
  request.options.database = a.database;
  request.options.timeout_ms = static_cast<int>(std::lround(a.timeout * 1000));
  request.ca_files = a.ca;
  std::optional<model::Config> files;
  if (!a.config_dir.empty()) {
    model::LoadOptions lo;
    lo.paths = {a.config_dir};
    lo.pg_version = project.pg_version;
    auto loaded = load::load_config(lo);
    if (!loaded) {
      return input_error(loaded.error().message);
    }
    print_notices(*loaded);
    files = std::move(*loaded);
    request.files = &*files;
  }
  auto outcome = probe_server(request, ctx, *selection);
  if (!outcome) {
    return input_error(outcome.error().message);
  }

  report::ReportInput input;
  input.diagnostics = outcome->diagnostics;
  input.files = 1;
  if (files) {
    input.sources.push_back(&files->sources);
  }
  report::RenderOptions ro;
  ro.color = color_for(a.color) && a.format == "text";
  ro.quiet = a.quiet;
  ro.fail_on = fail_on;
  ro.cwd = std::filesystem::current_path(ec).string();
  const auto format = *report::format_from_string(a.format);
  std::string out;
  if (format == report::Format::json) {
    Json doc = Json::parse(report::render(format, input, ro));
    doc["probe"] = report_json(outcome->report, ctx.now);
    out = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    if (format == report::Format::text && !a.quiet) {
      out = describe_report(outcome->report, *outcome, ctx.now, a.ca) + "\n";
    }
    out += report::render(format, input, ro);
  }
  fmt::print(stdout, "{}", out);
  std::fflush(stdout);
  return lint::exit_code(input.diagnostics, fail_on);
}

}  // namespace pgl::cli
