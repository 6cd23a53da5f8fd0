// SARIF 2.1.0: one run, one reportingDescriptor per rule of the registry.
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "core/secrets.hpp"
#include "lint/rule.hpp"
#include "report/report.hpp"

namespace pgl::report {

namespace {

using Json = nlohmann::ordered_json;

std::string_view level(core::Severity s) {
  switch (s) {
    case core::Severity::error:
      return "error";
    case core::Severity::warning:
      return "warning";
    case core::Severity::note:
      return "note";
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

std::string uri_for(const std::string& file, const std::string& cwd) {
  const std::string rel = relative_path(file, cwd);
  if (!rel.empty() && rel.front() == '/') {
    return "file://" + uri_encode(rel);
  }
  return uri_encode(rel);
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

Json location(const core::Span& span, const std::string& cwd, std::string_view message = {}) {
  Json physical{{"artifactLocation", Json{{"uri", uri_for(span.begin.file, cwd)}}}};
  if (span.begin.line != 0) {
    Json region{{"startLine", span.begin.line}};
    if (span.begin.column != 0) {
      region["startColumn"] = span.begin.column;
    }
    region["endLine"] = std::max(end_line(span), span.begin.line);
    if (span.begin.column != 0) {
      region["endColumn"] = std::max<std::uint32_t>(end_column(span), 1);
    }
    physical["region"] = std::move(region);
  }
  Json loc{{"physicalLocation", std::move(physical)}};
  if (!message.empty()) {
    loc["message"] = Json{{"text", core::mask_secrets(message)}};
  }
  return loc;
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
    descriptor["defaultConfiguration"] = Json{{"level", level(meta.default_severity)}};
    descriptor["properties"] = Json{{"profile", lint::to_string(meta.profile)}};
    index[id] = rules.size();
    rules.push_back(std::move(descriptor));
  }

  Json results = Json::array();
  for (const auto& d : input.diagnostics) {
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
    result["locations"] = Json::array({location(d.span, options.cwd)});
    if (!d.related.empty()) {
      Json related = Json::array();
      int id = 0;
      for (const auto& r : d.related) {
        Json loc = location(r.span, options.cwd, r.message);
        loc["id"] = id++;
        related.push_back(std::move(loc));
      }
      result["relatedLocations"] = std::move(related);
    }
    results.push_back(std::move(result));
  }

  Json driver{{"name", std::string(k_tool_name)},
              {"version", std::string(k_tool_version)},
              {"informationUri", "https://www.postgresql.org/docs/current/runtime-config.html"},
              {"rules", std::move(rules)}};
  Json run{{"tool", Json{{"driver", std::move(driver)}}}, {"results", std::move(results)}};
  Json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", Json::array({std::move(run)})}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace pgl::report
