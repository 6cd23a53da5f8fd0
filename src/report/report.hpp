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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/source.hpp"
#include "lint/engine.hpp"

namespace pgl::report {

constexpr std::string_view k_tool_name = "pgconflint";
constexpr std::string_view k_tool_version = "0.1.0";

enum class Format { text, json, sarif, github };
[[nodiscard]] std::optional<Format> format_from_string(std::string_view s);

struct ReportInput {
  std::vector<core::Diagnostic> diagnostics;    // sorted (lint::run sorts)
  std::vector<const core::SourceSet*> sources;  // where excerpts come from
  std::size_t files = 0;                        // number of files checked (summary)
};

struct RenderOptions {
  bool color = false;  // text only: ANSI colors
  bool quiet = false;  // only findings at or above fail_on; text: no summary when clean
  lint::FailOn fail_on = lint::FailOn::warning;
  std::string cwd;  // sarif/github: paths under it are made relative ("" = keep as is)
};

// Dispatches on the format (applies `quiet`).
[[nodiscard]] std::string render(Format format, const ReportInput& input, const RenderOptions& options);

[[nodiscard]] std::string render_text(const ReportInput& input, const RenderOptions& options);
[[nodiscard]] std::string render_json(const ReportInput& input);
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
