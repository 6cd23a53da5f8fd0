// hba-template-syntax: pg_hba.conf (or a file it includes) or pg_ident.conf still holds
// template syntax (Jinja `{{ }}` `{% %}`, ERB/EPP `<% %>`, `${...}`, `@X@`). Reported once per
// file; the other hba/ident rules leave such a file alone: template branches (`<% if %>` /
// `<% else %>`) are alternatives, not lines the server reads one after the other.
#include <set>

#include <fmt/format.h>

#include "core/secrets.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

std::size_t template_line_count(const model::Config& config, const std::string& path) {
  const core::SourceFile* src = config.sources.find(path);
  if (src == nullptr) {
    return 0;
  }
  analysis::TemplateDetectOptions opt;
  opt.quote = '"';
  return analysis::template_lines(src->bytes(), opt).size();
}

class HbaTemplateSyntax final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-template-syntax", "unrendered template syntax in pg_hba.conf or pg_ident.conf", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    std::string hba_file;
    if (auto m = hba::hba_template(config, &hba_file)) {
      report(ctx, config, hba_file, *m, "pg_hba.conf");
    }
    if (auto m = hba::ident_template(config)) {
      report(ctx, config, config.ident->path, *m, "pg_ident.conf");
    }
  }

 private:
  void report(lint::LintContext& ctx, const model::Config& config, const std::string& file,
              const analysis::TemplateMatch& m, std::string_view what) const {
    std::string shown = core::mask_secrets(m.text);
    if (shown.size() > 60) {
      shown = shown.substr(0, 57) + "...";
    }
    const std::size_t lines = template_line_count(config, file);
    diag(ctx, core::Span::at(file, m.line, m.column, m.length),
         fmt::format("unrendered {} template syntax \"{}\" ({} line{} with template syntax): this {} is a "
                     "template, not a file the server can read; its lines are not checked one by one",
                     analysis::to_string(m.kind), shown, lines, lines == 1 ? "" : "s", what))
        .help(
            "render the template with its tool (Ansible, Salt, Puppet, Chef, envsubst, ...) and check the rendered "
            "file");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_template_syntax() {
  return std::make_unique<HbaTemplateSyntax>();
}

}  // namespace pgl::rules
