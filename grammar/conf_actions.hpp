// postgresql.conf actions: turn matches of conf_grammar.hpp into RawConfLine values.
// Positions are copied out of PEGTL at once; nothing PEGTL-typed leaves this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grammar/conf_errors.hpp"
#include "grammar/conf_grammar.hpp"

namespace pgl::grammar::conf {

// 1-based line and byte column plus length of a token.
struct TokenPos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t length = 0;
};

// One line of the file as ParseConfigFp sees it: an entry or a syntax error.
struct RawConfLine {
  bool is_error = false;
  std::uint32_t line = 0;  // sourceline the server records
  // entry
  std::string name;
  std::string value;      // de-escaped
  std::string raw_value;  // as written
  bool quoted = false;
  TokenPos name_pos;
  TokenPos value_pos;
  // error
  std::string message;     // full server message
  TokenPos error_pos;      // the offending token (length 0 = end of line / file)
  bool abandoned = false;  // this error reached the limit: the rest of the file was skipped
};

struct ConfLexState {
  std::string file;  // name used in messages
  int max_errors = k_max_syntax_errors;
  int errors = 0;
  std::vector<RawConfLine> lines;
  // the entry being read
  std::string name;
  TokenPos name_pos;
  std::string value;
  std::string raw_value;
  bool quoted = false;
  TokenPos value_pos;
};

// DeescapeQuotedString (GUC_scanstr in 12-13): strip the quotes, '' -> ', backslash
// escapes \b \f \n \r \t, 1-3 octal digits, any other byte stands for itself. The
// server keeps a C string, so a \0 escape ends the value.
[[nodiscard]] inline std::string deescape_quoted(std::string_view s) {
  std::string out;
  if (s.size() < 2) {
    return out;
  }
  const std::size_t len = s.size();
  for (std::size_t i = 1; i < len - 1; ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;
      const char e = s[i];
      switch (e) {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7': {
          int k = 0;
          long oct = 0;
          for (; k < 3 && i + k < len && s[i + k] >= '0' && s[i + k] <= '7'; ++k) {
            oct = (oct << 3) + (s[i + k] - '0');
          }
          i += static_cast<std::size_t>(k - 1);
          c = static_cast<char>(oct);
          break;
        }
        default: c = e; break;
      }
    } else if (c == '\'' && i + 1 < len && s[i + 1] == '\'') {
      c = s[++i];
    }
    if (c == '\0') {
      break;
    }
    out += c;
  }
  return out;
}

template <typename Input>
[[nodiscard]] TokenPos token_pos(const Input& in) {
  const auto p = in.position();
  return TokenPos{static_cast<std::uint32_t>(p.line), static_cast<std::uint32_t>(p.column),
                  static_cast<std::uint32_t>(in.size())};
}

inline void record_error(ConfLexState& st, std::uint32_t line, TokenPos pos, std::string message) {
  RawConfLine l;
  l.is_error = true;
  l.line = line;
  l.error_pos = pos;
  l.message = std::move(message);
  st.errors++;
  l.abandoned = st.errors >= st.max_errors;
  st.lines.push_back(std::move(l));
  if (st.errors >= st.max_errors) {
    throw AbandonFile{st.file};
  }
}

template <typename Rule>
struct action : nothing<Rule> {};

template <>
struct action<setting_name> {
  template <typename Input>
  static void apply(const Input& in, ConfLexState& st) {
    st.name = in.string();
    st.name_pos = token_pos(in);
  }
};

template <>
struct action<value_string> {
  template <typename Input>
  static void apply(const Input& in, ConfLexState& st) {
    st.raw_value = in.string();
    st.value = deescape_quoted(st.raw_value);
    st.quoted = true;
    st.value_pos = token_pos(in);
  }
};

struct bare_value_action {
  template <typename Input>
  static void apply(const Input& in, ConfLexState& st) {
    st.raw_value = in.string();
    st.value = st.raw_value;
    st.quoted = false;
    st.value_pos = token_pos(in);
  }
};
template <>
struct action<value_word> : bare_value_action {};
template <>
struct action<value_number> : bare_value_action {};

template <>
struct action<entry_end> {
  template <typename Input>
  static void apply(const Input& in, ConfLexState& st) {
    RawConfLine l;
    l.line = static_cast<std::uint32_t>(in.position().line);
    l.name = std::move(st.name);
    l.value = std::move(st.value);
    l.raw_value = std::move(st.raw_value);
    l.quoted = st.quoted;
    l.name_pos = st.name_pos;
    l.value_pos = st.value_pos;
    st.lines.push_back(std::move(l));
  }
};

struct bad_token_action {
  template <typename Input>
  static void apply(const Input& in, ConfLexState& st) {
    const TokenPos pos = token_pos(in);
    record_error(st, pos.line, pos, syntax_error_near_token(st.file, pos.line, in.string_view()));
  }
};
template <>
struct action<bad_name> : bad_token_action {};
template <>
struct action<bad_value> : bad_token_action {};
template <>
struct action<bad_trailing> : bad_token_action {};

template <>
struct action<value_missing_eol> {
  template <typename Input>
  static void apply(const Input& in, ConfLexState& st) {
    TokenPos pos = token_pos(in);
    pos.length = 0;
    record_error(st, pos.line, pos, syntax_error_near_eol(st.file, pos.line));
  }
};

// At end of file the server reports the line before the current one (it only counts
// a line when it sees its "\n"): `work_mem =` on a last line without newline is
// reported one line early.
template <>
struct action<value_missing_eof> {
  template <typename Input>
  static void apply(const Input& in, ConfLexState& st) {
    TokenPos pos = token_pos(in);
    pos.length = 0;
    const std::uint32_t line = pos.line - 1;
    record_error(st, line, pos, syntax_error_near_eol(st.file, line));
  }
};

}  // namespace pgl::grammar::conf
