// Masks secret values in any text shown to the user (excerpts, messages, help).
//
// Over-masking is preferred to leaking: when a value's end is ambiguous, the mask runs
// to the next whitespace.
#include "core/secrets.hpp"

#include <array>

namespace pgl::core {

namespace {

constexpr std::string_view k_mask = "***";

// Letters, digits and '_' (std::isalnum in the "C" locale the program runs in).
constexpr std::array<bool, 256> k_ident = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<std::size_t>(c)] =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  return t;
}();

bool is_ident_char(char c) {
  return k_ident[static_cast<unsigned char>(c)];
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// ASCII lower case, as std::tolower in the "C" locale the program runs in (a table: this
// runs for every letter a key can start with in every message and excerpt).
constexpr std::array<char, 256> k_lower = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<std::size_t>(c)] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return t;
}();

char lower(char c) {
  return k_lower[static_cast<unsigned char>(c)];
}

bool iequals_at(std::string_view text, std::size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) {
    return false;
  }
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(text[pos + i]) != word[i]) {
      return false;
    }
  }
  return true;
}

// End (exclusive) of a value starting at `pos`, and the range to mask inside it.
struct ValueRange {
  std::size_t mask_begin;
  std::size_t mask_end;
  std::size_t end;
};

// A value written in a libpq connection string, possibly itself inside a quoted
// postgresql.conf string (where a quote is doubled or backslash-escaped).
ValueRange libpq_value(std::string_view t, std::size_t pos) {
  const std::size_t n = t.size();
  // ''secret'' : a libpq-quoted value inside a conf string using doubled quotes.
  if (t.substr(pos, 2) == "''") {
    std::size_t close = t.find("''", pos + 2);
    if (close == std::string_view::npos) {
      return {pos + 2, n, n};
    }
    return {pos + 2, close, close + 2};
  }
  // \'secret\' : the same with backslash-escaped quotes.
  if (t.substr(pos, 2) == "\\'") {
    std::size_t close = t.find("\\'", pos + 2);
    if (close == std::string_view::npos) {
      return {pos + 2, n, n};
    }
    return {pos + 2, close, close + 2};
  }
  if (pos < n && t[pos] == '\'') {
    std::size_t i = pos + 1;
    while (i < n && t[i] != '\'') {
      i += (t[i] == '\\' && i + 1 < n) ? 2 : 1;
    }
    if (i >= n) {
      return {pos + 1, n, n};
    }
    return {pos + 1, i, i + 1};
  }
  std::size_t i = pos;
  while (i < n && !is_space(t[i])) {
    i += (t[i] == '\\' && i + 1 < n) ? 2 : 1;
  }
  std::size_t mask_end = i > n ? n : i;
  // Keep the quote that closes an enclosing conf string: `'... password=x'`.
  if (mask_end > pos + 1 && t[mask_end - 1] == '\'' && t[mask_end - 2] != '\\') {
    --mask_end;
  }
  return {pos, mask_end, i > n ? n : i};
}

// A value of a pg_hba.conf option (`name=value`, `name="value"`).
ValueRange hba_value(std::string_view t, std::size_t pos) {
  const std::size_t n = t.size();
  if (pos < n && t[pos] == '"') {
    std::size_t close = t.find('"', pos + 1);
    if (close == std::string_view::npos) {
      return {pos + 1, n, n};
    }
    return {pos + 1, close, close + 1};
  }
  std::size_t i = pos;
  while (i < n && !is_space(t[i])) {
    ++i;
  }
  return {pos, i, i};
}

// A postgresql.conf value: 'quoted' (with '' and \' escapes) or a bare token.
ValueRange conf_value(std::string_view t, std::size_t pos) {
  const std::size_t n = t.size();
  if (pos < n && t[pos] == '\'') {
    std::size_t i = pos + 1;
    while (i < n) {
      if ((t[i] == '\\' && i + 1 < n) || (t[i] == '\'' && i + 1 < n && t[i + 1] == '\'')) {
        i += 2;  // an escaped character or a doubled quote
      } else if (t[i] == '\'') {
        break;
      } else {
        ++i;
      }
    }
    if (i >= n) {
      return {pos + 1, n, n};
    }
    return {pos + 1, i, i + 1};
  }
  std::size_t i = pos;
  while (i < n && !is_space(t[i]) && t[i] != '#') {
    ++i;
  }
  return {pos, i, i};
}

struct KeyRule {
  std::string_view key;
  ValueRange (*value)(std::string_view, std::size_t);
  bool spaces_around_equals;  // `key = value` allowed
  bool equals_optional;       // postgresql.conf allows `key value`
};

constexpr std::array<KeyRule, 5> k_keys{{
    {"sslpassword", libpq_value, true, false},
    {"password", libpq_value, true, false},
    {"ldapbindpasswd", hba_value, false, false},
    {"radiussecrets", hba_value, false, false},
    {"ssl_passphrase_command", conf_value, true, true},
}};

