#include "load/file_settings.hpp"

#include <locale.h>

#include <clocale>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "conf/guc.hpp"

namespace pgl::load {
namespace {

// lc_messages, lc_monetary, lc_numeric and lc_time are checked by the server against the
// locales installed on its own machine (check_locale). pg_file_settings is a view of the
// server on this machine, so the emulation asks this machine's C library; the linter's
// rules do not (the target machine may have other locales).
bool locale_available(const conf::GucDef& def, const std::string& value) {
  int mask = 0;
  if (def.name == "lc_messages") {
    mask = LC_MESSAGES_MASK;
  } else if (def.name == "lc_monetary") {
    mask = LC_MONETARY_MASK;
  } else if (def.name == "lc_numeric") {
    mask = LC_NUMERIC_MASK;
  } else if (def.name == "lc_time") {
    mask = LC_TIME_MASK;
  } else {
    return true;
  }
  if (value.empty()) {
    return true;
  }
  locale_t loc = newlocale(mask, value.c_str(), static_cast<locale_t>(nullptr));
  if (loc == static_cast<locale_t>(nullptr)) {
    return false;
  }
  freelocale(loc);
  return true;
}

bool custom_start(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

}  // namespace

bool valid_custom_name(std::string_view name, int pg_version) {
  if (pg_version < 14) {
    return name.find('.') != std::string_view::npos;
  }
  bool saw_sep = false;
  bool name_start = true;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '.') {
      if (name_start) {
        return false;
      }
      saw_sep = true;
      name_start = true;
    } else if (custom_start(c) || (!name_start && ((c >= '0' && c <= '9') || c == '$'))) {
      name_start = false;
    } else {
      return false;
    }
  }
  return saw_sep && !name_start;
}

