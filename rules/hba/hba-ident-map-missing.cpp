// hba-ident-map-missing: `map=NAME` on a pg_hba.conf line while pg_ident.conf has no
// mapping called NAME: every connection through the line fails authentication.
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaIdentMapMissing final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-ident-map-missing",
                                         "`map=` names a user name map that pg_ident.conf does not define",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    // Only when pg_ident.conf was read and the server would use it: a missing or broken
    // file is reported by ident-invalid-line. In repository mode an include (16+) whose file
    // or directory is not in the copy leaves the file not loading, so nothing is said: the
    // missing lines may define any map.
    if (!view.present() || !config.ident || !config.ident->loads() || hba::ident_template(config)) {
      return;
    }
    std::set<std::string> maps;
    for (const auto& m : config.ident->records) {
      if (!config.ident->missing_files.empty() && m.map_name.starts_with("@")) {
        return;  // repository mode: a map name from an @file not in the copy may be any map
      }
      maps.insert(m.map_name);
    }
    for (const auto& r : view.file().records) {
      if (r.error && r.fatal) {
        continue;
      }
      const model::HbaOption* map = hba::find_option(r, "map");
      if (map == nullptr || maps.count(map->value) != 0) {
        continue;
      }
      auto f = diag(ctx, hba::span_or_line(map->span, r.file, r.line),
                    fmt::format("user name map \"{}\" is not defined in {}: every `{}` connection through this line "
                                "fails authentication",
                                map->value, std::filesystem::path(config.ident->path).filename().string(), r.method));
      if (maps.empty()) {
        f.help(fmt::format("add `{} <system-user> <database-user>` lines to pg_ident.conf", map->value));
      } else {
        std::string known;
        for (const auto& name : maps) {
          if (!known.empty()) {
            known += ", ";
          }
          known += name;
          if (known.size() > 80) {
            known += ", ...";
            break;
          }
        }
        f.help(fmt::format("add lines for map `{}` to pg_ident.conf, or name one of the maps it defines: {}",
                           map->value, known));
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_ident_map_missing() {
  return std::make_unique<HbaIdentMapMissing>();
}

}  // namespace pgl::rules
