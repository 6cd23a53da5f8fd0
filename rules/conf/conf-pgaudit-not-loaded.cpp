// conf-pgaudit-not-loaded: shared_preload_libraries lacks pgaudit. CIS PostgreSQL 17, 3.2.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfPgauditNotLoadedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-pgaudit-not-loaded",
                                         "pgaudit is not loaded: statements are not audited (CIS 3.2)",
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
    if (has("pgaudit")) {
      return;
    }
    diag(ctx, v->span, v->describe() + ": pgaudit is not loaded: statements are not audited (CIS 3.2)")
        .help("add pgaudit to shared_preload_libraries and configure pgaudit.log");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_pgaudit_not_loaded() {
  return std::make_unique<ConfPgauditNotLoadedRule>();
}

}  // namespace pgl::rules
