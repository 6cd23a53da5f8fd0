// postgresql.conf model: what the server's parser (guc-file.l) produces, no PEGTL here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/source.hpp"

namespace pgl::model {

// One name/value line, as pg_file_settings lists it.
struct ConfEntry {
  std::string name;       // as written (case preserved)
  std::string value;      // de-quoted value (pg_file_settings.setting)
  std::string raw_value;  // value token exactly as written (quotes included)
  bool quoted = false;    // value was a STRING token
  std::string file;       // absolute path of the file containing the line
  std::uint32_t line = 0;
  core::Span name_span;
  core::Span value_span;
  bool from_auto_conf = false;  // read from postgresql.auto.conf (or something it includes)
  int include_depth = 0;        // 0 = main file / auto file
};

// Parse-level problem (rejects the whole configuration) or an include-level note.
enum class ConfProblemKind {
  syntax_error,               // `syntax error in file "<f>" line <n>, near ...`
  too_many_errors,            // `too many syntax errors found, abandoning file "<f>"`
  include_missing,            // include target cannot be opened
  include_dir_missing,        // include_dir target cannot be opened
  stat_failed,                // `could not stat file` inside include_dir
  empty_include_name,         // `empty configuration file name` / directory name
  recursion,                  // `configuration file recursion`
  depth_exceeded,             // `nesting depth exceeded`
  include_if_exists_skipped,  // not an error: LOG `skipping missing configuration file`
  include_unreadable,         // include target exists but is not a readable text file
                              // (directory, device, binary, too large, too many files)
};

struct ConfProblem {
  ConfProblemKind kind = ConfProblemKind::syntax_error;
  std::string log_message;  // server log text, e.g. `syntax error in file "/x" line 3, near token "GB"`
  std::string view_error;   // pg_file_settings.error text, e.g. `syntax error`
  core::Span span;          // where (file/line of the directive or the bad token)
  bool fatal = true;        // false only for include_if_exists_skipped
};

// One row of pg_file_settings in order: either an entry or a problem.
struct ConfItem {
  std::optional<ConfEntry> entry;
  std::optional<ConfProblem> problem;
};

// The result of parsing postgresql.conf, everything it includes, and postgresql.auto.conf.
struct ConfSet {
  std::string main_file;                // absolute path of postgresql.conf ("" if none)
  std::string auto_file;                // absolute path of postgresql.auto.conf ("" if not read)
  std::vector<ConfItem> items;          // file order, includes inline, auto.conf last
  std::vector<std::string> files_read;  // every file parsed, in order
  bool auto_skipped = false;            // emulate_view: auto.conf not read after a parse error
  [[nodiscard]] bool has_fatal_problem() const;
};

// Validation of one entry against the version's parameter table (section 2 of the spec).
enum class ConfEntryStatus {
  ok,
  custom,         // dotted custom name: placeholder, not validated
  unknown,        // `unrecognized configuration parameter "<n>" in file "<f>" line <l>`
  invalid_value,  // value rejected (message holds the server's text, hint in hint)
  internal,       // `parameter "<n>" cannot be changed`
};

struct CheckedEntry {
  const ConfEntry* entry = nullptr;
  std::string canonical_name;  // table spelling (lower case), aliases resolved; "" when unknown
  ConfEntryStatus status = ConfEntryStatus::ok;
  std::string message;      // server message for non-ok statuses
  std::string hint;         // server HINT, if any
  bool overridden = false;  // a later entry for the same parameter wins
};

// The winning value of a parameter after includes and auto.conf.
struct EffectiveSetting {
  std::string name;                  // canonical (table) name
  std::string value;                 // de-quoted value as written
  const ConfEntry* entry = nullptr;  // the line that set it (never null here)
};

}  // namespace pgl::model
