#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

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
  std::string shown;
  if (auto it = options.display.find(path); it != options.display.end()) {
    shown = it->second;
  } else {
    shown = relative_path(path, options.cwd);
  }
  // The base directory itself (`pgconflint check .`) is shown as ".", never as nothing.
  return shown.empty() ? std::string(".") : shown;
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

// ANSI styling, appended in place (no temporary strings per finding).
struct Style {
  bool on = false;
  void open(std::string& out, std::string_view code) const {
    if (on) {
      out += "\033[";
      out += code;
      out += 'm';
    }
  }
  void close(std::string& out) const {
    if (on) {
      out += "\033[0m";
    }
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
// Each byte as shown: '?' for a control character other than tab, else itself.
constexpr std::array<char, 256> k_printable = [] {
  std::array<char, 256> t{};
  for (int u = 0; u < 256; ++u) {
    t[static_cast<std::size_t>(u)] = (u < 0x20 && u != '\t') || u == 0x7f ? '?' : static_cast<char>(u);
  }
  return t;
}();

// Does any of the 8 bytes of w need k_printable (a byte below 0x20, tab included, or 0x7f)?
// (x - 0x20 per byte) & ~x & 0x80 per byte is nonzero exactly when some byte is below 0x20.
constexpr bool may_need_printable(std::uint64_t w) {
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  const std::uint64_t del = w ^ (0x7f * k_ones);
  return (((w - 0x20 * k_ones) & ~w) | ((del - k_ones) & ~del)) & k_highs;
}

// The bytes of `out` from `at` on made printable.
void make_printable(std::string& out, std::size_t at) {
  char* p = out.data() + at;
  const std::size_t n = out.size() - at;
  std::size_t i = 0;
  // Eight bytes at a time: a word with no control character is its own printable form.
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, 8);
    if (may_need_printable(w)) {
      for (std::size_t k = i; k < i + 8; ++k) {
        p[k] = k_printable[static_cast<unsigned char>(p[k])];
      }
    }
  }
  for (; i < n; ++i) {
    p[i] = k_printable[static_cast<unsigned char>(p[i])];
  }
}

void append_printable(std::string& out, std::string_view s) {
  const std::size_t at = out.size();
  out.append(s);
  make_printable(out, at);
}

void append_number(std::string& out, std::uint32_t n) {
  const fmt::format_int s(n);
  out.append(s.data(), s.size());
}

// Per-render memory of the last file looked up: findings come sorted by file, so the
// display name and the source file are computed once per file, not once per finding.
class Renderer {
 public:
  Renderer(const ReportInput& input, const RenderOptions& options)
      : m_input(input), m_options(options), m_style{options.color} {}

  void finding(std::string& out, const core::Diagnostic& d) {
    m_style.open(out, "1");
    location(out, d.span.begin);
    m_style.close(out);
    out += ": ";
    m_style.open(out, severity_color(d.severity));
    out += core::to_string(d.severity);
    m_style.close(out);
    out += ": ";
    const std::size_t message_at = out.size();
    core::append_masked(out, d.message);
    make_printable(out, message_at);
    out += " [";
    out += d.rule;
    out += "]\n";
    excerpt(out, d.span);
    for (const auto& r : d.related) {
      m_style.open(out, "1");
      location(out, r.span.begin);
      m_style.close(out);
      out += ": ";
      m_style.open(out, severity_color(core::Severity::note));
      out += "note";
      m_style.close(out);
      out += ": ";
      append_printable(out, masked_shared(r.message));
      out += '\n';
    }
    if (!d.help.empty()) {
      out += "  ";
      m_style.open(out, "1");
      out += "help:";
      m_style.close(out);
      out += ' ';
      append_printable(out, masked_shared(d.help));
      out += '\n';
    }
  }

 private:
  // Most findings of a rule share their help text and their notes' wording: masked once
  // per distinct text (the memory is bounded: forgotten when it holds many).
  const std::string& masked_shared(const std::string& text) {
    if (auto it = m_masked_shared.find(text); it != m_masked_shared.end()) {
      return it->second;
    }
    if (m_masked_shared.size() >= 256) {
      m_masked_shared.clear();
    }
    return m_masked_shared.emplace(text, core::mask_secrets(text)).first->second;
  }

  const std::string& shown_path(const std::string& path) {
    if (&path != m_path_key || path != m_path) {
      m_path_key = &path;
      m_path = path;
      m_shown.clear();
      append_printable(m_shown, display_path(path, m_options));
    }
    return m_shown;
  }

  void location(std::string& out, const core::Location& loc) {
    out += shown_path(loc.file);
    if (loc.line == 0) {
      return;
    }
    out += ':';
    append_number(out, loc.line);
    if (loc.column != 0) {
      out += ':';
      append_number(out, loc.column);
    }
  }

