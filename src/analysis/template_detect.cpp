#include "analysis/template_detect.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "conf/guc.hpp"

namespace pgl::analysis {

namespace {

bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Length of `@NAME@` or `@@NAME@@` starting at s[i] == '@', or 0.
std::size_t at_placeholder_length(std::string_view s, std::size_t i) {
  const bool twin = i + 1 < s.size() && s[i + 1] == '@';
  std::size_t j = i + (twin ? 2 : 1);
  if (j >= s.size() || !is_ident_start(s[j])) {
    return 0;
  }
  while (j < s.size() && (is_ident_char(s[j]) || (!twin && s[j] == '-'))) {
    ++j;
  }
  if (twin) {
    return j + 1 < s.size() && s[j] == '@' && s[j + 1] == '@' ? j + 2 - i : 0;
  }
  return j < s.size() && s[j] == '@' ? j + 1 - i : 0;
}

bool is_mako_control_line(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos || line[i] != '%') {
    return false;
  }
  ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
    ++i;
  }
  static constexpr std::string_view k_words[] = {"if",       "elif", "else",   "endif",  "for", "endfor", "while",
                                                 "endwhile", "try",  "except", "endtry", "def", "enddef"};
  std::size_t j = i;
  while (j < line.size() && std::isalpha(static_cast<unsigned char>(line[j]))) {
    ++j;
  }
  const std::string_view word = line.substr(i, j - i);
  return std::find(std::begin(k_words), std::end(k_words), word) != std::end(k_words);
}

