// conf-pgaudit-not-loaded: shared_preload_libraries lacks pgaudit. CIS PostgreSQL 17, 3.2.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

// The value in the parameter's base unit (integers: decimal, octal 0600, units), if valid.
[[maybe_unused]] std::optional<long long> base_integer(const model::Config& config, const analysis::SettingView& v) {
  const conf::GucDef* def = conf::find_guc(config.pg_version, v.name);
  if (def == nullptr) {
    return std::nullopt;
  }
  const conf::ValueCheck c = conf::check_value(config.pg_version, *def, v.value);
  if (!c.ok) {
    return std::nullopt;
  }
  try {
    return std::stoll(c.normalized);
  } catch (...) {
    return std::nullopt;
  }
}

// log_destination names `dest` (comma-separated list, case-insensitive).
[[maybe_unused]] bool logs_to(const model::Config& config, std::string_view dest) {
  const std::string list = analysis::lower(config.value_or_default("log_destination"));
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) {
      end = list.size();
    }
    std::string item = list.substr(start, end - start);
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
    if (item == dest) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

[[maybe_unused]] bool is_on(const model::Config& config, const std::string& name) {
  const auto b = analysis::parse_bool(config.value_or_default(name));
  return b && *b;
}

class ConfPgauditNotLoadedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-pgaudit-not-loaded", "pgaudit is not loaded: statements are not audited (CIS 3.2)", core::Severity::warning,
                                         lint::Profile::cis};
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
    ctx.report(analysis::make_diagnostic(k_meta, v->describe() + ": pgaudit is not loaded: statements are not audited (CIS 3.2)", v->span,
                                         "add pgaudit to shared_preload_libraries and configure pgaudit.log"));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_pgaudit_not_loaded() { return std::make_unique<ConfPgauditNotLoadedRule>(); }

}  // namespace pgl::rules