  const core::SourceFile* source(const std::string& path) {
    if (&path == m_source_key && path == m_source_path) {
      return m_source;
    }
    m_source_key = &path;
    m_source_path = path;
    m_source = nullptr;
    for (const auto* set : m_input.sources) {
      if (set == nullptr) {
        continue;
      }
      if (const auto* f = set->find(path)) {
        m_source = f;
        m_source_set = set;
        break;
      }
    }
    return m_source;
  }

  void excerpt(std::string& out, const core::Span& span) {
    if (span.begin.line == 0) {
      return;
    }
    const core::SourceFile* file = source(span.begin.file);
    if (file == nullptr || span.begin.line > file->line_count()) {
      return;
    }
    std::string_view raw = file->line(span.begin.line);
    if (file != m_masked_file || span.begin.line != m_masked_line) {
      // Consecutive findings on one line share its masked text. First the secrets the parsers
      // located, as '*' (same length); then the patterns of mask_secrets.
      m_masked_file = file;
      m_masked_line = span.begin.line;
      m_structural_used = false;
      if (m_source_set->has_secrets(file->path())) {
        m_structural.assign(raw);
        m_structural_used = m_source_set->mask_secrets(file->path(), span.begin.line, m_structural);
      }
      m_masked = core::mask_secrets(m_structural_used ? std::string_view(m_structural) : raw);
      m_masked_printable.clear();
      append_printable(m_masked_printable, m_masked);
    }
    if (m_structural_used) {
      raw = m_structural;
    }
    const std::string& masked = m_masked;
    const fmt::format_int number(span.begin.line);
    const std::size_t width = std::max<std::size_t>(4, number.size());
    out.append(width - number.size(), ' ');
    out.append(number.data(), number.size());
    out += ' ';
    bar(out);
    out += ' ';
    out += m_masked_printable;
    out += '\n';

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
    const bool changed = masked != raw;
    if (changed) {
      // Map the positions onto the masked text: mask the prefixes as well.
      begin = std::min(core::mask_secrets(raw.substr(0, begin)).size(), masked.size());
      end = std::min(core::mask_secrets(raw.substr(0, end)).size(), masked.size());
      end = std::max(end, begin);
    }
    const std::string_view basis = changed ? std::string_view(masked) : raw;
    out.append(width, ' ');
    out += ' ';
    bar(out);
    out += ' ';
    // Blanks under the text before the span, tabs where it has tabs.
    const std::size_t blanks = out.size();
    out.append(begin, ' ');
    for (std::size_t i = basis.substr(0, begin).find('\t'); i != std::string_view::npos && i < begin;
         i = basis.find('\t', i + 1)) {
      out[blanks + i] = '\t';
    }
    m_style.open(out, "1;32");
    out += '^';
    if (end > begin + 1) {
      out.append(end - begin - 1, '~');
    }
    m_style.close(out);
    out += '\n';
  }

  void bar(std::string& out) const {
    m_style.open(out, "1;34");
    out += '|';
    m_style.close(out);
  }

  const ReportInput& m_input;
  const RenderOptions& m_options;
  Style m_style;
  const std::string* m_path_key = nullptr;
  std::string m_path;
  std::string m_shown;
  const std::string* m_source_key = nullptr;
  std::string m_source_path;
  const core::SourceFile* m_source = nullptr;
  const core::SourceSet* m_source_set = nullptr;  // the set m_source is in (its secret spans)
  const core::SourceFile* m_masked_file = nullptr;
  std::uint32_t m_masked_line = 0;
  std::string m_masked;
  std::string m_masked_printable;  // m_masked as append_printable shows it
  std::string m_structural;        // the line with the registered secret spans masked
  bool m_structural_used = false;
  std::unordered_map<std::string, std::string> m_masked_shared;
};

}  // namespace

