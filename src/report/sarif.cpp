// SARIF 2.1.0: one run, one reportingDescriptor per rule of the registry.
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "core/secrets.hpp"
#include "lint/rule.hpp"
#include "pgl_version.hpp"
#include "report/report.hpp"

namespace pgl::report {

namespace {

using Json = nlohmann::ordered_json;

std::string_view level(core::Severity s) {
  switch (s) {
    case core::Severity::error: return "error";
    case core::Severity::warning: return "warning";
    case core::Severity::note: return "note";
  }
  return "warning";
}

// Percent-encodes everything but unreserved characters and '/'.
std::string uri_encode(std::string_view path) {
  std::string out;
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      constexpr char k_hex[] = "0123456789ABCDEF";
      out.push_back('%');
      out.push_back(k_hex[u >> 4]);
      out.push_back(k_hex[u & 15]);
    }
  }
  return out;
}

// A URI relative to the base directory (uriBaseId SRCROOT), else an absolute file URI.
struct ArtifactUri {
  std::string uri;
  bool relative = false;
};

ArtifactUri uri_for(const std::string& file, const RenderOptions& options) {
  const std::string shown = display_path(file, options);
  if (!shown.empty() && shown.front() == '/') {
    return {"file://" + uri_encode(shown), false};
  }
  return {uri_encode(shown), true};
}

// SARIF columns here are Unicode code points (columnKind unicodeCodePoints): the byte
// column of a location converted with the text of its line.
std::uint32_t code_point_column(std::string_view line, std::uint32_t byte_column) {
  if (byte_column == 0) {
    return 0;
  }
  std::uint32_t cp = 1;
  const std::size_t end = std::min<std::size_t>(byte_column - 1, line.size());
  for (std::size_t i = 0; i < end; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) {
      ++cp;
    }
  }
  // Past the end of the line (an exclusive end column): count the rest as one each.
  if (byte_column - 1 > line.size()) {
    cp += static_cast<std::uint32_t>(byte_column - 1 - line.size());
  }
  return cp;
}

// First paragraph of the "What it does" section of a doc page.
std::string what_it_does(std::string_view doc) {
  const auto head = doc.find("## What it does");
  if (head == std::string_view::npos) {
    return {};
  }
  auto pos = doc.find('\n', head);
  if (pos == std::string_view::npos) {
    return {};
  }
  std::string para;
  std::size_t start = pos + 1;
  while (start < doc.size()) {
    auto end = doc.find('\n', start);
    if (end == std::string_view::npos) {
      end = doc.size();
    }
    const std::string_view line = doc.substr(start, end - start);
    if (line.empty() || line.find_first_not_of(" \t\r") == std::string_view::npos) {
      if (!para.empty()) {
        break;
      }
    } else if (line.starts_with("#")) {
      break;
    } else {
      if (!para.empty()) {
        para.push_back(' ');
      }
      para.append(line);
    }
    start = end + 1;
  }
  return para;
}

std::string_view source_line(const ReportInput& input, const std::string& file, std::uint32_t line) {
  if (line == 0) {
    return {};
  }
  for (const auto* set : input.sources) {
    if (const auto* f = set->find(file)) {
      return line <= f->line_count() ? f->line(line) : std::string_view();
    }
  }
  return {};
}

Json location(const ReportInput& input, const core::Span& span, const RenderOptions& options,
              std::string_view message = {}) {
  const ArtifactUri where = uri_for(span.begin.file, options);
  Json artifact{{"uri", where.uri}};
  if (where.relative) {
    artifact["uriBaseId"] = "SRCROOT";
  }
  Json physical{{"artifactLocation", std::move(artifact)}};
  // Every result has a region: a finding about a whole file is on its line 1.
  const std::uint32_t line = span.begin.line != 0 ? span.begin.line : 1;
  Json region{{"startLine", line}};
  if (span.begin.line != 0 && span.begin.column != 0) {
    const std::string_view text = source_line(input, span.begin.file, line);
    region["startColumn"] = code_point_column(text, span.begin.column);
    region["endLine"] = std::max(end_line(span), line);
    const std::uint32_t last = std::max(end_line(span), line);
    const std::string_view end_text = last == line ? text : source_line(input, span.begin.file, last);
    const std::uint32_t end_col = code_point_column(end_text, std::max<std::uint32_t>(end_column(span), 1));
    region["endColumn"] = last == line ? std::max(end_col, region["startColumn"].get<std::uint32_t>()) : end_col;
  } else if (span.begin.line != 0) {
    region["endLine"] = std::max(end_line(span), line);
  }
  physical["region"] = std::move(region);
  Json loc{{"physicalLocation", std::move(physical)}};
  if (!message.empty()) {
    loc["message"] = Json{{"text", core::mask_secrets(message)}};
  }
  return loc;
}

