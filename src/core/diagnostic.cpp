#include "core/diagnostic.hpp"

#include <tuple>

namespace pgl::core {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::optional<Severity> severity_from_string(std::string_view s) {
  if (s == "note") {
    return Severity::note;
  }
  if (s == "warning") {
    return Severity::warning;
  }
  if (s == "error") {
    return Severity::error;
  }
  return std::nullopt;
}

bool diagnostic_less(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.span.begin.file, a.span.begin.line, a.span.begin.column, a.rule, a.message) <
         std::tie(b.span.begin.file, b.span.begin.line, b.span.begin.column, b.rule, b.message);
}

}  // namespace pgl::core
