// Parameter value validation, following set_config_option / parse_and_validate_value
// (guc.c) and the check hooks listed in value_hooks.cpp.  Spec section 2.
#include <strings.h>

#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>

#include <fmt/core.h>

#include "conf/guc.hpp"
#include "conf/value_detail.hpp"

namespace pgl::conf {

namespace detail {

bool c_isspace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

std::string pg_g(double v) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "Infinity" : "-Infinity";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::vector<std::string_view> split_commas(std::string_view list) {
  std::vector<std::string_view> out;
  if (list.empty()) {
    return out;
  }
  std::size_t start = 0;
  while (true) {
    const auto comma = list.find(',', start);
    out.push_back(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace detail

namespace {

using detail::ascii_lower;
using detail::c_isspace;
using detail::iequals;
using detail::pg_g;

struct UnitConv {
  const char* unit;
  double multiplier;  // unit -> base unit
};

// guc.c memory_unit_conversion_table / time_unit_conversion_table, one slice per base
// unit, greatest unit first.  BLCKSZ = XLOG_BLCKSZ = 8192.
constexpr int k_blcksz = 8192;
const UnitConv k_units_byte[] = {{"TB", 1024.0 * 1024.0 * 1024.0 * 1024.0},
                                 {"GB", 1024.0 * 1024.0 * 1024.0},
                                 {"MB", 1024.0 * 1024.0},
                                 {"kB", 1024.0},
                                 {"B", 1.0}};
const UnitConv k_units_kb[] = {
    {"TB", 1024.0 * 1024.0 * 1024.0}, {"GB", 1024.0 * 1024.0}, {"MB", 1024.0}, {"kB", 1.0}, {"B", 1.0 / 1024.0}};
const UnitConv k_units_mb[] = {
    {"TB", 1024.0 * 1024.0}, {"GB", 1024.0}, {"MB", 1.0}, {"kB", 1.0 / 1024.0}, {"B", 1.0 / (1024.0 * 1024.0)}};
const UnitConv k_units_blocks[] = {{"TB", (1024.0 * 1024.0 * 1024.0) / (k_blcksz / 1024.0)},
                                   {"GB", (1024.0 * 1024.0) / (k_blcksz / 1024.0)},
                                   {"MB", 1024.0 / (k_blcksz / 1024.0)},
                                   {"kB", 1.0 / (k_blcksz / 1024.0)},
                                   {"B", 1.0 / k_blcksz}};
const UnitConv k_units_ms[] = {
    {"d", 1000 * 60 * 60 * 24}, {"h", 1000 * 60 * 60}, {"min", 1000 * 60}, {"s", 1000}, {"ms", 1}, {"us", 1.0 / 1000}};
const UnitConv k_units_s[] = {{"d", 60 * 60 * 24},        {"h", 60 * 60}, {"min", 60}, {"s", 1}, {"ms", 1.0 / 1000},
                              {"us", 1.0 / (1000 * 1000)}};
const UnitConv k_units_min[] = {{"d", 60 * 24},
                                {"h", 60},
                                {"min", 1},
                                {"s", 1.0 / 60},
                                {"ms", 1.0 / (1000 * 60)},
                                {"us", 1.0 / (1000 * 1000 * 60)}};

constexpr const char* k_memory_units_hint = R"(Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".)";
constexpr const char* k_time_units_hint = R"(Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".)";

struct UnitFamily {
  std::span<const UnitConv> table;
  bool memory = false;
};

UnitFamily unit_family(std::string_view unit) {
  if (unit == "B") {
    return {k_units_byte, true};
  }
  if (unit == "kB") {
    return {k_units_kb, true};
  }
  if (unit == "MB") {
    return {k_units_mb, true};
  }
  if (unit == "8kB") {
    return {k_units_blocks, true};
  }
  if (unit == "ms") {
    return {k_units_ms, false};
  }
  if (unit == "s") {
    return {k_units_s, false};
  }
  if (unit == "min") {
    return {k_units_min, false};
  }
  return {};
}

// convert_to_base_unit: `unit` may carry trailing whitespace.
bool convert_to_base_unit(double value, const char* unit, std::span<const UnitConv> table, double* base_value) {
  char unitstr[4];
  int unitlen = 0;
  while (*unit != '\0' && !c_isspace(*unit) && unitlen < 3) {
    unitstr[unitlen++] = *(unit++);
  }
  unitstr[unitlen] = '\0';
  while (c_isspace(*unit)) {
    unit++;
  }
  if (*unit != '\0') {
    return false;
  }
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (std::strcmp(unitstr, table[i].unit) == 0) {
      double cvalue = value * table[i].multiplier;
      if (i + 1 < table.size()) {
        cvalue = std::rint(cvalue / table[i + 1].multiplier) * table[i + 1].multiplier;
      }
      *base_value = cvalue;
      return true;
    }
  }
  return false;
}

struct Parsed {
  bool ok = false;
  double value = 0;
  const char* hint = nullptr;
};

// parse_int (integer = true) and parse_real (integer = false).
Parsed parse_number(const std::string& text, bool integer, const UnitFamily& family) {
  Parsed r;
  const char* value = text.c_str();
  char* endptr = nullptr;
  double val = 0;
  if (integer) {
    errno = 0;
    val = static_cast<double>(std::strtol(value, &endptr, 0));
    if (*endptr == '.' || *endptr == 'e' || *endptr == 'E' || errno == ERANGE) {
      errno = 0;
      val = std::strtod(value, &endptr);
    }
  } else {
    errno = 0;
    val = std::strtod(value, &endptr);
  }
  if (endptr == value || errno == ERANGE) {
    return r;
  }
  if (std::isnan(val)) {
    return r;
  }
  while (c_isspace(*endptr)) {
    endptr++;
  }
  if (*endptr != '\0') {
    if (family.table.empty()) {
      return r;
    }
    if (!convert_to_base_unit(val, endptr, family.table, &val)) {
      r.hint = family.memory ? k_memory_units_hint : k_time_units_hint;
      return r;
    }
  }
  if (integer) {
    val = std::rint(val);
    if (val > INT_MAX || val < INT_MIN) {
      r.hint = "Value exceeds integer range.";
      return r;
    }
  }
  r.ok = true;
  r.value = val;
  return r;
}

double table_bound(std::string_view s) {
  // The tables print DBL_MAX with %g; map it back to the exact limit.
  if (s == "1.79769e+308") {
    return DBL_MAX;
  }
  if (s == "-1.79769e+308") {
    return -DBL_MAX;
  }
  return std::strtod(std::string(s).c_str(), nullptr);
}

std::string normalized_real(double v) {
  std::string g = pg_g(v);
  if (std::isfinite(v) && std::strtod(g.c_str(), nullptr) != v) {
    char buf[64];
    for (int precision = 7; precision <= 17; ++precision) {
      std::snprintf(buf, sizeof buf, "%.*g", precision, v);
      if (std::strtod(buf, nullptr) == v) {
        break;
      }
    }
    g = buf;
  }
  return g;
}

std::string invalid_value_message(const GucDef& def, std::string_view value) {
  return fmt::format("invalid value for parameter \"{}\": \"{}\"", def.name, value);
}

std::string range_message(int version, const GucDef& def, const std::string& v, const std::string& min,
                          const std::string& max) {
  const std::string unit = def.unit.empty() ? "" : " " + std::string(def.unit);
  if (version >= 17) {
    return fmt::format("{}{} is outside the valid range for parameter \"{}\" ({}{} .. {}{})", v, unit, def.name, min,
                       unit, max, unit);
  }
  return fmt::format("{}{} is outside the valid range for parameter \"{}\" ({} .. {})", v, unit, def.name, min, max);
}

// parse_bool_with_len (src/backend/utils/adt/bool.c).
bool parse_bool(const char* value, bool* result) {
  const std::size_t len = std::strlen(value);
  auto prefix_of = [&](const char* word, std::size_t n) { return strncasecmp(value, word, n) == 0; };
  switch (*value) {
    case 't':
    case 'T':
      if (prefix_of("true", len)) {
        *result = true;
        return true;
      }
      break;
    case 'f':
    case 'F':
      if (prefix_of("false", len)) {
        *result = false;
        return true;
      }
      break;
    case 'y':
    case 'Y':
      if (prefix_of("yes", len)) {
        *result = true;
        return true;
      }
      break;
    case 'n':
    case 'N':
      if (prefix_of("no", len)) {
        *result = false;
        return true;
      }
      break;
    case 'o':
    case 'O':
      // 'o' alone is not unique enough
      if (prefix_of("on", len > 2 ? len : 2)) {
        *result = true;
        return true;
      }
      if (prefix_of("off", len > 2 ? len : 2)) {
        *result = false;
        return true;
      }
      break;
    case '1':
      if (len == 1) {
        *result = true;
        return true;
      }
      break;
    case '0':
      if (len == 1) {
        *result = false;
        return true;
      }
      break;
    default: break;
  }
  return false;
}

bool has_flag(const GucDef& def, std::string_view flag) {
  for (auto f : [&] {
         std::vector<std::string_view> parts;
         std::string_view s = def.flags;
         while (!s.empty()) {
           auto bar = s.find('|');
           parts.push_back(s.substr(0, bar));
           if (bar == std::string_view::npos) {
             break;
           }
           s.remove_prefix(bar + 1);
         }
         return parts;
       }()) {
    if (f == flag) {
      return true;
    }
  }
  return false;
}

// Canonical (visible) option for an accepted enum spelling, as SHOW would print it.
std::string canonical_enum(int version, const GucDef& def, const std::string& lowered) {
  const auto visible = detail::split_commas(def.enum_values);
  auto visible_has = [&](std::string_view v) {
    for (auto o : visible) {
      if (iequals(o, v)) {
        return true;
      }
    }
    return false;
  };
  const bool is_true = lowered == "on" || lowered == "true" || lowered == "yes" || lowered == "1";
  const bool is_false = lowered == "off" || lowered == "false" || lowered == "no" || lowered == "0";
  if (def.name == "wal_compression" && (is_true)) {
    return "pglz";  // "on" has the value of pglz, which comes first
  }
  if (def.name == "password_encryption" && version <= 13 && is_true) {
    return "md5";
  }
  if (is_true && visible_has("on")) {
    return "on";
  }
  if (is_false && visible_has("off")) {
    return "off";
  }
  if (def.name == "wal_level" && (lowered == "archive" || lowered == "hot_standby")) {
    return "replica";
  }
  if (lowered == "debug") {
    return "debug2";
  }
  return lowered;
}

ValueCheck check_bool(int version, const GucDef& def, const std::string& value) {
  ValueCheck c;
  bool b = false;
  if (!parse_bool(value.c_str(), &b)) {
    c.ok = false;
    c.message = fmt::format("parameter \"{}\" requires a Boolean value", def.name);
    return c;
  }
  c.normalized = b ? "on" : "off";
  detail::run_bool_hook(version, def, b, c);
  return c;
}

// integer and real parameters: parse_int / parse_real, the range, the check hook.
ValueCheck check_number(int version, const GucDef& def, const std::string& value) {
  ValueCheck c;
  const bool integer = def.type == GucType::integer;
  const Parsed p = parse_number(value, integer, unit_family(def.unit));
  if (!p.ok) {
    c.ok = false;
    c.message = invalid_value_message(def, value);
    if (p.hint) {
      c.hint = p.hint;
    }
    return c;
  }
  const double min = table_bound(def.min);
  const double max = table_bound(def.max);
  if (integer) {
    const int iv = static_cast<int>(p.value);
    if (iv < static_cast<int>(min) || iv > static_cast<int>(max)) {
      c.ok = false;
      c.message = range_message(version, def, std::to_string(iv), std::string(def.min), std::string(def.max));
      return c;
    }
    int adjusted = iv;
    detail::run_int_hook(version, def, adjusted, c);
    if (c.ok) {
      c.normalized = std::to_string(adjusted);
    }
  } else {
    if (p.value < min || p.value > max) {
      c.ok = false;
      c.message = range_message(version, def, pg_g(p.value), pg_g(min), pg_g(max));
      return c;
    }
    c.normalized = normalized_real(p.value);
    detail::run_real_hook(version, def, p.value, c);
  }
  return c;
}

ValueCheck check_enum(int version, const GucDef& def, const std::string& value) {
  ValueCheck c;
  bool found = false;
  for (auto list : {def.enum_values, def.hidden_aliases}) {
    for (auto option : detail::split_commas(list)) {
      if (iequals(option, value)) {
        found = true;
      }
    }
  }
  if (!found) {
    c.ok = false;
    c.message = invalid_value_message(def, value);
    std::string options;
    bool first = true;
    for (auto option : detail::split_commas(def.enum_values)) {
      options += first ? "" : ", ";
      options += option;
      first = false;
    }
    c.hint = fmt::format("Available values: {}.", options);
    return c;
  }
  c.normalized = canonical_enum(version, def, ascii_lower(value));
  detail::run_enum_hook(version, def, c);
  return c;
}

ValueCheck check_string(int version, const GucDef& def, const std::string& value) {
  ValueCheck c;
  std::string s = value;
  if (has_flag(def, "GUC_IS_NAME")) {
    // The postmaster has no database encoding (SQL_ASCII): pg_mbcliplen cuts at byte 63
    // there (cluster_name; 12.22 `postgres -C` observed); backends cut at a character.
    s = def.context == GucContext::postmaster ? s.substr(0, std::min<std::size_t>(s.find('\0'), 63))
                                              : detail::truncate_identifier(s);
  }
  c.normalized = s;
  detail::run_string_hook(version, def, c);
  return c;
}

}  // namespace

ValueCheck check_value(int version, const GucDef& def, std::string_view raw) {
  // The server sees a C string: anything after a NUL byte is not part of the value.
  const std::string value(raw.substr(0, raw.find('\0')));
  switch (def.type) {
    case GucType::boolean: return check_bool(version, def, value);
    case GucType::integer:
    case GucType::real: return check_number(version, def, value);
    case GucType::enumeration: return check_enum(version, def, value);
    case GucType::string: return check_string(version, def, value);
  }
  return ValueCheck{};
}

bool is_default(int version, const GucDef& def, std::string_view value) {
  const ValueCheck v = check_value(version, def, value);
  if (!v.ok) {
    return false;
  }
  const ValueCheck boot = check_value(version, def, def.boot_val);
  return boot.ok && boot.normalized == v.normalized;
}

std::string format_base_value(const GucDef& def, double base_value) {
  const UnitFamily family = unit_family(def.unit);
  const bool integer = def.type == GucType::integer;
  if (family.table.empty() || !(base_value > 0)) {
    return integer ? fmt::format("{}", static_cast<long long>(base_value)) : pg_g(base_value);
  }
  if (integer) {
    // convert_int_from_base_unit
    const auto v = static_cast<long long>(base_value);
    for (const auto& conv : family.table) {
      if (conv.multiplier <= 1.0 || v % static_cast<long long>(conv.multiplier) == 0) {
        return fmt::format("{}{}", static_cast<long long>(std::rint(static_cast<double>(v) / conv.multiplier)),
                           conv.unit);
      }
    }
  }
  // convert_real_from_base_unit
  double value = base_value;
  const char* unit = family.table.back().unit;
  for (const auto& conv : family.table) {
    value = base_value / conv.multiplier;
    unit = conv.unit;
    if (value > 0 && std::fabs((std::rint(value) / value) - 1.0) <= 1e-8) {
      break;
    }
  }
  return pg_g(value) + unit;
}

}  // namespace pgl::conf
