// [diff] of .pgconflint.toml, shared by `diff` and `check --cluster`.
#include <fmt/format.h>

#include "diff/diff.hpp"
#include "lint/project_config.hpp"

namespace pgl::diff {

Result<void> apply_project_options(const lint::ProjectConfig& project, DiffOptions& options) {
  for (const auto& [key, value] : project.diff) {
    if (key == "ignore" || key == "add") {
      if (!value.is_array) {
        return fail(fmt::format("{}:{}: 'diff.{}' must be an array of strings", project.path, value.line, key));
      }
      auto& to = key == "ignore" ? options.ignore : options.add;
      to.insert(to.end(), value.values.begin(), value.values.end());
    } else if (key == "allow_sizing") {
      if (value.is_array || value.values.size() != 1 || (value.values[0] != "true" && value.values[0] != "false")) {
        return fail(fmt::format("{}:{}: 'diff.allow_sizing' must be true or false", project.path, value.line));
      }
      options.allow_sizing = options.allow_sizing || value.values[0] == "true";
    } else {
      return fail(fmt::format("{}:{}: unknown key 'diff.{}' (expected ignore, add or allow_sizing)", project.path,
                              value.line, key));
    }
  }
  return {};
}

}  // namespace pgl::diff