namespace {

struct Work {
  const model::ConfItem* item;
  const conf::GucDef* def = nullptr;
  bool ignore = false;
};

// The items that have a row (a skipped include_if_exists and "too many errors" are log
// lines only).
std::vector<Work> rows_of(const model::ConfSet& conf) {
  std::vector<Work> work;
  for (const auto& item : conf.items) {
    if (item.problem && (item.problem->kind == model::ConfProblemKind::include_if_exists_skipped ||
                         item.problem->kind == model::ConfProblemKind::too_many_errors)) {
      continue;
    }
    work.push_back(Work{&item});
  }
  return work;
}

// What each row shows before anything is checked: its place and its name and setting, or
// the problem's place and error (such a row is not applied).
std::vector<FileSettingRow> initial_rows(std::vector<Work>& work) {
  std::vector<FileSettingRow> rows(work.size());
  for (std::size_t i = 0; i < work.size(); ++i) {
    FileSettingRow& r = rows[i];
    r.seqno = static_cast<int>(i + 1);
    const auto& item = *work[i].item;
    if (item.problem) {
      const auto& p = *item.problem;
      if (!p.span.begin.file.empty()) {
        r.sourcefile = p.span.begin.file;
        r.sourceline = p.span.begin.line;
      }
      r.error = p.view_error;
      work[i].ignore = true;
    } else {
      r.sourcefile = item.entry->file;
      r.sourceline = item.entry->line;
      r.name = item.entry->name;
      r.setting = item.entry->value;
    }
  }
  return rows;
}

// Check pass: names, and duplicates (byte-identical names only). False when a name is
// unrecognized (nothing is applied then).
bool check_names(std::vector<Work>& work, std::vector<FileSettingRow>& rows, int pg_version) {
  bool ok = true;
  std::set<const conf::GucDef*> in_file;
  // The server marks every earlier line with the same (byte-equal) name as ignored when a
  // parameter appears again; by then all but the last of those are already ignored, so
  // remembering the last line per name gives the same marks in linear time.
  std::unordered_map<std::string_view, std::size_t> last_with_name;
  for (std::size_t i = 0; i < work.size(); ++i) {
    if (!work[i].item->entry) {
      continue;
    }
    const auto& e = *work[i].item->entry;
    if (const auto* def = conf::find_guc(pg_version, e.name)) {
      work[i].def = def;
      const auto [it, first] = last_with_name.try_emplace(e.name, i);
      if (!first) {
        if (in_file.count(def)) {
          work[it->second].ignore = true;
        }
        it->second = i;
      }
      in_file.insert(def);
    } else if (!valid_custom_name(e.name, pg_version)) {
      rows[i].error = "unrecognized configuration parameter";
      ok = false;
    }
  }
  return ok;
}

using StartedWith = std::map<const conf::GucDef*, std::string>;

// The running value of each postmaster-context parameter when the server was started
// with this file: its last valid line.
StartedWith started_with_values(const std::vector<Work>& work, int pg_version) {
  StartedWith started_with;
  for (const auto& w : work) {
    if (w.def && w.def->context == conf::GucContext::postmaster) {
      const auto vc = conf::check_value(pg_version, *w.def, w.item->entry->value);
      if (vc.ok) {
        started_with[w.def] = vc.normalized;
      }
    }
  }
  return started_with;
}

// The value a postmaster-context parameter runs with (normalized), if known.
std::optional<std::string> running_value(const conf::GucDef& def, int pg_version, const RunningValues& running,
                                         const StartedWith& started_with) {
  std::optional<std::string> current;
  for (const auto& [n, v] : running.values) {
    if (conf::find_guc(pg_version, n) == &def) {
      const auto rv = conf::check_value(pg_version, def, v);
      current = rv.ok ? rv.normalized : v;
    }
  }
  if (!current) {
    if (running.boot_defaults) {
      const auto bv = conf::check_value(pg_version, def, def.boot_val);
      current = bv.ok ? bv.normalized : std::string(def.boot_val);
    } else if (auto it = started_with.find(&def); it != started_with.end()) {
      current = it->second;
    }
  }
  return current;
}

// Whether set_config_option (context SIGHUP, source FILE, changeVal false) accepts the
// line of a known parameter.
bool applies(const conf::GucDef& def, const std::string& value, int pg_version, const RunningValues& running,
             const StartedWith& started_with) {
  switch (def.context) {
    case conf::GucContext::internal: return false;  // parameter "<n>" cannot be changed
    case conf::GucContext::postmaster: {
      const auto vc = conf::check_value(pg_version, def, value);
      if (!vc.ok) {
        return false;
      }
      const std::optional<std::string> current = running_value(def, pg_version, running, started_with);
      // wal_buffers = -1 asks for auto-tuning: its check hook replaces -1 with the
      // value computed at start, so it never differs from the running value.
      const bool autotuned = def.name == "wal_buffers" && vc.normalized == "-1";
      return autotuned || !current || *current == vc.normalized;
    }
    default:
      // backend and superuser-backend parameters are validated too (observed on 15).
      return conf::check_value(pg_version, def, value).ok && locale_available(def, value);
  }
}

}  // namespace

std::vector<FileSettingRow> file_settings_view(const model::ConfSet& conf, int pg_version,
                                               const RunningValues& running) {
  std::vector<Work> work = rows_of(conf);
  std::vector<FileSettingRow> rows = initial_rows(work);
  if (conf.has_fatal_problem()) {
    return rows;  // parse-level problem: nothing is checked or applied
  }
  if (!check_names(work, rows, pg_version)) {
    return rows;
  }
  const StartedWith started_with = started_with_values(work, pg_version);

  // Apply pass (set_config_option with context SIGHUP, source FILE, changeVal false).
  for (std::size_t i = 0; i < work.size(); ++i) {
    if (work[i].ignore || !work[i].item->entry) {
      continue;
    }
    const bool ok =
        work[i].def == nullptr || applies(*work[i].def, work[i].item->entry->value, pg_version, running, started_with);
    if (ok) {
      rows[i].applied = true;
    } else {
      rows[i].error = "setting could not be applied";
    }
  }
  return rows;
}

}  // namespace pgl::load