bool is_upper_token(std::string_view v) {
  if (v.empty() || !std::isupper(static_cast<unsigned char>(v[0]))) {
    return false;
  }
  bool underscore = false;
  for (char c : v) {
    if (c == '_') {
      underscore = true;
    } else if (!std::isupper(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return underscore || v.size() >= 4;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// `name [=] VALUE` or `name = 'VALUE'` where VALUE is an all-caps token the parameter can
// never take: a number/bool parameter, or the parameter's own name in capitals.
void detect_bare_placeholder(std::string_view line, std::uint32_t line_no, const TemplateDetectOptions& options,
                             std::vector<TemplateMatch>& out) {
  std::size_t i = line.find_first_not_of(" \t\r");
  if (i == std::string_view::npos || !is_ident_start(line[i])) {
    return;
  }
  std::size_t j = i;
  while (j < line.size() && (is_ident_char(line[j]) || line[j] == '.')) {
    ++j;
  }
  const std::string_view name = line.substr(i, j - i);
  while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) {
    ++j;
  }
  if (j < line.size() && line[j] == '=') {
    ++j;
  }
  while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) {
    ++j;
  }
  const bool quoted = j < line.size() && line[j] == '\'';
  const std::size_t vstart = j + (quoted ? 1 : 0);
  std::size_t k = vstart;
  while (k < line.size() && (is_ident_char(line[k]))) {
    ++k;
  }
  const std::string_view value = line.substr(vstart, k - vstart);
  if (quoted && (k >= line.size() || line[k] != '\'')) {
    return;
  }
  std::size_t rest = k + (quoted ? 1 : 0);
  rest = line.find_first_not_of(" \t\r", rest);
  if (rest != std::string_view::npos && line[rest] != '#') {
    return;
  }
  if (!is_upper_token(value)) {
    return;
  }
  bool placeholder = upper(name) == value;
  if (!placeholder) {
    const auto* def = conf::find_guc(options.pg_version, name);
    placeholder = def != nullptr && (def->type == conf::GucType::integer || def->type == conf::GucType::real ||
                                     def->type == conf::GucType::boolean);
  }
  if (placeholder) {
    out.push_back(TemplateMatch{line_no, static_cast<std::uint32_t>(vstart + 1),
                                static_cast<std::uint32_t>(value.size()), TemplateKind::bare_placeholder,
                                std::string(value), false});
  }
}

// Characters a construct (or a Mako control line) starts with: a line without any of them
// holds none, whatever its quotes and comments.
bool may_hold_construct(std::string_view line) {
  static constexpr auto k_starts = [] {
    std::array<bool, 256> t{};
    for (const char c : std::string_view("{<$@%")) {
      t[static_cast<unsigned char>(c)] = true;
    }
    return t;
  }();
  return std::any_of(line.begin(), line.end(), [](char c) { return k_starts[static_cast<unsigned char>(c)]; });
}

// The first position at or after `from` of a character a construct starts with, or npos;
// `from` only grows between calls, so each character's occurrences are searched once.
class NextConstructStart {
 public:
  explicit NextConstructStart(std::string_view text) : m_text(text) {}
  std::size_t at_or_after(std::size_t from) {
    std::size_t best = std::string_view::npos;
    for (std::size_t k = 0; k < k_chars.size(); ++k) {
      if (m_next[k] != std::string_view::npos && (m_next[k] < from || !m_known[k])) {
        m_next[k] = m_text.find(k_chars[k], from);
        m_known[k] = true;
      }
      best = std::min(best, m_next[k]);
    }
    return best;
  }

 private:
  static constexpr std::string_view k_chars = "{<$@%";
  std::string_view m_text;
  std::array<std::size_t, 5> m_next{0, 0, 0, 0, 0};
  std::array<bool, 5> m_known{};
};

// One line's scan for constructs, with the quote and comment state the scan tracks.
class LineScan {
 public:
  LineScan(std::string_view line, std::uint32_t line_no, const TemplateDetectOptions& options,
           std::vector<TemplateMatch>& out, std::string& pending, TemplateKind& pending_kind)
      : m_line(line),
        m_line_no(line_no),
        m_options(options),
        m_out(out),
        m_pending(pending),
        m_pending_kind(pending_kind) {}

  // The rest of a tag left open on an earlier line; the position to resume at, or npos when
  // the tag stays open to the end of this line.
  std::size_t continue_pending() {
    const std::size_t c = m_line.find(m_pending);
    const std::size_t end = c == std::string_view::npos ? m_line.size() : c + m_pending.size();
    m_out.push_back(TemplateMatch{m_line_no, 1, static_cast<std::uint32_t>(std::max<std::size_t>(end, 1)),
                                  m_pending_kind, std::string(m_line.substr(0, end)), false});
    if (c == std::string_view::npos) {
      return std::string_view::npos;
    }
    m_pending.clear();
    return end;
  }

  void mako_line() {
    const std::size_t b = m_line.find('%');
    m_out.push_back(TemplateMatch{m_line_no, static_cast<std::uint32_t>(b + 1),
                                  static_cast<std::uint32_t>(m_line.size() - b), TemplateKind::mako_line,
                                  std::string(m_line.substr(b)), false});
  }

  void scan(std::size_t from) {
    if (m_options.conf_format) {
      const std::size_t b = m_line.find_first_not_of(" \t");
      std::size_t e = b;
      while (e < m_line.size() && (is_ident_char(m_line[e]) || m_line[e] == '.')) {
        ++e;
      }
      m_shell_value = b != std::string_view::npos && m_line.substr(b, e - b).ends_with("_command");
    }
    for (std::size_t i = from; i < m_line.size();) {
      const std::size_t after = construct_at(i);
      if (after != std::string_view::npos) {
        i = after;
        continue;
      }
      const char c = m_line[i];
      if (!m_in_comment) {
        if (c == m_options.quote) {
          m_in_quote = !m_in_quote;
        } else if (c == '#' && !m_in_quote) {
          m_in_comment = true;
        }
      }
      ++i;
    }
  }

 private:
  void add(std::size_t begin, std::size_t end, TemplateKind kind) {
    end = std::min(end, m_line.size());
    m_out.push_back(TemplateMatch{m_line_no, static_cast<std::uint32_t>(begin + 1),
                                  static_cast<std::uint32_t>(end - begin), kind,
                                  std::string(m_line.substr(begin, end - begin)), m_in_comment});
  }

  std::size_t closing(std::size_t from, std::string_view close) const {
    const std::size_t c = m_line.find(close, from);
    return c == std::string_view::npos ? m_line.size() : c + close.size();
  }

  // The construct starting at line[i], recorded; the position after it, or npos.
  std::size_t construct_at(std::size_t i) {
    const char c = m_line[i];
    const char n = i + 1 < m_line.size() ? m_line[i + 1] : '\0';
    if (c == '{' && (n == '{' || n == '%' || n == '#')) {
      return jinja(i, n);
    }
    if (c == '<' && n == '%') {
      return erb(i);
    }
    if (c == '$' && n == '{') {
      return dollar_brace(i);
    }
    if (c == '@') {
      if (const std::size_t len = at_placeholder_length(m_line, i)) {
        add(i, i + len, TemplateKind::at_placeholder);
        return i + len;
      }
    }
    return std::string_view::npos;
  }

  std::size_t jinja(std::size_t i, char n) {
    const std::string_view close = n == '{' ? "}}" : (n == '%' ? "%}" : "#}");
    const std::size_t end = closing(i + 2, close);
    add(i, end, TemplateKind::jinja);
    if (m_line.find(close, i + 2) == std::string_view::npos) {
      m_pending = std::string(close);
      m_pending_kind = TemplateKind::jinja;
    }
    return end;
  }

  // ERB/EPP tags: `<%` then a blank, `=`, `-`, `#` or `|` (`<%u` is log_line_prefix data, as in
  // '<%u%%%d> '), or any `<%` closed by `%>` on the same line. An unclosed tag spans lines.
  std::size_t erb(std::size_t i) {
    const char t = i + 2 < m_line.size() ? m_line[i + 2] : ' ';
    const bool closed = m_line.find("%>", i + 2) != std::string_view::npos;
    const bool tag_start = t == ' ' || t == '\t' || t == '=' || t == '-' || t == '#' || t == '|';
    if (!closed && !tag_start) {
      return std::string_view::npos;
    }
    const std::size_t end = closing(i + 2, "%>");
    add(i, end, TemplateKind::erb);
    if (!closed) {
      m_pending = "%>";
      m_pending_kind = TemplateKind::erb;
    }
    return end;
  }

  // `${sysconfdir}` in a quoted value is the server's own sample text, a literal
  // (`krb_server_keyfile = 'FILE:${sysconfdir}/krb5.keytab'`), not a placeholder.
  std::size_t dollar_brace(std::size_t i) {
    const bool sample_literal = m_options.conf_format && m_in_quote && m_line.substr(i).starts_with("${sysconfdir}");
    if ((m_shell_value && m_in_quote) || sample_literal) {
      return std::string_view::npos;
    }
    const std::size_t end = closing(i + 2, "}");
    add(i, end, TemplateKind::dollar_brace);
    return end;
  }

  std::string_view m_line;
  std::uint32_t m_line_no;
  const TemplateDetectOptions& m_options;
  std::vector<TemplateMatch>& m_out;
  std::string& m_pending;
  TemplateKind& m_pending_kind;
  bool m_in_quote = false;
  bool m_in_comment = false;
  bool m_shell_value = false;  // archive_command & co. run through the shell: ${VAR} is theirs
};

// `pending` holds the closing delimiter of a tag left open on an earlier line ("" = none):
// EPP parameter blocks (`<%- |` ... `| -%>`) and Jinja comments span lines.
void detect_line(std::string_view line, std::uint32_t line_no, const TemplateDetectOptions& options,
                 std::vector<TemplateMatch>& out, std::string& pending, TemplateKind& pending_kind) {
  const std::size_t first = out.size();
  if (pending.empty() && !may_hold_construct(line)) {
    if (options.conf_format) {
      detect_bare_placeholder(line, line_no, options, out);
    }
    return;
  }
  LineScan scan(line, line_no, options, out, pending, pending_kind);
  std::size_t resume = 0;
  if (!pending.empty()) {
    resume = scan.continue_pending();
    if (resume == std::string_view::npos) {
      return;
    }
  }
  if (resume == 0 && is_mako_control_line(line)) {
    scan.mako_line();
    return;
  }
  scan.scan(resume);
  if (options.conf_format && out.size() == first) {
    detect_bare_placeholder(line, line_no, options, out);
  }
}

}  // namespace

std::string_view to_string(TemplateKind kind) {
  switch (kind) {
    case TemplateKind::jinja: return "Jinja";
    case TemplateKind::erb: return "ERB/EPP";
    case TemplateKind::mako_line: return "Mako";
    case TemplateKind::dollar_brace: return "${...} substitution";
    case TemplateKind::at_placeholder: return "@...@ placeholder";
    case TemplateKind::bare_placeholder: return "placeholder token";
  }
  return "template";
}

std::vector<TemplateMatch> detect_templates(std::string_view text, const TemplateDetectOptions& options) {
  std::vector<TemplateMatch> out;
  std::string pending;
  TemplateKind pending_kind = TemplateKind::jinja;
  std::uint32_t line_no = 1;
  std::size_t start = 0;
  // Outside postgresql.conf a line without a construct's first character holds nothing to
  // report (may_hold_construct): with no tag left open, go straight to the next line that has one.
  NextConstructStart next_start(text);
  while (start <= text.size()) {
    if (!options.conf_format && pending.empty()) {
      const std::size_t hit = next_start.at_or_after(start);
      if (hit == std::string_view::npos) {
        break;
      }
      // Skip to the start of the line holding `hit`, counting the lines passed.
      for (std::size_t nl = text.find('\n', start); nl < hit; nl = text.find('\n', start)) {
        start = nl + 1;
        ++line_no;
      }
    }
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    detect_line(line, line_no, options, out, pending, pending_kind);
    if (end == text.size()) {
      break;
    }
    start = end + 1;
    ++line_no;
  }
  return out;
}

std::set<std::uint32_t> template_lines(std::string_view text, const TemplateDetectOptions& options) {
  std::set<std::uint32_t> lines;
  for (const auto& m : detect_templates(text, options)) {
    if (!m.in_comment) {
      lines.insert(m.line);
    }
  }
  return lines;
}

}  // namespace pgl::analysis
