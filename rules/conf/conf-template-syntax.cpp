// conf-template-syntax: a configuration file that still holds template syntax (Jinja,
// ERB/EPP, Mako, ${...}, @X@ placeholders, bare sed tokens). The server reads it
// literally: usually a syntax error, sometimes a silently wrong value. One finding per
// line; conf-syntax-error and conf-invalid-value stay silent on these lines.
#include <set>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "analysis/template_detect.hpp"
#include "core/secrets.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfTemplateSyntaxRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-template-syntax", "unrendered template syntax in a configuration file",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.conf) {
      return;
    }
    std::set<std::string> seen;
    for (const auto& file : config.conf->files_read) {
      if (!seen.insert(file).second) {
        continue;
      }
      const auto* src = config.sources.find(file);
      if (src == nullptr) {
        continue;
      }
      analysis::TemplateDetectOptions opt;
      opt.conf_format = true;
      opt.pg_version = config.pg_version;
      std::uint32_t last_line = 0;
      for (const auto& m : analysis::detect_templates(src->bytes(), opt)) {
        if (m.in_comment || m.line == last_line) {
          continue;
        }
        last_line = m.line;
        diag(ctx, core::Span::at(file, m.line, m.column, m.length), message(m)).help(help(m));
      }
    }
  }

 private:
  static std::string shown(const analysis::TemplateMatch& m) {
    std::string t = core::mask_secrets(m.text);
    if (t.size() > 60) {
      t = t.substr(0, 57) + "...";
    }
    return t;
  }

  static std::string message(const analysis::TemplateMatch& m) {
    switch (m.kind) {
      case analysis::TemplateKind::bare_placeholder:
        return fmt::format(
            "unsubstituted placeholder {}: this file is a template, not a configuration the server "
            "can read",
            shown(m));
      case analysis::TemplateKind::at_placeholder:
      case analysis::TemplateKind::dollar_brace:
        return fmt::format(
            "unsubstituted {} \"{}\": this file is a template, not a configuration the server can "
            "read",
            analysis::to_string(m.kind), shown(m));
      default:
        return fmt::format(
            "unrendered {} template syntax \"{}\": this file is a template, not a configuration "
            "the server can read",
            analysis::to_string(m.kind), shown(m));
    }
  }

  static std::string help(const analysis::TemplateMatch& m) {
    (void)m;
    return "render the template with its tool (Ansible, Salt, Puppet, Chef, envsubst, ...) and check the "
           "rendered file; the server reads this text literally";
  }
};

std::unique_ptr<lint::Rule> make_conf_template_syntax() {
  return std::make_unique<ConfTemplateSyntaxRule>();
}

}  // namespace pgl::rules
