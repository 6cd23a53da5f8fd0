// ident-invalid-line: pg_ident.conf errors (the whole file is then ignored).
#include <algorithm>

#include <fmt/format.h>

#include "core/secrets.hpp"
#include "rules/hba/hba_util.hpp"
#include "rules/hba/repo_files.hpp"

namespace pgl::rules {
namespace {

class IdentInvalidLine final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ident-invalid-line",
                                         "pg_ident.conf line the server rejects (user name maps are not loaded)",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.ident || hba::ident_template(config)) {
      return;  // a template: hba-template-syntax
    }
    const model::IdentFile& f = *config.ident;
    const std::string consequence =
        "the server ignores the whole pg_ident.conf: it starts without user name maps (not fatal), and a "
        "reload keeps the previous maps, so logins through `map=` fail";
    // A file that cannot be read at all is reported even when no map= uses it: the server
    // logs the failure at every start and reload.
    if (f.file_error && (uses_map(config) || f.query_fails)) {
      core::Span where{core::Location{f.path, 0, 0}, 0, 0};
      // A file that is no regular file is reported at the line that names it.
      if (const auto* named = config.setting("ident_file"); f.refused && named != nullptr && named->entry != nullptr) {
        where = named->entry->value_span;
      }
      diag(ctx, where, fmt::format("{}: {}", core::mask_secrets(*f.file_error), consequence))
          .help("create the file or point ident_file at an existing one");
    }
    std::set<std::string> not_here;  // repository mode: @file/include targets not in the copy
    hba::repo_note_unknown(k_meta, ctx, f.missing_files, not_here);
    for (const auto& r : f.records) {
      if (!r.error) {
        continue;
      }
      if (hba::repo_note_missing(k_meta, ctx, *r.error, hba::span_or_line(r.span, r.file, r.line), not_here)) {
        continue;
      }
      auto f = diag(ctx, hba::span_or_line(r.span, r.file, r.line),
                    fmt::format("{}; {}", core::mask_secrets(*r.error), consequence));
      if (r.error->find("multiple values") != std::string::npos) {
        f.help("write one map name, one system user name and one database user name per line (no commas)");
      } else if (r.error->find("missing entry") != std::string::npos) {
        f.help(looks_like_ini(config, r)
                   ? "this is an INI-style file ([section] and key = value lines), not a user name map: pg_ident.conf "
                     "holds lines MAPNAME SYSTEM-USERNAME DATABASE-USERNAME; check which file ident_file names"
                   : "write MAPNAME SYSTEM-USERNAME DATABASE-USERNAME");
      } else if (r.error->find("regular expression") != std::string::npos) {
        f.help("fix the regular expression (after the leading `/`)");
      } else {
        f.help("fix this line");
      }
    }
  }

 private:
  // A `[section]` line: someone's INI file under the name pg_ident.conf.
  static bool looks_like_ini(const model::Config& config, const model::IdentRecord& r) {
    const auto* src = config.sources.find(r.file);
    if (src == nullptr || r.line == 0 || r.line > src->line_count()) {
      return false;
    }
    std::string_view t = src->line(r.line);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) {
      t.remove_prefix(1);
    }
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) {
      t.remove_suffix(1);
    }
    return t.size() >= 3 && t.front() == '[' && t.back() == ']';
  }

  static bool uses_map(const model::Config& config) {
    if (!config.hba) {
      return false;
    }
    return std::any_of(config.hba->records.begin(), config.hba->records.end(),
                       [](const model::HbaRecord& r) { return hba::find_option(r, "map") != nullptr; });
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_ident_invalid_line() {
  return std::make_unique<IdentInvalidLine>();
}

}  // namespace pgl::rules