// Tries every key at `pos`; on a match appends the masked text to `out` and returns the
// position after the value.
std::size_t try_key(std::string_view t, std::size_t pos, std::string& out) {
  if (pos > 0 && is_ident_char(t[pos - 1])) {
    return pos;
  }
  for (const auto& rule : k_keys) {
    if (!iequals_at(t, pos, rule.key)) {
      continue;
    }
    std::size_t i = pos + rule.key.size();
    if (i < t.size() && is_ident_char(t[i])) {
      continue;
    }
    std::size_t j = i;
    if (rule.spaces_around_equals) {
      while (j < t.size() && (t[j] == ' ' || t[j] == '\t')) {
        ++j;
      }
    }
    bool has_equals = j < t.size() && t[j] == '=';
    if (has_equals) {
      ++j;
      if (rule.spaces_around_equals) {
        while (j < t.size() && (t[j] == ' ' || t[j] == '\t')) {
          ++j;
        }
      }
    } else if (!(rule.equals_optional && j > i)) {
      continue;
    }
    if (j >= t.size() || t[j] == '\n' || t[j] == '\r') {
      continue;
    }
    const ValueRange v = rule.value(t, j);
    if (v.mask_end <= v.mask_begin && v.end == j) {
      continue;
    }
    out.append(t.substr(pos, v.mask_begin - pos));
    out.append(k_mask);
    out.append(t.substr(v.mask_end, v.end - v.mask_end));
    return v.end;
  }
  return pos;
}

// postgres://user:secret@host → postgres://user:***@host
std::size_t try_uri(std::string_view t, std::size_t pos, std::string& out) {
  std::size_t scheme_len = 0;
  if (iequals_at(t, pos, "postgresql://")) {
    scheme_len = 13;
  } else if (iequals_at(t, pos, "postgres://")) {
    scheme_len = 11;
  } else {
    return pos;
  }
  const std::size_t auth_begin = pos + scheme_len;
  std::size_t auth_end = auth_begin;
  while (auth_end < t.size() && !is_space(t[auth_end]) && t[auth_end] != '/' && t[auth_end] != '?' &&
         t[auth_end] != '#' && t[auth_end] != '\'' && t[auth_end] != '"') {
    ++auth_end;
  }
  const std::string_view authority = t.substr(auth_begin, auth_end - auth_begin);
  const std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) {
    return pos;
  }
  const std::size_t colon = authority.find(':');
  if (colon == std::string_view::npos || colon > at) {
    return pos;
  }
  out.append(t.substr(pos, scheme_len + colon + 1));
  out.append(k_mask);
  out.append(authority.substr(at));
  return auth_end;
}

// Characters a key or a URI scheme can start with (either case).
constexpr std::array<bool, 256> k_starts = [] {
  std::array<bool, 256> t{};
  auto add = [&t](char c) {
    t[static_cast<unsigned char>(c)] = true;
    t[static_cast<unsigned char>(c - 'a' + 'A')] = true;
  };
  add('p');  // postgres:// and postgresql://
  for (const auto& rule : k_keys) {
    add(rule.key.front());
  }
  return t;
}();

// The first two characters (lower case) of the URI schemes anywhere and of the keys at the
// start of a word: at every other position neither try_uri nor try_key can match, so the
// text is copied as it is.
bool may_start(std::string_view t, std::size_t i) {
  if (i + 1 >= t.size()) {
    return false;
  }
  const char a = lower(t[i]);
  const char b = lower(t[i + 1]);
  if (a == 'p' && b == 'o') {
    return true;  // postgres:// and postgresql://
  }
  if (i > 0 && is_ident_char(t[i - 1])) {
    return false;  // try_key needs a key that starts a word
  }
  for (const auto& rule : k_keys) {
    if (a == rule.key[0] && b == rule.key[1]) {
      return true;
    }
  }
  return false;
}

}  // namespace

namespace {

// False when no key or scheme can match anywhere in `text`: the libpq and hba keys need an
// '=' after them, ssl_passphrase_command holds "_passphrase_command", a URI "://". Three
// library searches instead of a look at every character (most messages and lines hold none).
bool may_hold_secret(std::string_view text) {
  if (text.find('=') != std::string_view::npos || text.find("://") != std::string_view::npos) {
    return true;
  }
  constexpr std::string_view k_stem = "_passphrase_command";
  for (std::size_t u = text.find('_'); u != std::string_view::npos; u = text.find('_', u + 1)) {
    if (iequals_at(text, u, k_stem)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string mask_secrets(std::string_view text) {
  std::string out;
  append_masked(out, text);
  return out;
}

void append_masked(std::string& out, std::string_view text) {
  if (!may_hold_secret(text)) {
    out.append(text);
    return;
  }
  out.reserve(out.size() + text.size());
  // Text before `i` not yet in `out` starts at `copied`; it is appended in one piece before
  // a match (try_uri and try_key append nothing when they do not match) and at the end.
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!k_starts[static_cast<unsigned char>(text[i])] || !may_start(text, i)) {
      ++i;
      continue;
    }
    const std::size_t pending = out.size();
    out.append(text.substr(copied, i - copied));
    std::size_t next = try_uri(text, i, out);
    if (next == i) {
      next = try_key(text, i, out);
    }
    if (next == i) {
      out.resize(pending);
      ++i;
    } else {
      i = next;
      copied = next;
    }
  }
  out.append(text.substr(copied));
}

}  // namespace pgl::core
