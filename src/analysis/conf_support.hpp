// Helpers shared by the postgresql.conf rules (rules/conf, rules/repl): spans inside a
// value, boolean/enum reading of values, edit distance, safe display of values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/text.hpp"
#include "lint/rule.hpp"
#include "model/config.hpp"

namespace pgl::analysis {

// Span of the whole line 0 of a file ("the file as a whole"): used for a parameter left at
// its default, which has no line of its own.
[[nodiscard]] core::Span whole_file(const std::string& file);

// Where a finding about parameter `name` goes: its winning value, else the main file.
[[nodiscard]] core::Span setting_value_span(const model::Config& config, const std::string& name);

// `postgresql.auto.conf line 3` style reference (file name only, not the full path).
[[nodiscard]] std::string line_ref(const model::ConfEntry& entry);

// Maps an offset in the de-quoted value of an entry to the byte column in its file, by
// replaying the server's de-escaping of the raw token (spec 1.4).
[[nodiscard]] std::uint32_t value_column(const model::ConfEntry& entry, std::size_t offset);
// Span of `length` bytes of the de-quoted value starting at `offset`.
[[nodiscard]] core::Span value_sub_span(const model::ConfEntry& entry, std::size_t offset, std::size_t length);

// The shared text helpers (core/text.hpp), under the names the rules use.
// parse_bool of the server (spec 2.1): prefixes of true/false/yes/no, on/off, 1/0.
using core::ascii_lower;
using core::parse_bool;
using core::trim;
// Levenshtein distance, for "did you mean" suggestions.
using core::edit_distance;
[[nodiscard]] inline std::string lower(std::string_view s) {
  return core::ascii_lower(s);
}

// Effective `ssl` (the file's value, blanks trimmed, else the default off); nullopt when
// there is no postgresql.conf or the value is not a boolean. rules/ssl treat nullopt as off.
[[nodiscard]] std::optional<bool> ssl_setting(const model::Config& config);

// Parameters whose values may hold credentials: their values are never shown.
[[nodiscard]] bool is_secret_parameter(std::string_view name);

// The entry's line holds unrendered template syntax (analysis/template_detect.hpp): rules
// that judge values leave such lines to conf-template-syntax.
[[nodiscard]] bool is_template_entry(const model::Config& config, const model::ConfEntry& entry);
// A value as it may appear in a message: masked for secret-bearing parameters.
[[nodiscard]] std::string display_value(std::string_view name, std::string_view value);

// Rank of a server message level for log_min_messages / log_min_error_statement:
// debug5 < ... < debug1 < info < notice < warning < error < log < fatal < panic ("debug" is
// debug2). -1 for anything else.
[[nodiscard]] int message_level_rank(std::string_view level);

// The value a parameter takes: from the winning line, else the version's default.
struct SettingView {
  std::string name;
  std::string value;                        // de-quoted value or boot value
  const model::ConfEntry* entry = nullptr;  // null when the default applies
  core::Span span;                          // value token, or line 0 of the main file
  // "log_connections = off" or "log_connections is not set (default off)"
  [[nodiscard]] std::string describe() const;
};
// nullopt when there is no postgresql.conf or the version has no such parameter.
[[nodiscard]] std::optional<SettingView> view_setting(const model::Config& config, const std::string& name);
// The setting when the server reads it as the boolean `value` (from a file line that is not
// template syntax, or from the default); nullopt otherwise (not a boolean, other value).
[[nodiscard]] std::optional<SettingView> bool_setting_is(const model::Config& config, const std::string& name,
                                                         bool value);

// A syslog_* boolean (syslog_sequence_numbers, syslog_split_messages) read as off while
// log_destination (or its default) sends messages to syslog; nullopt otherwise.
[[nodiscard]] std::optional<SettingView> syslog_option_off(const model::Config& config, const std::string& name);

// The libraries of a shared_preload_libraries value as the server splits the list
// (SplitDirectoriesString: commas, blanks trimmed, double quotes), each reduced to the name a
// module is known by: lower case, without a directory or a ".so" suffix
// ("$libdir/pgaudit.so" -> "pgaudit").
[[nodiscard]] std::vector<std::string> preload_library_names(std::string_view list);
// shared_preload_libraries (its line, or the default when unset) when it loads none of
// `libraries` (and is no template syntax): where to report that a module is missing.
[[nodiscard]] std::optional<SettingView> preload_lacks(const model::Config& config,
                                                       const std::vector<std::string_view>& libraries);

// The value of a setting in the parameter's base unit (integers: decimal, octal 0600,
// units), if the server accepts it.
[[nodiscard]] std::optional<long long> base_integer(const model::Config& config, const SettingView& v);
// log_destination (or its default) names `dest` (comma-separated, case-insensitive).
[[nodiscard]] bool logs_to(const model::Config& config, std::string_view dest);
// The parameter's value (or its default) is a true boolean.
[[nodiscard]] bool is_on(const model::Config& config, const std::string& name);

}  // namespace pgl::analysis
