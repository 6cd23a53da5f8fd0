// Per-version parameter tables (generated at build time from data/gucs/<major>.tsv)
// and value validation (spec section 2).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgl::conf {

enum class GucType { boolean, integer, real, string, enumeration };
enum class GucContext { internal, postmaster, sighup, superuser_backend, backend, superuser, user };

struct GucDef {
  std::string_view name;
  GucType type;
  GucContext context;
  std::string_view unit;  // "", "kB", "MB", "B", "8kB", "ms", "s", "min"
  std::string_view min, max, boot_val;
  std::string_view enum_values;     // comma separated
  std::string_view hidden_aliases;  // comma separated
  std::string_view flags;           // GUC_* joined by |
  bool debug_only;                  // NOT IN STANDARD BUILD
  std::string_view check_hook;
};

constexpr int k_min_version = 12;
constexpr int k_max_version = 18;

// Case-insensitive lookup with aliases (sort_mem, vacuum_mem, ssl_ecdh_curve in 18).
// Debug-only parameters are not found (the server does not know them).
[[nodiscard]] const GucDef* find_guc(int version, std::string_view name);
[[nodiscard]] const std::vector<GucDef>& all_gucs(int version);

struct ValueCheck {
  bool ok = true;
  std::string message;          // server text, e.g. `parameter "enable_seqscan" requires a Boolean value`
  std::string hint;             // e.g. `Available values: ...`
  std::string normalized;       // canonical value: bool "on"/"off", integers/reals in base unit, enum lower-case
  std::string detail;           // DETAIL line of check hooks, e.g. `Unrecognized key word: "bogus".`
  bool unchecked_hook = false;  // the parameter has a check hook this linter does not reproduce
  // 12-17: rejected only by the MAX_BACKENDS sum, taken with the other three parameters at
  // their boot values (normalized is kept); the linter redoes the sum in file order.
  bool max_backends_only = false;
};

// Validates a de-quoted value for a parameter the way set_config_option does.
[[nodiscard]] ValueCheck check_value(int version, const GucDef& def, std::string_view value);

// True when `value` is valid and its normalized form equals that of the boot value
// (the compiled-in default).  Invalid values are never the default.
[[nodiscard]] bool is_default(int version, const GucDef& def, std::string_view value);

// Formats a value given in the parameter's base unit the way SHOW does: the largest unit
// that represents it exactly (16384 blocks of 8kB -> "128MB", 1500 ms -> "1500ms",
// 60 s -> "1min").  Unit-less parameters, and values <= 0, get the bare number.
[[nodiscard]] std::string format_base_value(const GucDef& def, double base_value);

// Names of the check hooks check_value() reproduces (others are left unchecked).
[[nodiscard]] bool check_hook_reproduced(int version, std::string_view hook);

}  // namespace pgl::conf
