// Findings are data: a Diagnostic is never thrown.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.hpp"

namespace pgl::core {

enum class Severity { note = 0, warning = 1, error = 2 };

[[nodiscard]] std::string_view to_string(Severity s);
[[nodiscard]] std::optional<Severity> severity_from_string(std::string_view s);

struct Related {
  Span span;
  std::string message;  // e.g. "first set here", "shadowed by this line"
};

struct Diagnostic {
  std::string rule;  // stable id, <area>-<what-is-wrong>
  Severity severity = Severity::warning;
  std::string message;  // states the problem
  Span span;            // primary location
  std::vector<Related> related;
  std::string help;  // states the fix
};

// Deterministic order: file, line, column, rule id, message.
[[nodiscard]] bool diagnostic_less(const Diagnostic& a, const Diagnostic& b);

}  // namespace pgl::core
