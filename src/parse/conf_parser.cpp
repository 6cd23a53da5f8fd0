// postgresql.conf, its includes and postgresql.auto.conf, read as the server does
// (guc-file.l: ParseConfigFile, ParseConfigFp, ParseConfigDirectory; conffiles.c 16+).
#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <sys/stat.h>

#include "core/secrets.hpp"
#include "core/text_file.hpp"
#include "grammar/conf_actions.hpp"
#include "grammar/conf_errors.hpp"
#include "grammar/conf_grammar.hpp"
#include "parse/conf_paths.hpp"
#include "parse/conninfo.hpp"
#include "parse/parse.hpp"

namespace pgl::parse {
namespace {

namespace g = pgl::grammar::conf;
namespace pegtl = tao::pegtl;

// Guards against include graphs that branch and loop (each file including several
// others that include it back): the server would grind through them for a very long
// time; we stop with a problem instead.
constexpr std::size_t k_max_parsed_files = 5000;

std::vector<g::RawConfLine> lex(const std::string& file, const std::string& bytes, int max_errors) {
  g::ConfLexState st;
  st.file = file;
  st.max_errors = max_errors;
  pegtl::memory_input<pegtl::tracking_mode::eager, pegtl::eol::lf> in(bytes, file);
  try {
    pegtl::parse<g::file, g::action>(in, st);
  } catch (const g::AbandonFile&) {
    // st.lines ends with the error that reached the limit.
  } catch (const pegtl::parse_error& e) {
    // The grammar has no must<> point; keep the guarantee that nothing escapes.
    g::RawConfLine l;
    l.is_error = true;
    l.line = 1;
    l.message = fmt::format("cannot parse \"{}\": {}", file, e.message());
    st.lines.push_back(std::move(l));
  }
  return std::move(st.lines);
}

bool all_blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

bool name_is(const std::string& name, std::string_view word) {
  if (name.size() != word.size()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != word[i]) {
      return false;
    }
  }
  return true;
}

// The raw byte (0-based, in raw_value) where byte `offset` of the dequoted value starts:
// DeescapeQuotedString replayed ('' and backslash escapes, octal \ooo).
std::size_t raw_offset(const std::string& raw, bool quoted, std::size_t offset) {
  if (!quoted || raw.size() < 2) {
    return std::min(offset, raw.size());
  }
  std::size_t out = 0;
  std::size_t i = 1;
  const std::size_t end = raw.size() - 1;
  while (i < end && out < offset) {
    if (raw[i] == '\\' && i + 1 < end) {
      std::size_t j = i + 1;
      std::size_t k = 0;
      while (k < 3 && j < end && raw[j] >= '0' && raw[j] <= '7') {
        ++j;
        ++k;
      }
      i = k > 0 ? j : i + 2;
    } else if (raw[i] == '\'' && i + 1 < end && raw[i + 1] == '\'') {
      i += 2;
    } else {
      ++i;
    }
    ++out;
  }
  return i;
}

// Where the secrets of a setting are, for the excerpts to mask (SourceSet::add_secret):
// the password values of primary_conninfo (its whole value when it does not parse) and
// the whole of ssl_passphrase_command.
void register_secrets(const model::ConfEntry& e, core::SourceSet& sources) {
  if (e.value_span.begin.line == 0 || e.value_span.begin.column == 0) {
    return;
  }
  if (name_is(e.name, "ssl_passphrase_command")) {
    sources.add_secret(e.value_span);
    return;
  }
  if (!name_is(e.name, "primary_conninfo") || !is_connection_string(e.value)) {
    return;
  }
  const auto ranges = conninfo_secret_ranges(e.value);
  if (!ranges) {
    sources.add_secret(e.value_span);
    return;
  }
  const std::uint32_t base = e.value_span.begin.column;
  for (const auto& [b, end] : *ranges) {
    core::Span s = e.value_span;
    s.begin.column = base + static_cast<std::uint32_t>(raw_offset(e.raw_value, e.quoted, b));
    s.end_column = base + static_cast<std::uint32_t>(raw_offset(e.raw_value, e.quoted, end));
    if (s.end_column > s.begin.column) {
      sources.add_secret(s);
    }
  }
}

// A line that sets a secret-bearing parameter but does not parse (`primary_conninfo =
// 'a''b'SECRET'`): what follows the name may be the secret, and the server's message
// quotes the token it stopped at. The rest of the line is registered, and the token of the
// message masked. Returns the column where the value part begins, or 0.
std::uint32_t secret_line_value_column(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) {
    return 0;
  }
  for (std::string_view name : {std::string_view("primary_conninfo"), std::string_view("ssl_passphrase_command")}) {
    if (line.size() - i < name.size() || !name_is(std::string(line.substr(i, name.size())), name)) {
      continue;
    }
    const std::size_t after = i + name.size();
    if (after < line.size() && line[after] != ' ' && line[after] != '\t' && line[after] != '=') {
      continue;  // a longer name
    }
    return static_cast<std::uint32_t>(after + 1);
  }
  return 0;
}

