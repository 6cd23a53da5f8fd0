// conf-memory-setting-small: work_mem, maintenance_work_mem, shared_buffers or
// effective_cache_size below the minimum check_pgactivity's `configuration` service asks for
// (4MB, 64MB, 128MB, 1GB). A sizing recommendation, not a fault: strict profile, a note.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/conf_values.hpp"

namespace pgl::rules {
namespace {

struct Minimum {
  std::string_view name;
  long long base;           // in the parameter's base unit (kB, or 8kB blocks)
  std::string_view shown;   // the minimum as check_pgactivity states it
  std::string_view effect;  // what a smaller value does
};

constexpr Minimum k_minimums[] = {
    {"work_mem", 4096, "4MB", "a sort or hash table larger than this spills to temporary files on disk"},
    {"maintenance_work_mem", 65536, "64MB",
     "VACUUM, CREATE INDEX and ALTER TABLE ADD FOREIGN KEY get less memory (more index passes, sorts on disk)"},
    {"shared_buffers", 16384, "128MB", "the server's own cache of table and index pages is that small"},
    {"effective_cache_size", 131072, "1GB",
     "the planner assumes that little data is cached and prices index scans higher"},
};

class ConfMemorySettingSmallRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-memory-setting-small",
                                         "a memory setting is below the minimum check_pgactivity asks for",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const auto& m : k_minimums) {
      const auto v = analysis::view_setting(config, std::string(m.name));
      const auto n = judged_integer(config, v);
      if (!n || *n >= m.base) {
        continue;
      }
      diag(ctx, v->span,
           fmt::format("{}: below the {} check_pgactivity asks for; {}", describe_sized(config, *v, *n), m.shown,
                       m.effect))
          .help(fmt::format("set {} = '{}' or more, sized to the server's memory", m.name, m.shown));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_memory_setting_small() {
  return std::make_unique<ConfMemorySettingSmallRule>();
}

}  // namespace pgl::rules
