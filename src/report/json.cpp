// JSON output; the schema is documented in docs/json-output.md.
#include <nlohmann/json.hpp>

#include "core/secrets.hpp"
#include "pgl_version.hpp"
#include "report/report.hpp"

namespace pgl::report {

std::string render_json(const ReportInput& input) {
  return render_json(input, RenderOptions{});
}

std::string render_json(const ReportInput& input, const RenderOptions& options) {
  using Json = nlohmann::ordered_json;
  Json diagnostics = Json::array();
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;
  for (const auto& d : input.diagnostics) {
    errors += d.severity == core::Severity::error ? 1 : 0;
    warnings += d.severity == core::Severity::warning ? 1 : 0;
    notes += d.severity == core::Severity::note ? 1 : 0;
    Json related = Json::array();
    for (const auto& r : d.related) {
      related.push_back(Json{{"file", display_path(r.span.begin.file, options)},
                             {"line", r.span.begin.line},
                             {"column", r.span.begin.column},
                             {"message", core::mask_secrets(r.message)}});
    }
    diagnostics.push_back(Json{{"rule", d.rule},
                               {"severity", core::to_string(d.severity)},
                               {"message", core::mask_secrets(d.message)},
                               {"file", display_path(d.span.begin.file, options)},
                               {"line", d.span.begin.line},
                               {"column", d.span.begin.column},
                               {"end_line", end_line(d.span)},
                               {"end_column", end_column(d.span)},
                               {"related", std::move(related)},
                               {"help", core::mask_secrets(d.help)}});
  }
  Json doc{{"version", 1},
           {"diagnostics", std::move(diagnostics)},
           {"summary", Json{{"errors", errors}, {"warnings", warnings}, {"notes", notes}, {"files", input.files}}}};
  if (!input.targets.empty()) {
    // The PostgreSQL major version each checked path was read as, and where it came from.
    Json targets = Json::array();
    for (const auto& t : input.targets) {
      targets.push_back(Json{
          {"path", display_path(t.path, options)}, {"pg_version", t.pg_version}, {"version_source", t.version_source}});
    }
    doc["targets"] = std::move(targets);
    doc["tool"] = Json{{"name", "pgconflint"}, {"version", PGL_VERSION}};
  }
  // Invalid UTF-8 in a message must not throw: replace it.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace pgl::report