core::Span span_of(const core::FileName& file, std::uint32_t line, const g::TokenPos& pos) {
  if (pos.line != line || pos.column == 0) {
    return core::Span{core::Location{file, line, 0}, line, 0};
  }
  return core::Span::at(file, line, pos.column, pos.length);
}

class ConfParser {
 public:
  ConfParser(const ConfParseOptions& options, core::SourceSet& sources, model::ConfSet& out)
      : m_options(options), m_sources(sources), m_out(out) {}

  // ParseConfigFp on the bytes of an absolute path (a file of the source set).
  bool parse_bytes(const core::SourceFile& source, int depth) {
    const core::FileName& abs_path = source.name();
    const std::string& bytes = source.bytes();
    m_out.files_read.push_back(abs_path);
    const int max_errors = m_options.emulate_view ? 1 : g::k_max_syntax_errors;
    bool ok = true;
    for (auto& raw : lex(abs_path, bytes, max_errors)) {
      if (raw.is_error) {
        model::ConfProblem p;
        p.kind = model::ConfProblemKind::syntax_error;
        p.log_message = raw.message;
        p.view_error = "syntax error";
        p.span = span_of(abs_path, raw.line, raw.error_pos);
        if (raw.line > 0 && raw.line <= source.line_count()) {
          if (const std::uint32_t col = secret_line_value_column(source.line(raw.line)); col > 0) {
            m_sources.add_secret(core::Span{core::Location{abs_path, raw.line, col}, raw.line, UINT32_MAX});
            const std::string_view near = "near token \"";
            if (const std::size_t at = p.log_message.find(near); at != std::string::npos) {
              p.log_message = p.log_message.substr(0, at + near.size()) + "***\"";
            }
          }
        }
        push_problem(std::move(p));
        ok = false;
        if (raw.abandoned && max_errors == g::k_max_syntax_errors) {
          model::ConfProblem t;
          t.kind = model::ConfProblemKind::too_many_errors;
          t.log_message = g::too_many_syntax_errors(abs_path);
          t.span = core::Span{core::Location{abs_path, 0, 0}, 0, 0};
          push_problem(std::move(t));
        }
        continue;
      }
      if (name_is(raw.name, "include_dir")) {
        ok = parse_directory(raw.value, abs_path, raw.line, depth + 1) && ok;
      } else if (name_is(raw.name, "include_if_exists")) {
        ok = parse_file(raw.value, false, abs_path, raw.line, depth + 1) && ok;
      } else if (name_is(raw.name, "include")) {
        ok = parse_file(raw.value, true, abs_path, raw.line, depth + 1) && ok;
      } else {
        model::ConfEntry e;
        e.name = std::move(raw.name);
        e.value = std::move(raw.value);
        e.raw_value = std::move(raw.raw_value);
        e.quoted = raw.quoted;
        e.file = abs_path;
        e.line = raw.line;
        e.name_span = core::Span::at(abs_path, raw.name_pos.line, raw.name_pos.column, raw.name_pos.length);
        e.value_span = core::Span::at(abs_path, raw.value_pos.line, raw.value_pos.column, raw.value_pos.length);
        e.from_auto_conf = m_in_auto;
        e.include_depth = depth;
        register_secrets(e, m_sources);
        model::ConfItem item;
        item.entry = std::move(e);
        m_out.items.push_back(std::move(item));
      }
    }
    return ok;
  }

