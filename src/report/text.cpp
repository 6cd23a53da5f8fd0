#include <fmt/format.h>

#include "core/secrets.hpp"
#include "report/report.hpp"

namespace pgl::report {

std::optional<Format> format_from_string(std::string_view s) {
  if (s == "text") {
    return Format::text;
  }
  if (s == "json") {
    return Format::json;
  }
  if (s == "sarif") {
    return Format::sarif;
  }
  if (s == "github") {
    return Format::github;
  }
  if (s == "gcc") {
    return Format::gcc;
  }
  if (s == "checkstyle") {
    return Format::checkstyle;
  }
  if (s == "gitlab") {
    return Format::gitlab;
  }
  return std::nullopt;
}

std::uint32_t end_line(const core::Span& span) {
  return span.end_line != 0 ? span.end_line : span.begin.line;
}

std::uint32_t end_column(const core::Span& span) {
  if (span.end_column != 0) {
    return span.end_column;
  }
  return span.begin.column != 0 ? span.begin.column + 1 : 0;
}

std::string relative_path(const std::string& path, const std::string& cwd) {
  if (cwd.empty() || path.size() <= cwd.size() || path.compare(0, cwd.size(), cwd) != 0) {
    return path;
  }
  if (cwd.back() == '/') {
    return path.substr(cwd.size());
  }
  if (path[cwd.size()] == '/') {
    return path.substr(cwd.size() + 1);
  }
  return path;
}

std::string display_path(const std::string& path, const RenderOptions& options) {
  if (auto it = options.display.find(path); it != options.display.end()) {
    return it->second;
  }
  return relative_path(path, options.cwd);
}

std::string summary_line(const std::vector<core::Diagnostic>& diagnostics, std::size_t files) {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;
  for (const auto& d : diagnostics) {
    switch (d.severity) {
      case core::Severity::error: ++errors; break;
      case core::Severity::warning: ++warnings; break;
      case core::Severity::note: ++notes; break;
    }
  }
  auto plural = [](std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
  const std::string where = plural(files, "file");
  if (diagnostics.empty()) {
    return fmt::format("no problems in {}", where);
  }
  return fmt::format("{}, {}, {} in {}", plural(errors, "error"), plural(warnings, "warning"), plural(notes, "note"),
                     where);
}

namespace {

struct Style {
  bool on = false;
  [[nodiscard]] std::string wrap(std::string_view code, std::string_view text) const {
    if (!on) {
      return std::string(text);
    }
    return fmt::format("\033[{}m{}\033[0m", code, text);
  }
};

std::string_view severity_color(core::Severity s) {
  switch (s) {
    case core::Severity::error: return "1;31";
    case core::Severity::warning: return "1;35";
    case core::Severity::note: return "1;36";
  }
  return "1";
}

// Control characters would let a configuration file drive the terminal.
std::string printable(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      c = '?';
    }
  }
  return out;
}

std::string location(const core::Location& loc, const RenderOptions& options) {
  const std::string file = display_path(loc.file, options);
  if (loc.line == 0) {
    return file;
  }
  if (loc.column == 0) {
    return fmt::format("{}:{}", file, loc.line);
  }
  return fmt::format("{}:{}:{}", file, loc.line, loc.column);
}

const core::SourceFile* find_source(const ReportInput& input, const std::string& path) {
  for (const auto* set : input.sources) {
    if (set == nullptr) {
      continue;
    }
    if (const auto* f = set->find(path)) {
      return f;
    }
  }
  return nullptr;
}

void excerpt(std::string& out, const ReportInput& input, const core::Span& span, const Style& style) {
  if (span.begin.line == 0) {
    return;
  }
  const core::SourceFile* file = find_source(input, span.begin.file);
  if (file == nullptr || span.begin.line > file->line_count()) {
    return;
  }
  // The secrets the parsers located, as '*' (same length); then the patterns of mask_secrets.
  std::string_view raw = file->line(span.begin.line);
  std::string structural;
  if (core::has_registered_secrets(file->path())) {
    structural.assign(raw);
    if (core::mask_registered_secrets(file->path(), span.begin.line, structural)) {
      raw = structural;
    }
  }
  const std::string masked = core::mask_secrets(raw);
  const std::string shown = printable(masked);
  const std::string number = std::to_string(span.begin.line);
  const std::size_t width = std::max<std::size_t>(4, number.size());
  out += fmt::format("{:>{}} {} {}\n", number, width, style.wrap("1;34", "|"), shown);

  // Underline: ^ at the first column of the span, ~ under the rest of it on this line.
  // Positions are those of the original line; a masked secret only shortens the text.
  std::size_t begin = 0;
  std::size_t end = raw.size();
  if (span.begin.column == 0) {
    const auto first = raw.find_first_not_of(" \t");
    begin = first == std::string_view::npos ? 0 : first;
  } else {
    begin = std::min<std::size_t>(span.begin.column - 1, raw.size());
    if (end_line(span) == span.begin.line) {
      end = std::min<std::size_t>(std::max<std::size_t>(end_column(span), 1) - 1, raw.size());
    }
  }
  if (masked != raw) {
    // Map the positions onto the masked text: mask the prefixes as well.
    begin = std::min(core::mask_secrets(raw.substr(0, begin)).size(), masked.size());
    end = std::min(core::mask_secrets(raw.substr(0, end)).size(), masked.size());
    end = std::max(end, begin);
  }
  const std::string_view basis = masked != raw ? std::string_view(masked) : raw;
  std::string pad;
  for (std::size_t i = 0; i < begin; ++i) {
    pad.push_back(basis[i] == '\t' ? '\t' : ' ');
  }
  std::string mark = "^";
  for (std::size_t i = begin + 1; i < end; ++i) {
    mark.push_back('~');
  }
  out += fmt::format("{:>{}} {} {}{}\n", "", width, style.wrap("1;34", "|"), pad, style.wrap("1;32", mark));
}

}  // namespace

