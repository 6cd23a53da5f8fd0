// conf-password-check-not-loaded: shared_preload_libraries lacks passwordcheck or credcheck. CIS PostgreSQL 17, 5.6.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfPasswordCheckNotLoadedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-password-check-not-loaded",
      "no password-check module (passwordcheck, credcheck) is loaded: weak passwords are accepted (CIS 5.6)",
      core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "shared_preload_libraries");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    const std::string list = analysis::lower(v->value);
    auto has = [&](std::string_view lib) {
      std::size_t at = 0;
      while ((at = list.find(lib, at)) != std::string::npos) {
        const bool start = at == 0 || list[at - 1] == ',' || list[at - 1] == ' ' || list[at - 1] == '"';
        const std::size_t e = at + lib.size();
        const bool end = e == list.size() || list[e] == ',' || list[e] == ' ' || list[e] == '"';
        if (start && end) {
          return true;
        }
        at = e;
      }
      return false;
    };
    if (has("passwordcheck") || has("credcheck")) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             ": no password-check module (passwordcheck, credcheck) is loaded: weak passwords are accepted (CIS 5.6)")
        .help("add passwordcheck (or credcheck) to shared_preload_libraries");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_password_check_not_loaded() {
  return std::make_unique<ConfPasswordCheckNotLoadedRule>();
}

}  // namespace pgl::rules
