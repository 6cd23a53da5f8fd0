// Canonical values for comparison.
//
// conf::check_value gives the canonical form. Until every build has the full value
// validation, the result also goes through a small local normalizer that is idempotent
// on canonical values (booleans, units, enum spellings), so both agree.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "conf/guc.hpp"
#include "diff/diff.hpp"

namespace pgl::diff {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

// parse_bool of the server: on/off/true/false/yes/no/1/0 and unique prefixes.
std::optional<bool> parse_bool(std::string_view raw) {
  const std::string v = lower(trim(raw));
  if (v.empty()) {
    return std::nullopt;
  }
  auto prefix_of = [&](std::string_view word, std::size_t min_len) {
    return v.size() >= min_len && v.size() <= word.size() && word.substr(0, v.size()) == v;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || v == "on" || v == "1") {
    return true;
  }
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || v == "0") {
    return false;
  }
  return std::nullopt;
}

// Size of one unit, in bytes (memory) or milliseconds (time); 0 when unknown.
double unit_size(std::string_view unit, bool memory) {
  if (memory) {
    if (unit == "B") return 1;
    if (unit == "kB") return 1024;
    if (unit == "8kB") return 8192;
    if (unit == "MB") return 1024.0 * 1024;
    if (unit == "GB") return 1024.0 * 1024 * 1024;
    if (unit == "TB") return 1024.0 * 1024 * 1024 * 1024;
    return 0;
  }
  if (unit == "us") return 0.001;
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "min") return 60000;
  if (unit == "h") return 3600000;
  if (unit == "d") return 86400000;
  return 0;
}

bool is_memory_unit(std::string_view unit) {
  return unit == "B" || unit == "kB" || unit == "8kB" || unit == "MB";
}

// Number with optional unit, converted to the parameter's base unit.
std::optional<double> parse_number(std::string_view raw, std::string_view base_unit, bool integer) {
  const std::string v = trim(raw);
  if (v.empty()) {
    return std::nullopt;
  }
  const char* begin = v.c_str();
  char* end = nullptr;
  double number = 0;
  if (integer && (v.rfind("0x", 0) == 0 || v.rfind("0X", 0) == 0)) {
    number = static_cast<double>(std::strtoll(begin, &end, 16));
  } else {
    number = std::strtod(begin, &end);
  }
  if (end == begin) {
    return std::nullopt;
  }
  const std::string unit = trim(std::string_view(end));
  if (unit.empty()) {
    return number;
  }
  if (base_unit.empty()) {
    return std::nullopt;
  }
  const bool memory = is_memory_unit(base_unit);
  const double from = unit_size(unit, memory);
  const double to = unit_size(base_unit, memory);
  if (from == 0 || to == 0) {
    return std::nullopt;
  }
  const double converted = number * from / to;
  return integer ? std::rint(converted) : converted;
}

std::string format_number(double n) {
  if (std::floor(n) == n && std::fabs(n) < 9.0e15) {
    return fmt::format("{}", static_cast<long long>(n));
  }
  return fmt::format("{}", n);
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    out.push_back(s.substr(0, comma));
    if (comma == std::string_view::npos) {
      break;
    }
    s.remove_prefix(comma + 1);
  }
  return out;
}

std::string normalize_enum(const conf::GucDef& def, std::string_view raw) {
  const std::string v = lower(trim(raw));
  for (auto value : split_commas(def.enum_values)) {
    if (lower(value) == v) {
      return std::string(value);
    }
  }
  for (auto alias : split_commas(def.hidden_aliases)) {
    if (lower(alias) != v) {
      continue;
    }
    if (v == "true" || v == "yes" || v == "1") {
      return "on";
    }
    if (v == "false" || v == "no" || v == "0") {
      return "off";
    }
    if (def.name == "wal_level") {
      return "replica";  // archive and hot_standby are old names of replica
    }
  }
  return v;
}

std::string local_normalize(const conf::GucDef& def, std::string_view value) {
  switch (def.type) {
    case conf::GucType::boolean: {
      if (auto b = parse_bool(value)) {
        return *b ? "on" : "off";
      }
      return std::string(value);
    }
    case conf::GucType::integer:
    case conf::GucType::real: {
      if (auto n = parse_number(value, def.unit, def.type == conf::GucType::integer)) {
        return format_number(*n);
      }
      return std::string(value);
    }
    case conf::GucType::enumeration:
      return normalize_enum(def, value);
    case conf::GucType::string:
      return std::string(value);
  }
  return std::string(value);
}

}  // namespace

std::string normalize_setting(int pg_version, std::string_view name, std::string_view value) {
  const conf::GucDef* def = conf::find_guc(pg_version, name);
  if (def == nullptr) {
    return std::string(value);
  }
  const conf::ValueCheck check = conf::check_value(pg_version, *def, value);
  if (!check.ok) {
    return std::string(value);
  }
  return local_normalize(*def, check.normalized);
}

int auth_method_rank(std::string_view method) {
  // Order of what a stolen or sniffed credential is worth; reject refuses everything.
  if (method == "trust") return 0;
  if (method == "ident") return 10;
  if (method == "password" || method == "ldap" || method == "radius" || method == "pam" ||
      method == "bsd") {
    return 20;  // the password travels to the server in clear text
  }
  if (method == "md5") return 30;
  if (method == "scram-sha-256" || method == "peer" || method == "gss" || method == "sspi" ||
      method == "oauth") {
    return 50;
  }
  if (method == "cert") return 60;
  if (method == "reject") return 100;
  return 40;  // unknown: between md5 and scram
}

}  // namespace pgl::diff