std::string security_severity(core::Severity s) {
  switch (s) {
    case core::Severity::error: return "8.0";
    case core::Severity::warning: return "5.0";
    case core::Severity::note: return "2.0";
  }
  return "5.0";
}

std::string base_uri(const std::string& dir) {
  std::string uri = "file://" + uri_encode(dir);
  if (uri.back() != '/') {
    uri.push_back('/');
  }
  return uri;
}

}  // namespace

std::string render_sarif(const ReportInput& input, const RenderOptions& options) {
  Json rules = Json::array();
  std::map<std::string, std::size_t> index;
  for (const auto& rule : lint::registry()) {
    const auto& meta = rule->meta();
    const std::string id(meta.id);
    const auto doc = lint::rule_doc(meta.id);
    std::string full = doc ? what_it_does(*doc) : std::string();
    if (full.empty()) {
      full = std::string(meta.summary);
    }
    Json descriptor{{"id", id},
                    {"shortDescription", Json{{"text", std::string(meta.summary)}}},
                    {"fullDescription", Json{{"text", full}}}};
    if (doc) {
      descriptor["help"] = Json{{"text", std::string(meta.summary)}, {"markdown", std::string(*doc)}};
    }
    descriptor["helpUri"] = rule_help_uri(meta.id, options.rule_url);
    descriptor["defaultConfiguration"] = Json{{"level", level(meta.default_severity)}};
    const std::string_view category = rule_category(meta.id);
    Json properties{{"profile", lint::to_string(meta.profile)}, {"tags", Json::array({std::string(category)})}};
    if (category == "security") {
      properties["security-severity"] = security_severity(meta.default_severity);
    }
    descriptor["properties"] = std::move(properties);
    index[id] = rules.size();
    rules.push_back(std::move(descriptor));
  }

  const auto prints = fingerprints(input, options);
  Json results = Json::array();
  for (std::size_t di = 0; di < input.diagnostics.size(); ++di) {
    const auto& d = input.diagnostics[di];
    std::string text = core::mask_secrets(d.message);
    if (!d.help.empty()) {
      text += "\nhelp: " + core::mask_secrets(d.help);
    }
    Json result{{"ruleId", d.rule}};
    if (auto it = index.find(d.rule); it != index.end()) {
      result["ruleIndex"] = it->second;
    }
    result["level"] = level(d.severity);
    result["message"] = Json{{"text", text}};
    result["locations"] = Json::array({location(input, d.span, options)});
    result["partialFingerprints"] = Json{{"pgconflint/v1", prints[di]}};
    if (!d.related.empty()) {
      Json related = Json::array();
      int id = 0;
      for (const auto& r : d.related) {
        Json loc = location(input, r.span, options, r.message);
        loc["id"] = id++;
        related.push_back(std::move(loc));
      }
      result["relatedLocations"] = std::move(related);
    }
    results.push_back(std::move(result));
  }

  Json driver{{"name", std::string(k_tool_name)},
              {"version", std::string(PGL_VERSION)},
              {"informationUri", "https://www.postgresql.org/docs/current/runtime-config.html"},
              {"rules", std::move(rules)}};
  Json notifications = Json::array();
  for (const auto& n : input.notices) {
    notifications.push_back(Json{{"level", "note"}, {"message", Json{{"text", core::mask_secrets(n)}}}});
  }
  Json invocation{{"executionSuccessful", true}};
  if (!notifications.empty()) {
    invocation["toolExecutionNotifications"] = std::move(notifications);
  }
  Json run{{"tool", Json{{"driver", std::move(driver)}}}};
  run["automationDetails"] = Json{{"id", "pgconflint/"}};
  run["invocations"] = Json::array({std::move(invocation)});
  if (!options.cwd.empty()) {
    run["originalUriBaseIds"] = Json{{"SRCROOT", Json{{"uri", base_uri(options.cwd)}}}};
  }
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);
  if (!input.targets.empty()) {
    Json targets = Json::array();
    for (const auto& t : input.targets) {
      targets.push_back(Json{
          {"path", display_path(t.path, options)}, {"pg_version", t.pg_version}, {"version_source", t.version_source}});
    }
    run["properties"] = Json{{"targets", std::move(targets)}};
  }
  Json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", Json::array({std::move(run)})}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace pgl::report
