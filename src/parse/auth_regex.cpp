#include "parse/auth_regex.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

namespace pgl::parse::auth {

namespace {

// pg_regerror() texts (src/include/regex/regerrs.h)
constexpr const char* k_eparen = "parentheses () not balanced";
constexpr const char* k_ebrack = "brackets [] not balanced";
constexpr const char* k_ebrace = "braces {} not balanced";
constexpr const char* k_badbr = "invalid repetition count(s)";
constexpr const char* k_badrpt = "quantifier operand invalid";
constexpr const char* k_eescape = "invalid escape \\ sequence";
constexpr const char* k_esubreg = "invalid backreference number";
constexpr const char* k_erange = "invalid character range";
constexpr const char* k_ectype = "invalid character class";
constexpr const char* k_ecollate = "invalid collating element";
constexpr const char* k_badopt = "invalid embedded option";
constexpr const char* k_etoobig = "regular expression is too complex";

// Nesting of parentheses the checker follows. The server's parser recurses too and stops
// with REG_ETOOBIG when its stack nears max_stack_depth (thousands of levels by default);
// past this depth the checker reports that error instead of overflowing its own stack.
constexpr std::size_t k_max_nesting = 1000;

constexpr int k_dupmax = 255;

struct RegexError {
  const char* text;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

class Checker {
 public:
  explicit Checker(std::string_view re) : m_s(re) {}

  void run() {
    if (m_s.substr(0, 4) == "***=") {
      return;  // the rest is a literal string
    }
    if (m_s.substr(0, 4) == "***:") {
      m_i = 4;
    }
    if (m_i + 2 < m_s.size() && m_s[m_i] == '(' && m_s[m_i + 1] == '?' &&
        std::isalpha(static_cast<unsigned char>(m_s[m_i + 2])) != 0) {
      std::size_t j = m_i + 2;
      bool literal = false;
      bool other_syntax = false;
      while (j < m_s.size() && std::isalpha(static_cast<unsigned char>(m_s[j])) != 0) {
        const char f = m_s[j];
        if (std::string_view("bcegimnpqstwx").find(f) == std::string_view::npos) {
          throw RegexError{k_badopt};
        }
        literal = literal || f == 'q';
        other_syntax = other_syntax || f == 'b' || f == 'e' || f == 'x';
        ++j;
      }
      if (j >= m_s.size() || m_s[j] != ')') {
        throw RegexError{k_badopt};
      }
      m_i = j + 1;
      if (literal || other_syntax) {
        return;  // literal, BRE/ERE or expanded syntax: not checked further
      }
    }
    parse_regex();
    if (!eos()) {  // only an unmatched ')' stops the top level
      throw RegexError{k_eparen};
    }
  }