  // ParseConfigFile.
  bool parse_file(const std::string& config_file, bool strict, const std::string& calling_file,
                  std::uint32_t calling_line, int depth) {
    const auto where = core::Span{core::Location{calling_file, calling_line, 0}, calling_line, 0};
    if (all_blank(config_file)) {
      problem(model::ConfProblemKind::empty_include_name,
              fmt::format("empty configuration file name: \"{}\"", config_file), "empty configuration file name",
              where);
      return false;
    }
    if (depth > 10) {
      problem(model::ConfProblemKind::depth_exceeded,
              fmt::format("could not open configuration file \"{}\": maximum nesting depth exceeded", config_file),
              "nesting depth exceeded", where);
      return false;
    }
    const std::string abs_path =
        absolute_config_location(config_file, calling_file, m_options.data_dir, m_options.pg_version);
    if (!calling_file.empty() && abs_path == calling_file) {
      problem(model::ConfProblemKind::recursion, fmt::format("configuration file recursion in \"{}\"", calling_file),
              "configuration file recursion", where);
      return false;
    }
    if (m_parsed_files >= k_max_parsed_files) {
      problem(model::ConfProblemKind::include_unreadable,
              fmt::format("cannot read \"{}\": more than {} configuration files read (include loop?)", abs_path,
                          k_max_parsed_files),
              fmt::format("too many configuration files read at \"{}\"", abs_path), where);
      return false;
    }
    const core::SourceFile* source = m_sources.find(abs_path);
    if (source == nullptr) {
      auto r = core::read_text_file_detailed(abs_path);
      switch (r.failure) {
        case core::ReadFailure::none: source = &m_sources.add(abs_path, std::move(r.text)); break;
        case core::ReadFailure::permission:
        case core::ReadFailure::budget:
          // The linter's own failure (its rights, or the run's read budget): not a finding.
          throw Fatal(r.message);
        case core::ReadFailure::not_found:
        case core::ReadFailure::io_error:
          if (!strict) {
            model::ConfProblem p;
            p.kind = model::ConfProblemKind::include_if_exists_skipped;
            p.log_message = fmt::format("skipping missing configuration file \"{}\"", abs_path);
            p.span = where;
            p.fatal = false;
            push_problem(std::move(p));
            return true;
          }
          problem(model::ConfProblemKind::include_missing,
                  fmt::format("could not open configuration file \"{}\": {}", abs_path, r.errno_text),
                  fmt::format("could not open file \"{}\"", abs_path), where);
          return false;
        case core::ReadFailure::is_directory:
          // The server opens a directory with fopen() and its scanner fails on the
          // first read, reporting line 1 of the "file".
          problem(model::ConfProblemKind::include_unreadable, r.message, "input in flex scanner failed",
                  core::Span{core::Location{abs_path, 1, 0}, 1, 0});
          return false;
        default:
          // Not a regular file, NUL bytes, too large. postgresql.auto.conf has no
          // including line: the finding is at the file itself.
          problem(model::ConfProblemKind::include_unreadable, r.message, r.message,
                  calling_file.empty() ? core::Span{core::Location{abs_path, 0, 0}, 0, 0} : where);
          return false;
      }
    }
    ++m_parsed_files;
    return parse_bytes(*source, depth);
  }

