#include "analysis/auth_regex_shape.hpp"

namespace pgl::analysis {

namespace {

// End of the bracket expression that starts at re[i] == '[' (the offset of its `]`), or npos.
std::size_t bracket_end(std::string_view re, std::size_t i) {
  // `]` right after `[` or `[^` is a member; [:class:] [.x.] [=x=] are single members
  std::size_t j = i + 1;
  if (j < re.size() && re[j] == '^') {
    ++j;
  }
  if (j < re.size() && re[j] == ']') {
    ++j;
  }
  while (j < re.size() && re[j] != ']') {
    if (re[j] == '[' && j + 1 < re.size() && (re[j + 1] == ':' || re[j + 1] == '.' || re[j + 1] == '=')) {
      const char kind = re[j + 1];
      const auto close = re.find(std::string{kind, ']'}, j + 2);
      if (close == std::string_view::npos) {
        return std::string_view::npos;
      }
      j = close + 2;
      continue;
    }
    if (re[j] == '\\') {
      ++j;  // ARE: backslash escapes inside brackets
    }
    ++j;
  }
  return j < re.size() ? j : std::string_view::npos;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool quantifier(char c) {
  return c == '*' || c == '+' || c == '?' || c == '{';
}

}  // namespace

RegexAnchors regex_anchors(std::string_view re) {
  RegexAnchors s;
  int depth = 0;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      if (i + 1 < re.size()) {
        s.start |= re[i + 1] == 'A';
        s.end |= re[i + 1] == 'Z';
        ++i;
      }
      continue;
    }
    if (c == '[') {
      const std::size_t e = bracket_end(re, i);
      if (e == std::string_view::npos) {
        s.ok = false;
        return s;
      }
      i = e;
      continue;
    }
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      s.top_alternation = true;
    } else if (c == '^') {
      s.start = true;
    } else if (c == '$') {
      s.end = true;
    }
  }
  return s;
}

bool regex_has_director_or_options(std::string_view re) {
  return re.starts_with("***") || re.starts_with("(?");
}

bool regex_starts_unbounded(std::string_view re) {
  std::size_t i = 0;
  while (i < re.size() && re[i] == '(') {
    ++i;
  }
  return i + 1 < re.size() && re[i] == '.' && (re[i + 1] == '*' || re[i + 1] == '+');
}

bool regex_ends_unbounded(std::string_view re) {
  std::size_t n = re.size();
  while (n > 0 && re[n - 1] == ')') {
    --n;
  }
  if (n < 2 || re[n - 2] != '.' || (re[n - 1] != '*' && re[n - 1] != '+')) {
    return false;
  }
  return n < 3 || re[n - 3] != '\\';
}

std::optional<std::string> regex_literal(std::string_view re, bool at) {
  std::string out;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size() && re[i + 1] == '.') {
      out += '.';
      ++i;
    } else if (name_char(c) || (at && c == '@')) {
      out += c;
    } else {
      return std::nullopt;
    }
  }
  return out.empty() ? std::nullopt : std::optional<std::string>(out);
}

std::vector<LooseDot> loose_dots(std::string_view re) {
  std::vector<LooseDot> out;
  // Offsets of the literal-name runs and the dots between them, outside brackets and escapes.
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      ++i;  // an escaped character (or the start of an escape such as \d) is not literal here
      continue;
    }
    if (c == '[') {
      const std::size_t e = bracket_end(re, i);
      if (e == std::string_view::npos) {
        return {};
      }
      i = e;
      continue;
    }
    if (c != '.' || i == 0 || i + 1 >= re.size() || quantifier(re[i + 1])) {
      continue;
    }
    // the run of name characters before the dot (not starting right after a backslash)
    std::size_t b = i;
    while (b > 0 && name_char(re[b - 1]) && !(b >= 2 && re[b - 2] == '\\')) {
      --b;
    }
    std::size_t a = i + 1;
    while (a < re.size() && name_char(re[a])) {
      ++a;
    }
    const std::size_t before = i - b;
    const std::size_t after = a - (i + 1);
    if (before == 0 || after == 0 || (before < 2 && after < 2)) {
      continue;
    }
    if (b >= 2 && re[b - 1] == '\\') {
      continue;  // `\w.com`: the run starts inside an escape
    }
    // the whole dotted word (example.co.uk), for the message
    std::size_t wb = b;
    while (wb > 0 && (name_char(re[wb - 1]) || re[wb - 1] == '.') && !(wb >= 2 && re[wb - 2] == '\\')) {
      --wb;
    }
    std::size_t wa = a;
    while (wa < re.size() && (name_char(re[wa]) || (re[wa] == '.' && wa + 1 < re.size() && name_char(re[wa + 1])))) {
      ++wa;
    }
    while (wb < b && re[wb] == '.') {
      ++wb;
    }
    out.push_back({i, wb, re.substr(wb, wa - wb)});
  }
  return out;
}

std::string LooseDot::variant() const {
  std::string out(word);
  if (pos >= word_begin && pos - word_begin < out.size()) {
    out[pos - word_begin] = '-';
  }
  return out;
}

std::string escape_dots(std::string_view re, const std::vector<LooseDot>& dots) {
  std::string out;
  out.reserve(re.size() + dots.size());
  std::size_t next = 0;
  for (std::size_t i = 0; i < re.size(); ++i) {
    if (next < dots.size() && dots[next].pos == i) {
      out += '\\';
      ++next;
    }
    out += re[i];
  }
  return out;
}

}  // namespace pgl::analysis