std::string render_text(const ReportInput& input, const RenderOptions& options) {
  const Style style{options.color};
  std::string out;
  for (const auto& d : input.diagnostics) {
    out += fmt::format("{}: {}: {} [{}]\n", style.wrap("1", printable(location(d.span.begin, options))),
                       style.wrap(severity_color(d.severity), core::to_string(d.severity)),
                       printable(core::mask_secrets(d.message)), d.rule);
    excerpt(out, input, d.span, style);
    for (const auto& r : d.related) {
      out += fmt::format("{}: {}: {}\n", style.wrap("1", printable(location(r.span.begin, options))),
                         style.wrap(severity_color(core::Severity::note), "note"),
                         printable(core::mask_secrets(r.message)));
    }
    if (!d.help.empty()) {
      out += fmt::format("  {} {}\n", style.wrap("1", "help:"), printable(core::mask_secrets(d.help)));
    }
  }
  if (!(options.quiet && input.diagnostics.empty())) {
    out += summary_line(input.diagnostics, input.files) + "\n";
  }
  return out;
}

std::string render(Format format, const ReportInput& input, const RenderOptions& options) {
  const ReportInput* in = &input;
  ReportInput filtered;
  if (options.quiet) {
    filtered.sources = input.sources;
    filtered.files = input.files;
    filtered.targets = input.targets;
    filtered.notices = input.notices;
    for (const auto& d : input.diagnostics) {
      if (lint::at_or_above(d.severity, options.fail_on)) {
        filtered.diagnostics.push_back(d);
      }
    }
    in = &filtered;
  }
  switch (format) {
    case Format::text: return render_text(*in, options);
    case Format::json: return render_json(*in, options);
    case Format::sarif: return render_sarif(*in, options);
    case Format::github: return render_github(*in, options);
    case Format::gcc: return render_gcc(*in, options);
    case Format::checkstyle: return render_checkstyle(*in, options);
    case Format::gitlab: return render_gitlab(*in, options);
  }
  return {};
}

}  // namespace pgl::report
