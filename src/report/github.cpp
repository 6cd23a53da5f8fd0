// GitHub Actions workflow commands: ::error file=F,line=L,col=C,endColumn=E,title=ID::message
#include <fmt/format.h>

#include "core/secrets.hpp"
#include "report/report.hpp"

namespace pgl::report {

std::string github_escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string github_escape_property(std::string_view s) {
  std::string out;
  for (char c : github_escape_data(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string render_github(const ReportInput& input, const RenderOptions& options) {
  std::string out;
  for (const auto& d : input.diagnostics) {
    std::string_view command = "warning";
    if (d.severity == core::Severity::error) {
      command = "error";
    } else if (d.severity == core::Severity::note) {
      command = "notice";
    }
    std::string props = "file=" + github_escape_property(display_path(d.span.begin.file, options));
    if (d.span.begin.line != 0) {
      props += fmt::format(",line={}", d.span.begin.line);
      if (end_line(d.span) != d.span.begin.line) {
        props += fmt::format(",endLine={}", end_line(d.span));
      }
      if (d.span.begin.column != 0) {
        props += fmt::format(",col={},endColumn={}", d.span.begin.column, end_column(d.span));
      }
    }
    props += ",title=" + github_escape_property(d.rule);
    std::string message = core::mask_secrets(d.message);
    for (const auto& r : d.related) {
      const auto& loc = r.span.begin;
      message += fmt::format("\n{}:{}: {}", display_path(loc.file, options), loc.line, core::mask_secrets(r.message));
    }
    if (!d.help.empty()) {
      message += "\nhelp: " + core::mask_secrets(d.help);
    }
    out += fmt::format("::{} {}::{}\n", command, props, github_escape_data(message));
  }
  return out;
}

}  // namespace pgl::report
