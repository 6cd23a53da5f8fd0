// conf-unknown-parameter: a dot-less name the target version does not know. The server
// rejects the whole configuration. The finding says what happened to the name when we
// know (removed in version N, renamed, debug builds only) and otherwise suggests the
// closest known name.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

namespace {

struct Removed {
  std::string_view name;
  std::string_view removed_in;  // first version that no longer knows it
  std::string_view instead;     // replacement advice
};

// Parameters removed before 12 (not in the tables) or whose replacement is worth naming.
constexpr Removed k_removed[] = {
    {"checkpoint_segments", "9.5", "use max_wal_size (and min_wal_size)"},
    {"custom_variable_classes", "9.2", "remove it: dotted custom names need no declaration"},
    {"db_user_namespace", "17", "remove it: the feature is gone; use distinct role names"},
    {"force_parallel_mode", "16", "use debug_parallel_query"},
    {"lc_collate", "16", "remove it: the database's collation is fixed at CREATE DATABASE"},
    {"lc_ctype", "16", "remove it: the database's ctype is fixed at CREATE DATABASE"},
    {"max_fsm_pages", "8.4", "remove it: the free space map is managed automatically since 8.4"},
    {"max_fsm_relations", "8.4", "remove it: the free space map is managed automatically since 8.4"},
    {"min_parallel_relation_size", "10", "use min_parallel_table_scan_size"},
    {"old_snapshot_threshold", "17", "remove it: the feature is gone"},
    {"operator_precedence_warning", "14", "remove it"},
    {"promote_trigger_file", "16", "remove it: promote with pg_ctl promote or SELECT pg_promote()"},
    {"redirect_stderr", "8.3", "use logging_collector"},
    {"replacement_sort_tuples", "11", "remove it"},
    {"silent_mode", "9.2", "remove it: use pg_ctl or the service manager to detach"},
    {"sql_inheritance", "10", "remove it"},
    {"ssl_renegotiation_limit", "9.5", "remove it: SSL renegotiation is no longer supported"},
    {"standby_mode", "12", "create a standby.signal file in the data directory instead"},
    {"stats_temp_directory", "15", "remove it: statistics live in shared memory since 15"},
    {"trace_recovery_messages", "17", "remove it"},
    {"trigger_file", "12", "use promote_trigger_file (12-15) or pg_ctl promote"},
    {"unix_socket_directory", "9.3", "use unix_socket_directories"},
    {"vacuum_cleanup_index_scale_factor", "14", "remove it"},
    {"vacuum_defer_cleanup_age", "16", "remove it: use hot_standby_feedback or a replication slot"},
    {"wal_keep_segments", "13", "use wal_keep_size (in MB: wal_keep_segments x 16MB)"},
};

const Removed* find_removed(const std::string& name) {
  for (const auto& r : k_removed) {
    if (r.name == name) {
      return &r;
    }
  }
  return nullptr;
}

}  // namespace

class ConfUnknownParameterRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-unknown-parameter",
                                         "parameter name the server does not know (whole configuration rejected)",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const auto& c : config.checked) {
      if (c.status != model::ConfEntryStatus::unknown || c.entry == nullptr) {
        continue;
      }
      const model::ConfEntry& e = *c.entry;
      std::string message = fmt::format("unrecognized configuration parameter \"{}\"", e.name);
      std::string help;
      const std::string name = analysis::lower(e.name);
      if (name.starts_with("\xEF\xBB\xBF")) {
        message += " (the file starts with a UTF-8 byte order mark, which the server reads as part of the name)";
        help = "save the file without a byte order mark";
      } else if (const auto [present, last] = version_range(name); present) {
        message += fmt::format(" in PostgreSQL {}", config.pg_version);
        if (last < config.pg_version) {
          message += fmt::format("; it was removed in PostgreSQL {}", last + 1);
        } else {
          message += "; it exists only in later versions";
        }
        const auto* r = find_removed(name);
        help = r ? std::string(r->instead)
                 : (last < config.pg_version ? "remove the line" : "remove the line or check --pg-version");
      } else if (const auto* r = find_removed(name)) {
        message += fmt::format("; it was removed in PostgreSQL {}", r->removed_in);
        help = std::string(r->instead);
      } else if (is_debug_only(config.pg_version, name)) {
        message += "; it exists only in servers built with debugging options";
        help = "remove the line: packaged servers do not know this parameter";
      } else if (auto s = suggestion(config.pg_version, name); !s.empty()) {
        help = fmt::format("did you mean \"{}\"?", s);
      } else {
        help = "remove the line, or, for an extension's parameter, write it as <extension>.<name>";
      }
      help += "; the server rejects the whole configuration while this line is present";
      diag(ctx, e.name_span, std::move(message)).help(std::move(help));
    }
  }

 private:
  // Whether another version in 12..18 knows the name, and the last version that does.
  static std::pair<bool, int> version_range(const std::string& name) {
    bool present = false;
    int last = 0;
    for (int v = conf::k_min_version; v <= conf::k_max_version; ++v) {
      if (conf::find_guc(v, name) != nullptr) {
        present = true;
        last = v;
      }
    }
    return {present, last};
  }

  static bool is_debug_only(int version, const std::string& name) {
    for (const auto& g : conf::all_gucs(version)) {
      if (g.debug_only && g.name == name) {
        return true;
      }
    }
    return false;
  }

  static std::string suggestion(int version, const std::string& name) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, name.size() / 4) + 1;
    for (const auto& g : conf::all_gucs(version)) {
      if (g.debug_only) {
        continue;
      }
      const std::size_t d = analysis::edit_distance(name, g.name);
      if (d < best_d) {
        best_d = d;
        best = std::string(g.name);
      }
    }
    return best;
  }
};

std::unique_ptr<lint::Rule> make_conf_unknown_parameter() {
  return std::make_unique<ConfUnknownParameterRule>();
}

}  // namespace pgl::rules
