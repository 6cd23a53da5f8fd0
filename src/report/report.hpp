// Renderers for lint findings: text (compiler style), json, sarif (2.1.0), github
// (workflow commands). Renderers return the whole output as a string; only the CLI prints.
//
//   report::ReportInput in{diagnostics, {&config.sources}, files_checked};
//   std::string out = report::render(report::Format::text, in, options);
//
// Excerpts come from the SourceSets (files are never read again); every excerpt, message
// and help text goes through core::mask_secrets.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/source.hpp"
#include "lint/engine.hpp"

namespace pgl::report {

constexpr std::string_view k_tool_name = "pgconflint";
// The version (project(VERSION) in CMakeLists.txt) is PGL_VERSION of the generated pgl_version.hpp.

enum class Format { text, json, sarif, github, gcc, checkstyle, gitlab };
// Every format name, in the order of --help.
inline constexpr std::string_view k_format_names[] = {"text", "json", "sarif", "github", "gcc", "checkstyle", "gitlab"};
[[nodiscard]] std::optional<Format> format_from_string(std::string_view s);

// One checked path and the PostgreSQL major version it was read as.
struct Target {
  std::string path;  // absolute (renderers show it with display_path)
  int pg_version = 0;
  std::string version_source;  // "PG_VERSION", "--pg-version", "path", "default"
};

struct ReportInput {
  std::vector<core::Diagnostic> diagnostics;    // sorted (lint::run sorts)
  std::vector<const core::SourceSet*> sources;  // where excerpts come from
  std::size_t files = 0;                        // number of files checked (summary)
  std::vector<Target> targets;                  // json/sarif: the version each path was read as
  std::vector<std::string> notices;             // sarif: what was said on stderr (notes)
};

struct RenderOptions {
  bool color = false;  // text only: ANSI colors
  bool quiet = false;  // only findings at or above fail_on; text: no summary when clean
  lint::FailOn fail_on = lint::FailOn::warning;
  // Base directory: paths under it are shown relative to it in every format ("" = keep as
  // is). check sets --base-dir, else the git top level of the checked path, else the cwd.
  std::string cwd;
  std::map<std::string, std::string> display;  // path -> name shown instead (standard input)
  // sarif: helpUri template, {id} and {area} replaced ("" = the rule page in the repository).
  std::string rule_url;
};

// How a path is shown: its display name, else relative to options.cwd when inside it.
[[nodiscard]] std::string display_path(const std::string& path, const RenderOptions& options);

// Dispatches on the format (applies `quiet`).
[[nodiscard]] std::string render(Format format, const ReportInput& input, const RenderOptions& options);

[[nodiscard]] std::string render_text(const ReportInput& input, const RenderOptions& options);
// The bytes of render(), handed to `write` in order: the text format in pieces of about
// `piece` bytes rendered into one reused buffer (the report is never held whole), the others
// at once.
void render_to(Format format, const ReportInput& input, const RenderOptions& options,
               const std::function<void(std::string_view)>& write, std::size_t piece = std::size_t{1} << 20);
[[nodiscard]] std::string render_json(const ReportInput& input);
[[nodiscard]] std::string render_json(const ReportInput& input, const RenderOptions& options);
// gcc: "file:line:column: severity: message [rule]", one line per finding.
[[nodiscard]] std::string render_gcc(const ReportInput& input, const RenderOptions& options);
// Checkstyle XML (Jenkins warnings-ng, GitLab, reviewdog ...).
[[nodiscard]] std::string render_checkstyle(const ReportInput& input, const RenderOptions& options);
// GitLab Code Quality (a JSON array of CodeClimate issues).
[[nodiscard]] std::string render_gitlab(const ReportInput& input, const RenderOptions& options);
// Help page URL of a rule: the template with {id} and {area} replaced.
[[nodiscard]] std::string rule_help_uri(std::string_view id, const std::string& url_template);
// A fingerprint of a finding that stays the same when lines move: rule, file, the text of
// its line (whitespace collapsed; not the message, which may name line numbers), and its
// rank among findings with the same three.
[[nodiscard]] std::vector<std::string> fingerprints(const ReportInput& input, const RenderOptions& options);
// "security", "correctness" or "performance".
[[nodiscard]] std::string_view rule_category(std::string_view id);
[[nodiscard]] std::string render_sarif(const ReportInput& input, const RenderOptions& options);
[[nodiscard]] std::string render_github(const ReportInput& input, const RenderOptions& options);

// Helpers shared by the renderers (exposed for tests).
[[nodiscard]] std::string github_escape_data(std::string_view s);      // %, \r, \n
[[nodiscard]] std::string github_escape_property(std::string_view s);  // also : and ,
[[nodiscard]] std::string summary_line(const std::vector<core::Diagnostic>& diagnostics, std::size_t files);
// Path relative to cwd when inside it, else unchanged.
[[nodiscard]] std::string relative_path(const std::string& path, const std::string& cwd);
// Inclusive end line and exclusive end column of a span, with the defaults of core::Span.
[[nodiscard]] std::uint32_t end_line(const core::Span& span);
[[nodiscard]] std::uint32_t end_column(const core::Span& span);

}  // namespace pgl::report