namespace {

// From this many findings the text report is rendered on two threads: chunks of
// k_chunk_findings findings, each rendered by whichever thread is free into a buffer of its
// own and written in order by the calling thread, at most k_chunks_ahead chunks rendered
// ahead of the writing (the buffers are reused). A finding's text depends on that finding
// alone (a Renderer only remembers lookups), so the bytes are the same as from one renderer.
constexpr std::size_t k_parallel_findings = 8192;
constexpr std::size_t k_chunk_findings = 1024;
constexpr std::size_t k_chunks_ahead = 4;

// The findings of the report handed to `write` in order, rendered on this thread and (when a
// thread can be started) one other.
void render_findings_on_two_threads(const ReportInput& input, const RenderOptions& options,
                                    const std::function<void(std::string_view)>& write) {
  const std::vector<core::Diagnostic>& findings = input.diagnostics;
  const std::size_t chunks = (findings.size() + k_chunk_findings - 1) / k_chunk_findings;
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;     // the next chunk to render
  std::size_t written = 0;  // chunks written
  std::array<std::string, k_chunks_ahead> rendered;
  std::array<bool, k_chunks_ahead> ready{};
  std::vector<std::string> spare;
  std::exception_ptr error;
  bool stop = false;

  // Renders the next chunk, if one may be rendered now (lock held on entry and on return).
  auto render_next = [&](Renderer& renderer, std::unique_lock<std::mutex>& lock) {
    if (next >= chunks || next >= written + k_chunks_ahead) {
      return false;
    }
    const std::size_t chunk = next++;
    std::string buffer;
    if (!spare.empty()) {
      buffer = std::move(spare.back());
      spare.pop_back();
    }
    lock.unlock();
    buffer.clear();
    const std::size_t end = std::min(findings.size(), (chunk + 1) * k_chunk_findings);
    for (std::size_t i = chunk * k_chunk_findings; i < end; ++i) {
      renderer.finding(buffer, findings[i]);
    }
    lock.lock();
    rendered[chunk % k_chunks_ahead] = std::move(buffer);
    ready[chunk % k_chunks_ahead] = true;
    changed.notify_all();
    return true;
  };
  auto work = [&] {
    try {
      Renderer renderer(input, options);
      std::unique_lock<std::mutex> lock(mutex);
      while (!stop && next < chunks) {
        if (!render_next(renderer, lock)) {
          changed.wait(lock);
        }
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex);
      if (!error) {
        error = std::current_exception();
      }
      stop = true;
      changed.notify_all();
    }
  };
  std::thread helper;
  try {
    helper = std::thread(work);
  } catch (const std::system_error&) {
    // No thread to be had: this one renders every chunk.
  }
  auto finish = [&] {
    {
      const std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    if (helper.joinable()) {
      helper.join();
    }
  };
  try {
    Renderer renderer(input, options);
    std::unique_lock<std::mutex> lock(mutex);
    while (written < chunks && !error) {
      const std::size_t slot = written % k_chunks_ahead;
      if (ready[slot]) {
        std::string buffer = std::move(rendered[slot]);
        ready[slot] = false;
        lock.unlock();
        write(buffer);
        lock.lock();
        ++written;
        spare.push_back(std::move(buffer));
        changed.notify_all();
      } else if (!render_next(renderer, lock)) {
        changed.wait(lock);
      }
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
  if (error) {
    std::rethrow_exception(error);
  }
}

// The text report, handed to `write` whenever `out` holds `piece` bytes or more, and at the
// end (`out` is left empty then).
void render_text_pieces(const ReportInput& input, const RenderOptions& options, std::string& out,
                        const std::function<void(std::string_view)>* write, std::size_t piece) {
  if (write != nullptr && input.diagnostics.size() >= k_parallel_findings) {
    render_findings_on_two_threads(input, options, *write);
    out += summary_line(input.diagnostics, input.files);
    out += '\n';
    (*write)(out);
    out.clear();
    return;
  }
  Renderer renderer(input, options);
  for (const auto& d : input.diagnostics) {
    renderer.finding(out, d);
    if (write != nullptr && out.size() >= piece) {
      (*write)(out);
      out.clear();
    }
  }
  if (!(options.quiet && input.diagnostics.empty())) {
    out += summary_line(input.diagnostics, input.files);
    out += '\n';
  }
  if (write != nullptr) {
    (*write)(out);
    out.clear();
  }
}

}  // namespace

std::string render_text(const ReportInput& input, const RenderOptions& options) {
  std::string out;
  // About five lines of about 90 bytes per finding (pages not written are never touched).
  out.reserve(input.diagnostics.size() * 512 + 128);
  render_text_pieces(input, options, out, nullptr, 0);
  return out;
}

namespace {

// With --quiet, only the findings at or above --fail-on.
const ReportInput& shown_input(const ReportInput& input, const RenderOptions& options, ReportInput& filtered) {
  if (!options.quiet) {
    return input;
  }
  filtered.sources = input.sources;
  filtered.files = input.files;
  filtered.targets = input.targets;
  filtered.notices = input.notices;
  for (const auto& d : input.diagnostics) {
    if (lint::at_or_above(d.severity, options.fail_on)) {
      filtered.diagnostics.push_back(d);
    }
  }
  return filtered;
}

}  // namespace

void render_to(Format format, const ReportInput& input, const RenderOptions& options,
               const std::function<void(std::string_view)>& write, std::size_t piece) {
  if (format != Format::text) {
    write(render(format, input, options));
    return;
  }
  ReportInput filtered;
  const ReportInput& in = shown_input(input, options, filtered);
  std::string out;
  out.reserve(std::min(in.diagnostics.size() * 512, piece) + 4096);
  render_text_pieces(in, options, out, &write, piece);
}

std::string render(Format format, const ReportInput& input, const RenderOptions& options) {
  ReportInput filtered;
  const ReportInput* in = &shown_input(input, options, filtered);
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
