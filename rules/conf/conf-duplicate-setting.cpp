// conf-duplicate-setting: a parameter set more than once. The last line wins (spec 1.6),
// so the earlier lines are dead text that misleads readers. The finding sits at the line
// that wins; each earlier line is a related location.
//
// A postgresql.conf value overridden by postgresql.auto.conf is how ALTER SYSTEM works:
// that case is only a note. Two lines for the same parameter inside postgresql.auto.conf
// (ALTER SYSTEM never writes that) or inside the postgresql.conf tree are warnings.
#include <map>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfDuplicateSettingRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "conf-duplicate-setting", "parameter set more than once; only the last line counts", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    std::map<std::string, std::vector<const model::ConfEntry*>> by_name;
    std::vector<std::string> order;
    for (const auto& c : config.checked) {
      if (c.entry == nullptr || c.status == model::ConfEntryStatus::unknown) {
        continue;
      }
      const std::string key = c.canonical_name.empty() ? analysis::lower(c.entry->name) : c.canonical_name;
      auto& list = by_name[key];
      if (list.empty()) {
        order.push_back(key);
      }
      list.push_back(c.entry);
    }
    for (const auto& key : order) {
      const auto& list = by_name[key];
      if (list.size() < 2) {
        continue;
      }
      report(key, list, ctx);
    }
  }

 private:
  static void report(const std::string& key, const std::vector<const model::ConfEntry*>& list, lint::LintContext& ctx) {
    const model::ConfEntry& winner = *list.back();
    std::size_t in_auto = 0;
    for (const auto* e : list) {
      in_auto += e->from_auto_conf ? 1 : 0;
    }
    const std::size_t in_conf = list.size() - in_auto;
    const bool alter_system_override = winner.from_auto_conf && in_auto == 1 && in_conf == 1;

    if (alter_system_override) {
      const model::ConfEntry& earlier = *list.front();
      ctx.diag(k_meta, winner.name_span,
               fmt::format("\"{}\" set by ALTER SYSTEM here overrides {} ({})", key, analysis::line_ref(earlier),
                           describe(earlier)))
          .help(fmt::format("this is how ALTER SYSTEM works; to avoid surprises, remove or update the line in {} (or "
                            "run ALTER SYSTEM RESET {})",
                            analysis::line_ref(earlier), key))
          .severity(core::Severity::note)
          .note(earlier.name_span, fmt::format("overridden by {}", analysis::line_ref(winner)));
      return;
    }
    auto f = ctx.diag(k_meta, winner.name_span,
                      fmt::format("\"{}\" is set {} times; this line ({}) wins over {}", key, list.size(),
                                  describe(winner), earlier_refs(list)))
                 .help(
                     "keep a single line for each parameter: remove the earlier ones (or this one, if the earlier "
                     "value was intended)");
    for (std::size_t i = 0; i + 1 < list.size(); ++i) {
      f.note(list[i]->name_span, i == 0 ? "first set here" : "set again here");
    }
  }

  static std::string describe(const model::ConfEntry& e) {
    return fmt::format("{} = {}", e.name, analysis::display_value(e.name, e.value));
  }

  static std::string earlier_refs(const std::vector<const model::ConfEntry*>& list) {
    std::string out;
    for (std::size_t i = 0; i + 1 < list.size(); ++i) {
      if (i) {
        out += ", ";
      }
      out += analysis::line_ref(*list[i]);
    }
    return out;
  }
};

std::unique_ptr<lint::Rule> make_conf_duplicate_setting() {
  return std::make_unique<ConfDuplicateSettingRule>();
}

}  // namespace pgl::rules
