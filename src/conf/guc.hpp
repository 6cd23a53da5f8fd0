// Per-version parameter tables (generated at build time from ../shared/reference/gucs/*.tsv)
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
  std::string_view enum_values;    // comma separated
  std::string_view hidden_aliases; // comma separated
  std::string_view flags;          // GUC_* joined by |
  bool debug_only;                 // NOT IN STANDARD BUILD
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
  std::string message;  // server text, e.g. `parameter "enable_seqscan" requires a Boolean value`
  std::string hint;     // e.g. `Available values: ...`
  std::string normalized;  // canonical value: bool "on"/"off", integers/reals in base unit, enum lower-case
};

// Validates a de-quoted value for a parameter the way set_config_option does.
[[nodiscard]] ValueCheck check_value(int version, const GucDef& def, std::string_view value);

}  // namespace pgl::conf
