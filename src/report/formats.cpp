// gcc, checkstyle and GitLab Code Quality output; the helpers the CI formats share
// (rule categories, help page URLs, fingerprints).
#include <cstdint>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/secrets.hpp"
#include "pgl_rule_paths.hpp"
#include "pgl_version.hpp"
#include "report/report.hpp"

namespace pgl::report {

namespace {

std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : (u < 0x20 || u == 0x7f ? '?' : c));
  }
  return out;
}

std::string message_with_help(const core::Diagnostic& d) {
  std::string m = core::mask_secrets(d.message);
  if (!d.help.empty()) {
    m += " (help: " + core::mask_secrets(d.help) + ")";
  }
  return one_line(m);
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      default: out.push_back(u < 0x20 || u == 0x7f ? '?' : c);  // not allowed in XML 1.0
    }
  }
  return out;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::string collapse_space(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out.push_back(' ');
      space = false;
    }
    out.push_back(c);
  }
  return out;
}

std::string_view line_text(const ReportInput& input, const core::Location& loc) {
  if (loc.line == 0) {
    return {};
  }
  for (const auto* set : input.sources) {
    if (const auto* f = set->find(loc.file)) {
      return loc.line <= f->line_count() ? f->line(loc.line) : std::string_view();
    }
  }
  return {};
}

}  // namespace

std::string_view rule_category(std::string_view id) {
  static const std::map<std::string_view, std::string_view> k_exceptions = {
      {"conf-password-encryption-md5", "security"}, {"conf-listen-all", "security"},
      {"conf-log-connections-off", "security"},     {"conf-log-disconnections-off", "security"},
      {"conf-log-statement-none", "security"},      {"conf-log-hostname-on", "performance"},
      {"conf-debug-print-enabled", "performance"},  {"conf-debug-pretty-print-off", "performance"},
      {"hba-invalid-line", "correctness"},          {"hba-unreachable-line", "correctness"},
      {"hba-ident-map-missing", "correctness"},     {"hba-hostssl-while-ssl-off", "correctness"},
      {"hba-host-bits-set", "correctness"},         {"repl-conninfo-invalid", "correctness"},
      {"drift-weaker-security", "security"},        {"drift-tls", "security"},
  };
  if (auto it = k_exceptions.find(id); it != k_exceptions.end()) {
    return it->second;
  }
  if (id.starts_with("ssl-") || id.starts_with("hba-") || id.starts_with("repl-")) {
    return "security";
  }
  return "correctness";
}

std::string rule_help_uri(std::string_view id, const std::string& url_template) {
  std::string path;
  for (const auto& [rule, p] : generated::k_rule_paths) {
    if (rule == id) {
      path = std::string(p);
    }
  }
  const std::string area =
      path.size() > 6 ? path.substr(6, path.find('/', 6) - 6) : std::string(id.substr(0, id.find('-')));
  if (path.empty()) {
    path = fmt::format("rules/{}/{}.md", area, id);
  }
  std::string out = url_template.empty() ? std::string(PGL_RULE_URL) : url_template;
  auto replace = [&](std::string_view key, const std::string& value) {
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + value.size())) {
      out.replace(pos, key.size(), value);
    }
  };
  replace("{id}", std::string(id));
  replace("{area}", area);
  replace("{path}", path);
  replace("{version}", PGL_VERSION);
  return out;
}

std::vector<std::string> fingerprints(const ReportInput& input, const RenderOptions& options) {
  std::vector<std::string> out;
  std::map<std::uint64_t, int> seen;
  for (const auto& d : input.diagnostics) {
    const std::string key = d.rule + '\0' + display_path(d.span.begin.file, options) + '\0' +
                            collapse_space(line_text(input, d.span.begin));
    const std::uint64_t h = fnv1a(key);
    const int rank = seen[h]++;
    out.push_back(fmt::format("{:016x}:{}", h, rank + 1));
  }
  return out;
}

std::string render_gcc(const ReportInput& input, const RenderOptions& options) {
  std::string out;
  for (const auto& d : input.diagnostics) {
    const std::string file = one_line(display_path(d.span.begin.file, options));
    std::string where = file;
    if (d.span.begin.line != 0) {
      where += fmt::format(":{}", d.span.begin.line);
      if (d.span.begin.column != 0) {
        where += fmt::format(":{}", d.span.begin.column);
      }
    }
    out += fmt::format("{}: {}: {} [{}]\n", where, core::to_string(d.severity), message_with_help(d), d.rule);
  }
  return out;
}

std::string render_checkstyle(const ReportInput& input, const RenderOptions& options) {
  // Files in the order of their first finding, findings in their order.
  std::vector<std::string> order;
  std::map<std::string, std::string> errors;
  for (const auto& d : input.diagnostics) {
    const std::string file = display_path(d.span.begin.file, options);
    if (!errors.count(file)) {
      order.push_back(file);
    }
    std::string_view severity = d.severity == core::Severity::error     ? "error"
                                : d.severity == core::Severity::warning ? "warning"
                                                                        : "info";
    std::string attrs = fmt::format("line=\"{}\"", d.span.begin.line == 0 ? 1 : d.span.begin.line);
    if (d.span.begin.column != 0) {
      attrs += fmt::format(" column=\"{}\"", d.span.begin.column);
    }
    errors[file] += fmt::format("    <error {} severity=\"{}\" message=\"{}\" source=\"pgconflint.{}\"/>\n", attrs,
                                severity, xml_escape(message_with_help(d)), xml_escape(d.rule));
  }
  std::string out = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
  for (const auto& f : order) {
    out += fmt::format("  <file name=\"{}\">\n{}  </file>\n", xml_escape(f), errors[f]);
  }
  return out + "</checkstyle>\n";
}

std::string render_gitlab(const ReportInput& input, const RenderOptions& options) {
  using Json = nlohmann::ordered_json;
  const auto prints = fingerprints(input, options);
  Json issues = Json::array();
  for (std::size_t i = 0; i < input.diagnostics.size(); ++i) {
    const auto& d = input.diagnostics[i];
    const std::string_view category = rule_category(d.rule);
    std::string severity = d.severity == core::Severity::error     ? "major"
                           : d.severity == core::Severity::warning ? "minor"
                                                                   : "info";
    if (d.severity == core::Severity::error && category == "security") {
      severity = "critical";
    }
    const std::uint32_t line = d.span.begin.line == 0 ? 1 : d.span.begin.line;
    issues.push_back(
        Json{{"type", "issue"},
             {"check_name", d.rule},
             {"description", message_with_help(d)},
             {"categories", Json::array({category == "security"      ? "Security"
                                         : category == "performance" ? "Performance"
                                                                     : "Bug Risk"})},
             {"severity", severity},
             {"fingerprint", prints[i]},
             {"location", Json{{"path", display_path(d.span.begin.file, options)},
                               {"lines", Json{{"begin", line}, {"end", std::max(line, end_line(d.span))}}}}}});
  }
  return issues.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace pgl::report