  // ParseConfigDirectory.
  bool parse_directory(const std::string& includedir, const std::string& calling_file, std::uint32_t calling_line,
                       int depth) {
    const auto where = core::Span{core::Location{calling_file, calling_line, 0}, calling_line, 0};
    if (all_blank(includedir)) {
      problem(model::ConfProblemKind::empty_include_name,
              fmt::format("empty configuration directory name: \"{}\"", includedir),
              "empty configuration directory name", where);
      return false;
    }
    const std::string directory =
        absolute_config_location(includedir, calling_file, m_options.data_dir, m_options.pg_version);
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(directory.c_str()), &::closedir);
    if (!dir) {
      const int err = errno;
      problem(model::ConfProblemKind::include_dir_missing,
              fmt::format("could not open configuration directory \"{}\": {}", directory, std::strerror(err)),
              fmt::format("could not open directory \"{}\"", directory), where);
      return false;
    }
    std::vector<std::string> files;
    while (const dirent* de = ::readdir(dir.get())) {
      const std::string name = de->d_name;
      if (name.size() < 6 || name[0] == '.' || name.compare(name.size() - 5, 5, ".conf") != 0) {
        continue;
      }
      const std::string filename = canonicalize_path(join_path(directory, name), m_options.pg_version);
      struct stat st {};
      if (::stat(filename.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
          files.push_back(filename);
        }
      } else {
        const int err = errno;
        problem(model::ConfProblemKind::stat_failed,
                fmt::format("could not stat file \"{}\": {}", filename, std::strerror(err)),
                fmt::format("could not stat file \"{}\"", filename), where);
        return false;
      }
    }
    std::sort(files.begin(), files.end(),
              [](const std::string& a, const std::string& b) { return std::strcmp(a.c_str(), b.c_str()) < 0; });
    for (const auto& f : files) {
      if (!parse_file(f, true, calling_file, calling_line, depth)) {
        return false;
      }
    }
    return true;
  }

  void set_in_auto(bool v) { m_in_auto = v; }
  void count_file() { ++m_parsed_files; }

 private:
  void problem(model::ConfProblemKind kind, std::string log, std::string view, core::Span span) {
    model::ConfProblem p;
    p.kind = kind;
    p.log_message = std::move(log);
    p.view_error = std::move(view);
    p.span = std::move(span);
    push_problem(std::move(p));
  }
  void push_problem(model::ConfProblem p) {
    model::ConfItem item;
    item.problem = std::move(p);
    m_out.items.push_back(std::move(item));
  }

  const ConfParseOptions& m_options;
  core::SourceSet& m_sources;
  model::ConfSet& m_out;
  bool m_in_auto = false;
  std::size_t m_parsed_files = 0;
};

}  // namespace

Result<model::ConfSet> parse_conf(const std::string& main_file, const ConfParseOptions& options,
                                  core::SourceSet& sources) {
  model::ConfSet set;
  set.main_file = make_absolute(main_file);
  const core::SourceFile* source = sources.find(set.main_file);
  if (source == nullptr) {
    auto r = core::read_text_file_detailed(set.main_file);
    if (r.failure != core::ReadFailure::none) {
      return fail(r.message);
    }
    source = &sources.add(set.main_file, std::move(r.text));
  }
  ConfParser parser(options, sources, set);
  parser.count_file();
  const bool main_ok = parser.parse_bytes(*source, 0);
  if (!options.auto_file.empty()) {
    if (options.emulate_view && !main_ok) {
      set.auto_skipped = true;
    } else {
      const std::string auto_abs = make_absolute(options.auto_file);
      set.auto_file = auto_abs;
      parser.set_in_auto(true);
      (void)parser.parse_file(auto_abs, false, "", 0, 0);
      parser.set_in_auto(false);
      if (std::find(set.files_read.begin(), set.files_read.end(), auto_abs) == set.files_read.end()) {
        // Missing: skipped, as the server does (with a LOG line only; no item here).
        set.auto_file.clear();
        if (!set.items.empty() && set.items.back().problem &&
            set.items.back().problem->kind == model::ConfProblemKind::include_if_exists_skipped &&
            set.items.back().problem->span.begin.file.empty()) {
          set.items.pop_back();
        }
      }
    }
  }
  return set;
}

}  // namespace pgl::parse
