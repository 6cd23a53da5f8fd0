// The escapes of a log_line_prefix value, as the server's log_line_prefix() reads them: `%`,
// an optional padding (`-` and digits), a letter; `%%` is a literal percent sign.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace pgl::rules {

struct PrefixEscape {
  char letter;
  std::size_t offset;  // of the `%` in the value
};

[[nodiscard]] inline std::vector<PrefixEscape> log_prefix_escapes(std::string_view prefix) {
  std::vector<PrefixEscape> out;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != '%') {
      continue;
    }
    std::size_t j = i + 1;
    while (j < prefix.size() && (prefix[j] == '-' || (prefix[j] >= '0' && prefix[j] <= '9'))) {
      ++j;
    }
    if (j < prefix.size() && prefix[j] != '%') {
      out.push_back(PrefixEscape{prefix[j], i});
    }
    i = j;
  }
  return out;
}

}  // namespace pgl::rules