 private:
  [[nodiscard]] bool eos() const { return m_i >= m_s.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const { return m_i + ahead < m_s.size() ? m_s[m_i + ahead] : '\0'; }

  void parse_regex() {
    parse_branch();
    while (!eos() && peek() == '|') {
      ++m_i;
      parse_branch();
    }
  }

  void parse_branch() {
    while (!eos() && peek() != '|' && peek() != ')') {
      parse_qatom();
    }
  }

  // What follows an atom: a quantifier may (quantifiable) or may not (a constraint), or
  // there was no atom (a comment).
  enum class Atom { quantifiable, constraint, none };

  void parse_qatom() {
    const char c = peek();
    bool quantifiable = true;
    switch (c) {
      case '(': {
        const Atom a = parse_group();
        if (a == Atom::none) {
          return;  // a comment is no atom
        }
        quantifiable = a == Atom::quantifiable;
        break;
      }
      case '[': parse_bracket(); break;
      case '^':
      case '$':
        ++m_i;
        quantifiable = false;
        break;
      case '\\': quantifiable = parse_escape(); break;
      case '*':
      case '+':
      case '?': throw RegexError{k_badrpt};
      case '{':
        if (is_digit(peek(1))) {
          throw RegexError{k_badrpt};
        }
        ++m_i;
        break;
      default: ++m_i; break;
    }
    if (!quantifiable || eos()) {
      return;
    }
    parse_quantifier();
  }

  // `(` at m_i: a group (capturing or not), a lookahead or lookbehind constraint, or a comment.
  Atom parse_group() {
    ++m_i;
    bool capture = true;
    Atom atom = Atom::quantifiable;
    if (peek() == '?') {
      ++m_i;
      const char k = peek();
      if (k == ':') {
        ++m_i;
        capture = false;
      } else if (k == '=' || k == '!') {
        ++m_i;
        capture = false;
        atom = Atom::constraint;
      } else if (k == '<' && (peek(1) == '=' || peek(1) == '!')) {
        m_i += 2;
        capture = false;
        atom = Atom::constraint;
      } else if (k == '#') {
        while (!eos() && peek() != ')') {
          ++m_i;
        }
        if (eos()) {
          throw RegexError{k_eparen};
        }
        ++m_i;
        return Atom::none;
      } else {
        throw RegexError{k_badrpt};
      }
    }
    std::size_t index = 0;
    if (capture) {
      index = ++m_nsubexp;
      m_closed.resize(m_nsubexp + 1, false);
    }
    if (++m_depth > k_max_nesting) {
      throw RegexError{k_etoobig};
    }
    parse_regex();
    --m_depth;
    if (eos() || peek() != ')') {
      throw RegexError{k_eparen};
    }
    ++m_i;
    if (capture) {
      m_closed[index] = true;
    }
    return atom;
  }

  // A quantifier after an atom (`*`, `+`, `?`, `{m,n}`, each optionally non-greedy).
  void parse_quantifier() {
    const char q = peek();
    if (q == '*' || q == '+' || q == '?') {
      ++m_i;
      if (peek() == '?') {
        ++m_i;
      }
    } else if (q == '{' && is_digit(peek(1))) {
      parse_bound();
      if (peek() == '?') {
        ++m_i;
      }
    }
  }

  void parse_bound() {
    ++m_i;  // '{'
    const std::size_t start = m_i;
    while (!eos() && (is_digit(peek()) || peek() == ',')) {
      ++m_i;
    }
    if (eos()) {
      throw RegexError{k_ebrace};
    }
    if (peek() != '}') {
      throw RegexError{k_badbr};
    }
    const std::string_view body = m_s.substr(start, m_i - start);
    ++m_i;
    const std::size_t comma = body.find(',');
    auto number = [](std::string_view d) -> long {
      if (d.size() > 4) {
        return k_dupmax + 1;
      }
      long n = 0;
      for (char ch : d) {
        n = n * 10 + (ch - '0');
      }
      return n;
    };
    const std::string_view first = body.substr(0, comma);
    if (first.empty() || first.find(',') != std::string_view::npos) {
      throw RegexError{k_badbr};
    }
    const long m = number(first);
    if (m > k_dupmax) {
      throw RegexError{k_badbr};
    }
    if (comma != std::string_view::npos) {
      const std::string_view second = body.substr(comma + 1);
      if (second.find(',') != std::string_view::npos) {
        throw RegexError{k_badbr};
      }
      if (!second.empty()) {
        const long n = number(second);
        if (n > k_dupmax || m > n) {
          throw RegexError{k_badbr};
        }
      }
    }
  }

  // Returns whether the escape is a quantifiable atom (constraint escapes are not).
  bool parse_escape() {
    ++m_i;  // backslash
    if (eos()) {
      throw RegexError{k_eescape};
    }
    const char c = m_s[m_i++];
    if (!is_alnum(c)) {
      return true;
    }
    switch (c) {
      case 'a':
      case 'b':
      case 'B':
      case 'e':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case 'd':
      case 'D':
      case 's':
      case 'S':
      case 'w':
      case 'W': return true;
      case 'A':
      case 'Z':
      case 'm':
      case 'M':
      case 'y':
      case 'Y': return false;
      case 'c':
        if (eos()) {
          throw RegexError{k_eescape};
        }
        ++m_i;
        return true;
      case 'u': hex_digits(4, 4); return true;
      case 'U': hex_digits(8, 8); return true;
      case 'x': hex_digits(1, 255); return true;
      case '0': octal_from(m_i - 1); return true;
      default: break;
    }
    if (is_digit(c)) {
      const std::size_t first = m_i - 1;
      std::size_t j = first;
      long value = 0;
      while (j < m_s.size() && is_digit(m_s[j]) && j - first < 255) {
        value = value > 100000 ? value : value * 10 + (m_s[j] - '0');
        ++j;
      }
      if (j - first == 1 || (value > 0 && value <= static_cast<long>(m_nsubexp))) {
        m_i = j;
        if (value > static_cast<long>(m_nsubexp) || !m_closed[static_cast<std::size_t>(value)]) {
          throw RegexError{k_esubreg};
        }
        return true;
      }
      octal_from(first);
      return true;
    }
    throw RegexError{k_eescape};
  }

  void hex_digits(std::size_t min, std::size_t max) {
    std::size_t n = 0;
    while (n < max && !eos() && is_hex(peek())) {
      ++m_i;
      ++n;
    }
    if (n < min) {
      throw RegexError{k_eescape};
    }
  }

  void octal_from(std::size_t first) {
    m_i = first;
    std::size_t n = 0;
    unsigned value = 0;
    while (n < 3 && !eos() && peek() >= '0' && peek() <= '7') {
      value = value * 8 + static_cast<unsigned>(peek() - '0');
      ++m_i;
      ++n;
    }
    if (n == 0) {
      throw RegexError{k_eescape};
    }
    if (value > 0xff) {
      --m_i;
    }
  }

  // One bracket element: returns the character value, or -1 for a class.
  long bracket_element() {
    const char c = peek();
    if (c == '[' && (peek(1) == ':' || peek(1) == '.' || peek(1) == '=')) {
      const char kind = peek(1);
      m_i += 2;
      const std::size_t start = m_i;
      while (m_i + 1 < m_s.size() && !(m_s[m_i] == kind && m_s[m_i + 1] == ']')) {
        ++m_i;
      }
      if (m_i + 1 >= m_s.size()) {
        throw RegexError{k_ebrack};
      }
      const std::string_view name = m_s.substr(start, m_i - start);
      m_i += 2;
      if (kind == ':') {
        static constexpr std::array<std::string_view, 13> k_classes = {"alnum", "alpha", "ascii", "blank", "cntrl",
                                                                       "digit", "graph", "lower", "print", "punct",
                                                                       "space", "upper", "xdigit"};
        bool known = name == "word";
        for (auto k : k_classes) {
          known = known || name == k;
        }
        if (!known) {
          throw RegexError{k_ectype};
        }
        return -1;
      }
      const long v = collating_value(name);
      if (v < 0) {
        throw RegexError{k_ecollate};
      }
      return kind == '=' ? -1 : v;
    }
    if (c == '\\') {
      ++m_i;
      if (eos()) {
        throw RegexError{k_ebrack};
      }
      const char e = m_s[m_i++];
      if (!is_alnum(e)) {
        return static_cast<unsigned char>(e);
      }
      switch (e) {
        case 'd':
        case 'D':
        case 's':
        case 'S':
        case 'w':
        case 'W': return -1;
        case 'a': return 7;
        case 'b': return 8;
        case 'B': return '\\';
        case 'e': return 27;
        case 'f': return 12;
        case 'n': return 10;
        case 'r': return 13;
        case 't': return 9;
        case 'v': return 11;
        case 'c':
          if (eos()) {
            throw RegexError{k_ebrack};
          }
          return static_cast<unsigned char>(m_s[m_i++]) & 037;
        case 'u': {
          const std::size_t s = m_i;
          hex_digits(4, 4);
          return std::stol(std::string(m_s.substr(s, m_i - s)), nullptr, 16);
        }
        case 'U': {
          const std::size_t s = m_i;
          hex_digits(8, 8);
          return std::stol(std::string(m_s.substr(s, m_i - s)), nullptr, 16);
        }
        case 'x': {
          const std::size_t s = m_i;
          hex_digits(1, 255);
          const std::string_view h = m_s.substr(s, m_i - s);
          return h.size() > 7 ? 0x7fffffff : std::stol(std::string(h), nullptr, 16);
        }
        default: break;
      }
      if (is_digit(e)) {
        const std::size_t first = m_i - 1;
        octal_from(first);
        unsigned v = 0;
        for (std::size_t k = first; k < m_i; ++k) {
          v = v * 8 + static_cast<unsigned>(m_s[k] - '0');
        }
        return v;
      }
      throw RegexError{k_eescape};
    }
    return utf8_char();
  }

  long utf8_char() {
    const auto b = static_cast<unsigned char>(m_s[m_i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    if (m_i + len > m_s.size()) {
      len = 1;
    }
    long v = len == 1 ? b : b & (0x7f >> len);
    for (std::size_t k = 1; k < len; ++k) {
      v = (v << 6) | (static_cast<unsigned char>(m_s[m_i + k]) & 0x3f);
    }
    m_i += len;
    return v;
  }

  static long collating_value(std::string_view name) {
    if (name.size() == 1) {
      return static_cast<unsigned char>(name[0]);
    }
    struct Named {
      std::string_view name;
      long value;
    };
    static constexpr std::array<Named, 20> k_names = {{
        {"NUL", 0},
        {"tab", 9},
        {"newline", 10},
        {"space", 32},
        {"exclamation-mark", 33},
        {"quotation-mark", 34},
        {"number-sign", 35},
        {"dollar-sign", 36},
        {"percent-sign", 37},
        {"ampersand", 38},
        {"apostrophe", 39},
        {"left-parenthesis", 40},
        {"right-parenthesis", 41},
        {"asterisk", 42},
        {"plus-sign", 43},
        {"comma", 44},
        {"hyphen", 45},
        {"hyphen-minus", 45},
        {"period", 46},
        {"full-stop", 46},
    }};
    for (const auto& n : k_names) {
      if (n.name == name) {
        return n.value;
      }
    }
    return -1;
  }

  void parse_bracket() {
    ++m_i;  // '['
    if (peek() == '^') {
      ++m_i;
    }
    bool first = true;
    for (;;) {
      if (eos()) {
        throw RegexError{k_ebrack};
      }
      if (peek() == ']' && !first) {
        ++m_i;
        return;
      }
      long start = 0;
      if (first && peek() == ']') {
        ++m_i;
        start = ']';
      } else {
        start = bracket_element();
      }
      first = false;
      if (peek() == '-' && m_i + 1 < m_s.size() && m_s[m_i + 1] != ']') {
        ++m_i;
        const long end = bracket_element();
        if (start < 0 || end < 0 || start > end) {
          throw RegexError{k_erange};
        }
      }
    }
  }

  std::string_view m_s;
  std::size_t m_i = 0;
  std::size_t m_nsubexp = 0;
  std::size_t m_depth = 0;
  std::vector<bool> m_closed{false};
};

}  // namespace

std::optional<std::string> check_regex(std::string_view re) {
  try {
    Checker(re).run();
  } catch (const RegexError& e) {
    return std::string(e.text);
  }
  return std::nullopt;
}

}  // namespace pgl::parse::auth
