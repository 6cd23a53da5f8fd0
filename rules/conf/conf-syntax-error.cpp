// conf-syntax-error: a line of postgresql.conf (or an included file, or
// postgresql.auto.conf) that the server's scanner rejects. Any such line makes the
// server refuse the whole configuration. Lines holding unrendered template syntax are
// left to conf-template-syntax, which explains them better.
#include <map>
#include <set>

#include "analysis/conf_support.hpp"
#include "analysis/template_detect.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfSyntaxErrorRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-syntax-error", "line the server's configuration parser rejects",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf) {
      return;
    }
    std::map<std::string, std::set<std::uint32_t>> claimed;
    auto is_template_line = [&](const core::Location& at) {
      auto it = claimed.find(at.file);
      if (it == claimed.end()) {
        std::set<std::uint32_t> lines;
        if (const auto* src = config.sources.find(at.file)) {
          analysis::TemplateDetectOptions opt;
          opt.conf_format = true;
          opt.pg_version = config.pg_version;
          lines = analysis::template_lines(src->bytes(), opt);
        }
        it = claimed.emplace(at.file, std::move(lines)).first;
      }
      return it->second.count(at.line) > 0;
    };
    auto file_is_template = [&](const std::string& file) {
      is_template_line(core::Location{file, 0, 0});
      return !claimed[file].empty();
    };
    for (const auto& item : config.conf->items) {
      if (!item.problem) {
        continue;
      }
      const auto& p = *item.problem;
      if (p.kind == model::ConfProblemKind::syntax_error) {
        if (is_template_line(p.span.begin)) {
          continue;
        }
        diag(ctx, p.span, p.log_message)
            .help(
                "fix the line: values other than plain words and numbers need single quotes "
                "(e.g. '1.5GB', '*', 'pg_catalog.english'), and '#' starts a comment; the server rejects the "
                "whole configuration while this error is present");
      } else if (p.kind == model::ConfProblemKind::too_many_errors) {
        if (file_is_template(p.span.begin.file)) {
          continue;  // the errors come from template lines
        }
        diag(ctx, p.span, p.log_message)
            .help(
                "the server stops reading the file after 100 syntax errors; is this "
                "really a postgresql.conf file?");
      }
    }
  }
};

std::unique_ptr<lint::Rule> make_conf_syntax_error() {
  return std::make_unique<ConfSyntaxErrorRule>();
}

}  // namespace pgl::rules
