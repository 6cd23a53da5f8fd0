#include "core/text.hpp"

#include <algorithm>
#include <vector>

namespace pgl::core {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string trim(std::string_view s) {
  constexpr std::string_view k_blanks = " \t\r\n\f\v";
  const auto b = s.find_first_not_of(k_blanks);
  if (b == std::string_view::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(k_blanks);
  return std::string(s.substr(b, e - b + 1));
}

std::optional<bool> parse_bool(std::string_view value) {
  const std::string v = ascii_lower(value);
  if (v.empty()) {
    return std::nullopt;
  }
  auto prefix_of = [&](std::string_view word) { return word.starts_with(v); };
  if (prefix_of("true") || prefix_of("yes") || v == "on" || v == "1") {
    return true;
  }
  if (prefix_of("false") || prefix_of("no") || v == "of" || v == "off" || v == "0") {
    return false;
  }
  return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace pgl::core
