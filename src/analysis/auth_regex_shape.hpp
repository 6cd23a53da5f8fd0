// The shape of a regular expression of pg_hba.conf (database and user columns, 16+) or
// pg_ident.conf (system user column), as far as it can be decided from its text. The server
// compiles the text after the `/` as an advanced regular expression (ARE) and runs it as a
// search (regexec): a match anywhere in the name counts.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgl::analysis {

struct RegexAnchors {
  bool start = false;            // ^ or \A outside bracket expressions, anywhere
  bool end = false;              // $ or \Z outside bracket expressions, anywhere
  bool top_alternation = false;  // a `|` outside every group
  bool ok = true;                // scanned to the end (bracket expressions closed)
};
[[nodiscard]] RegexAnchors regex_anchors(std::string_view re);

// Expressions whose reading depends on things these helpers do not model: a director
// (`***:`, `***=`) or embedded options (`(?x)`, ...) at the start.
[[nodiscard]] bool regex_has_director_or_options(std::string_view re);

// A leading `.*`/`.+` (possibly inside leading groups): the match may start anywhere anyway.
[[nodiscard]] bool regex_starts_unbounded(std::string_view re);
// A trailing `.*`/`.+` (possibly inside closing groups): the match may end anywhere anyway.
[[nodiscard]] bool regex_ends_unbounded(std::string_view re);

// The name an expression made of name characters (letters, digits, `_`, `-`, and `@` when
// `at` is set) and escaped dots matches, for an example in a message; nullopt for any other.
[[nodiscard]] std::optional<std::string> regex_literal(std::string_view re, bool at);

// An unescaped `.` outside bracket expressions written between literal name characters
// (letters, digits, `_`, `-`), with at least two of them on one side and no quantifier after
// it: `example.com`, `first.last`. Such a dot was meant as a literal dot, and matches any
// character. Dots that plausibly mean "any character" are not listed: `.*`, `.+`, `.?`,
// `.{2}`, a dot next to an anchor, a group, an escape or another dot, `a.b`.
struct LooseDot {
  std::size_t pos = 0;         // offset of the `.` in the expression
  std::size_t word_begin = 0;  // offset of the dotted literal around it
  std::string_view word;       // that literal, e.g. `example.com`
  // The literal with this dot replaced by another name character: a name the expression also
  // accepts there (`example-com`).
  [[nodiscard]] std::string variant() const;
};
[[nodiscard]] std::vector<LooseDot> loose_dots(std::string_view re);

// The expression with every listed dot escaped (`example\.com`).
[[nodiscard]] std::string escape_dots(std::string_view re, const std::vector<LooseDot>& dots);

}  // namespace pgl::analysis
