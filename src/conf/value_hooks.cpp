// Check hooks reproduced from the server (spec 2.5 and the hooks named in gucs/*.tsv).
// A hook is reproduced only where its outcome depends on the value alone (and on a
// standard Linux build); hooks that look at other parameters, the session, the catalog,
// the locale database or the process limits are reported as unchecked.
#include <dirent.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "conf/guc.hpp"
#include "conf/value_detail.hpp"
#include "core/read_file.hpp"

namespace pgl::conf {

namespace {

using detail::ascii_lower;
using detail::iequals;

// Hooks whose result this file reproduces, or which always accept a value read from a
// configuration file on a standard Linux build (USE_PREFETCH, epoll, MAP_HUGE_*, SSL).
constexpr std::array k_reproduced_hooks = {
    "check_application_name",
    "check_cluster_name",
    "check_bonjour",
    "check_default_with_oids",
    "check_ssl",
    "check_autovacuum_work_mem",
    "check_effective_io_concurrency",
    "check_maintenance_io_concurrency",
    "check_huge_page_size",
    "check_client_connection_check_interval",
    "check_recovery_prefetch",
    "check_wal_buffers",
    "check_random_seed",
    "check_log_destination",
    "check_log_connections",
    "check_timezone",
    "check_log_timezone",
    "check_vacuum_buffer_usage_limit",
    "check_commit_ts_buffers",
    "check_multixact_member_buffers",
    "check_multixact_offset_buffers",
    "check_notify_buffers",
    "check_serial_buffers",
    "check_subtrans_buffers",
    "check_transaction_buffers",
    "check_max_slot_wal_keep_size",
    "check_io_max_concurrency",
};

void fail(ValueCheck& c, std::string message, std::string detail = {}, std::string hint = {}) {
  c.ok = false;
  c.message = std::move(message);
  c.detail = std::move(detail);
  c.hint = std::move(hint);
  c.normalized.clear();
}

std::string invalid_string(const GucDef& def, std::string_view v) {
  return fmt::format("invalid value for parameter \"{}\": \"{}\"", def.name, v);
}

bool scanner_isspace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void mark_unchecked(const GucDef& def, ValueCheck& c) {
  if (!def.check_hook.empty()) {
    c.unchecked_hook = true;
  }
}

bool hook_is(const GucDef& def, std::string_view name) {
  return def.check_hook == name;
}

// ---- time zones (check_timezone / check_log_timezone, pg_tzset in pgtz.c)

constexpr const char* k_tzdir = "/usr/share/zoneinfo";

// scan_directory_ci: case-insensitive match of one path component, skipping dot files.
bool scan_directory_ci(const std::string& dir, std::string_view name, std::string& found) {
  DIR* d = opendir(dir.c_str());
  if (!d) {
    return false;
  }
  bool ok = false;
  while (const dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') {
      continue;
    }
    if (iequals(e->d_name, name)) {
      found = e->d_name;
      ok = true;
      break;
    }
  }
  closedir(d);
  return ok;
}

enum class TzFile { missing, ok, leap_seconds };

TzFile load_tzfile(std::string_view name) {
  std::string path = k_tzdir;
  std::string_view rest = name;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view component = rest.substr(0, slash);
    std::string found;
    if (component.empty() || !scan_directory_ci(path, component, found)) {
      return TzFile::missing;
    }
    path += "/" + found;
    if (slash == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(slash + 1);
  }
  // core::read_file: a FIFO or device in the time zone directory is never read from.
  auto tz = core::read_file(path, core::ReadLimits{std::uint64_t{4} * 1024 * 1024});
  if (!tz || tz->bytes.size() < 44 || std::memcmp(tz->bytes.data(), "TZif", 4) != 0) {
    return TzFile::missing;
  }
  const char* header = tz->bytes.data();
  auto be32 = [&](int off) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(header[off])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(header[off + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(header[off + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(header[off + 3]));
  };
  const std::uint32_t leapcnt = be32(28);
  return leapcnt > 0 ? TzFile::leap_seconds : TzFile::ok;
}

// POSIX TZ specification (tzparse in localtime.c), on the upper-cased name.
struct PosixTz {
  const char* p;

  // getqzname / getzname; the server allows an empty standard-time abbreviation.
  bool zname(bool allow_empty) {
    const char* start = p;
    if (*p == '<') {
      ++p;
      start = p;
      while (*p != '\0' && *p != '>') {
        ++p;
      }
      if (*p != '>') {
        return false;
      }
      const bool nonempty = p != start;
      ++p;
      return allow_empty || nonempty;
    }
    while (*p != '\0' && !std::isdigit(static_cast<unsigned char>(*p)) && *p != ',' && *p != '-' && *p != '+') {
      ++p;
    }
    return allow_empty || p != start;
  }
  bool num(int lo, int hi) {
    if (!std::isdigit(static_cast<unsigned char>(*p))) {
      return false;
    }
    long v = 0;
    while (std::isdigit(static_cast<unsigned char>(*p))) {
      v = v * 10 + (*p - '0');
      if (v > hi) {
        return false;
      }
      ++p;
    }
    return v >= lo;
  }
  bool secs() {
    if (!num(0, 24 * 7 - 1)) {
      return false;
    }
    if (*p == ':') {
      ++p;
      if (!num(0, 59)) {
        return false;
      }
      if (*p == ':') {
        ++p;
        if (!num(0, 60)) {
          return false;
        }
      }
    }
    return true;
  }
  bool offset() {
    if (*p == '-' || *p == '+') {
      ++p;
    }
    return secs();
  }
  bool rule() {
    if (*p == 'J') {
      ++p;
      if (!num(1, 365)) {
        return false;
      }
    } else if (*p == 'M') {
      ++p;
      if (!num(1, 12) || *p++ != '.' || !num(1, 5) || *p++ != '.' || !num(0, 6)) {
        return false;
      }
    } else if (!num(0, 365)) {
      return false;
    }
    if (*p == '/') {
      ++p;
      return offset();
    }
    return true;
  }
  bool parse() {
    if (!zname(true) || *p == '\0' || !offset()) {
      return false;
    }
    if (*p == '\0') {
      return true;
    }
    if (!zname(false)) {
      return false;
    }
    if (*p != '\0' && *p != ',' && *p != ';' && !offset()) {
      return false;
    }
    if (*p == '\0') {
      return true;
    }
    if (*p != ',' && *p != ';') {
      return false;
    }
    ++p;
    if (!rule() || *p++ != ',' || !rule()) {
      return false;
    }
    return *p == '\0';
  }
};

enum class TzResult { ok, unknown, leap_seconds, unchecked };

TzResult pg_tzset(std::string_view name) {
  if (name.size() > 255 || name.empty()) {
    return TzResult::unknown;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(k_tzdir, ec)) {
    return TzResult::unchecked;
  }
  std::string upper(name);
  for (char& ch : upper) {
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  if (upper == "GMT") {
    return TzResult::ok;
  }
  // tzload skips one leading ':' before looking the name up in the tz directory
  switch (load_tzfile(upper[0] == ':' ? std::string_view(upper).substr(1) : std::string_view(upper))) {
    case TzFile::ok: return TzResult::ok;
    case TzFile::leap_seconds: return TzResult::leap_seconds;
    case TzFile::missing: break;
  }
  if (upper.empty() || upper[0] == ':') {
    return TzResult::unknown;
  }
  PosixTz parser{upper.c_str()};
  return parser.parse() ? TzResult::ok : TzResult::unknown;
}

void check_timezone(const GucDef& def, bool allow_numeric, ValueCheck& c) {
  const std::string v = c.normalized;
  if (allow_numeric) {
    if (strncasecmp(v.c_str(), "interval", 8) == 0) {
      c.unchecked_hook = true;  // SQL interval syntax is not reproduced
      return;
    }
    char* end = nullptr;
    const double hours = std::strtod(v.c_str(), &end);
    if (end != v.c_str() && *end == '\0') {
      const double seconds = std::fabs(std::trunc(-hours * 3600));
      if (!std::isfinite(hours) || seconds >= 168.0 * 3600) {
        fail(c, invalid_string(def, v), "UTC timezone offset is out of range.");
      }
      return;
    }
  }
  switch (pg_tzset(v)) {
    case TzResult::ok: return;
    case TzResult::unchecked: c.unchecked_hook = true; return;
    case TzResult::unknown: fail(c, invalid_string(def, v)); return;
    case TzResult::leap_seconds:
      fail(c, fmt::format("time zone \"{}\" appears to use leap seconds", v),
           "PostgreSQL does not support leap seconds.");
      return;
  }
}

// pg_clean_ascii as used by check_application_name / check_cluster_name.
std::string clean_ascii(int version, std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 32 || b > 126) {
      out += version >= 16 ? fmt::format("\\x{:02x}", b) : std::string("?");
    } else {
      out += ch;
    }
  }
  return out;
}

void check_log_destination(int version, const GucDef& def, ValueCheck& c) {
  std::vector<std::string> items;
  if (!detail::split_identifier_string(c.normalized, items)) {
    fail(c, invalid_string(def, c.normalized), "List syntax is invalid.");
    return;
  }
  for (const auto& tok : items) {
    const bool known = iequals(tok, "stderr") || iequals(tok, "csvlog") || (version >= 15 && iequals(tok, "jsonlog")) ||
                       iequals(tok, "syslog");  // eventlog exists on Windows builds only
    if (!known) {
      fail(c, invalid_string(def, c.normalized), fmt::format("Unrecognized key word: \"{}\".", tok));
      return;
    }
  }
}

void check_log_connections(const GucDef& def, ValueCheck& c) {
  std::vector<std::string> items;
  if (!detail::split_identifier_string(c.normalized, items)) {
    fail(c, invalid_string(def, c.normalized), "Invalid list syntax in parameter \"log_connections\".");
    return;
  }
  if (items.empty()) {
    return;
  }
  for (const char* compat : {"off", "false", "no", "0", "on", "true", "yes", "1"}) {
    if (iequals(items[0], compat)) {
      if (items.size() > 1) {
        fail(c, invalid_string(def, c.normalized),
             fmt::format("Cannot specify log_connections option \"{}\" in a list with other options.", items[0]));
      }
      return;
    }
  }
  for (const auto& item : items) {
    bool known = false;
    for (const char* option : {"receipt", "authentication", "authorization", "setup_durations", "all"}) {
      known = known || iequals(item, option);
    }
    if (!known) {
      fail(c, invalid_string(def, c.normalized), fmt::format("Invalid option \"{}\".", item));
      return;
    }
  }
}

// replace_percent_placeholders (src/common/percentrepl.c, PG16+) with "p" allowed.
void check_passphrase_command(const GucDef& def, ValueCheck& c) {
  const std::string& v = c.normalized;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '%') {
      continue;
    }
    if (i + 1 == v.size()) {
      fail(c, invalid_string(def, v), "String ends unexpectedly after escape character \"%\".");
      return;
    }
    const char next = v[i + 1];
    if (next != '%' && next != 'p') {
      fail(c, invalid_string(def, v), fmt::format("String contains unexpected placeholder \"%{}\".", next));
      return;
    }
    ++i;
  }
}

}  // namespace

bool check_hook_reproduced(int /*version*/, std::string_view hook) {
  for (const char* h : k_reproduced_hooks) {
    if (hook == h) {
      return true;
    }
  }
  return false;
}

namespace detail {

std::string truncate_identifier(std::string_view s) {
  constexpr std::size_t limit = 63;  // NAMEDATALEN - 1
  if (s.size() <= limit) {
    return std::string(s);
  }
  // pg_mbcliplen with pg_utf_mblen (length from the lead byte only)
  std::size_t clen = 0;
  std::size_t pos = 0;
  while (pos < s.size() && s[pos] != '\0') {
    const auto b = static_cast<unsigned char>(s[pos]);
    std::size_t l = 1;
    if ((b & 0x80) == 0) {
      l = 1;
    } else if ((b & 0xe0) == 0xc0) {
      l = 2;
    } else if ((b & 0xf0) == 0xe0) {
      l = 3;
    } else if ((b & 0xf8) == 0xf0) {
      l = 4;
    }
    if (clen + l > limit) {
      break;
    }
    clen += l;
    if (clen == limit) {
      break;
    }
    pos += l;
  }
  return std::string(s.substr(0, clen));
}

bool split_identifier_string(std::string_view raw, std::vector<std::string>& out) {
  out.clear();
  std::size_t p = 0;
  auto at = [&](std::size_t i) { return i < raw.size() ? raw[i] : '\0'; };
  while (scanner_isspace(at(p))) {
    ++p;
  }
  if (at(p) == '\0') {
    return true;
  }
  while (true) {
    std::string name;
    if (at(p) == '"') {
      ++p;
      while (true) {
        const std::size_t q = raw.find('"', p);
        if (q == std::string_view::npos) {
          return false;
        }
        name.append(raw.substr(p, q - p));
        if (at(q + 1) == '"') {
          name += '"';
          p = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
    } else {
      const std::size_t start = p;
      while (at(p) != '\0' && at(p) != ',' && !scanner_isspace(at(p))) {
        ++p;
      }
      if (p == start) {
        return false;
      }
      name = ascii_lower(raw.substr(start, p - start));
    }
    while (scanner_isspace(at(p))) {
      ++p;
    }
    bool done = false;
    if (at(p) == ',') {
      ++p;
      while (scanner_isspace(at(p))) {
        ++p;
      }
    } else if (at(p) == '\0') {
      done = true;
    } else {
      return false;
    }
    out.push_back(truncate_identifier(name));
    if (done) {
      return true;
    }
  }
}

void run_bool_hook(int /*version*/, const GucDef& def, bool value, ValueCheck& c) {
  if (hook_is(def, "check_bonjour")) {
    // Packaged Linux builds (Debian, PGDG RPMs) are built without Bonjour.
    if (value) {
      fail(c, "Bonjour is not supported by this build");
    }
  } else if (hook_is(def, "check_default_with_oids")) {
    if (value) {
      fail(c, "tables declared WITH OIDS are not supported");
    }
  } else if (!check_hook_reproduced(0, def.check_hook)) {
    mark_unchecked(def, c);
  }
}

namespace {

// 12-17: max_connections + autovacuum_max_workers + 1 + max_worker_processes +
// max_wal_senders must not exceed MAX_BACKENDS (2^18 - 1). The server adds the values in
// force; here the other three are taken at their boot values (a server started with
// defaults, as pg_file_settings checks against the running values), and
// load::check_entries redoes the sum in file order, as the server's start does.
void check_max_backends_sum(int version, const GucDef& def, int value, ValueCheck& c) {
  long long sum = static_cast<long long>(value) + 1;
  for (const char* other : {"max_connections", "autovacuum_max_workers", "max_worker_processes", "max_wal_senders"}) {
    if (def.name != other) {
      if (const GucDef* o = find_guc(version, other)) {
        sum += std::atoll(std::string(o->boot_val).c_str());
      }
    }
  }
  if (sum > 262143) {
    fail(c, fmt::format("invalid value for parameter \"{}\": {}", def.name, value));
    c.max_backends_only = true;
    c.normalized = std::to_string(value);
  }
}

}  // namespace

void run_int_hook(int version, const GucDef& def, int& value, ValueCheck& c) {
  const std::string_view hook = def.check_hook;
  if (hook == "check_autovacuum_work_mem") {
    const int floor = version >= 17 ? 64 : 1024;
    if (value != -1 && value < floor) {
      value = floor;
    }
  } else if (hook == "check_wal_buffers") {
    // manual values below 4 blocks mean the minimum; -1 (auto-tune) is left as is
    if (value != -1 && value < 4) {
      value = 4;
    }
  } else if (hook == "check_vacuum_buffer_usage_limit") {
    if (!(value == 0 || (value >= 128 && value <= 16 * 1024 * 1024))) {
      // DETAIL without a final period in 16 and 17 (16.14, 17.10), with one in 18 (18.4)
      fail(c, fmt::format("invalid value for parameter \"{}\": {}", def.name, value),
           std::string("\"vacuum_buffer_usage_limit\" must be 0 or between 128 kB and 16777216 kB") +
               (version >= 18 ? "." : ""));
    }
  } else if (hook == "check_maxconnections" || hook == "check_max_connections" ||
             hook == "check_autovacuum_max_workers" || hook == "check_max_wal_senders" ||
             hook == "check_max_worker_processes") {
    check_max_backends_sum(version, def, value, c);
  } else if (hook == "check_io_max_concurrency") {
    // 18: -1 (auto) or at least 1
    if (value == 0) {
      fail(c, fmt::format("invalid value for parameter \"{}\": {}", def.name, value),
           "Only -1 or values bigger than 0 are valid.");
    }
  } else if (hook.ends_with("_buffers") && hook != "check_wal_buffers" && hook != "check_temp_buffers") {
    // check_slru_buffers (PG17+): multiples of SLRU_BANK_SIZE; DETAIL without a final
    // period in 17 (17.10), with one in 18 (18.4)
    if (value % 16 != 0) {
      fail(c, fmt::format("invalid value for parameter \"{}\": {}", def.name, value),
           fmt::format("\"{}\" must be a multiple of {}{}", def.name, 16, version >= 18 ? "." : ""));
    }
  } else if (!check_hook_reproduced(version, hook)) {
    mark_unchecked(def, c);
  }
}

void run_real_hook(int version, const GucDef& def, double /*value*/, ValueCheck& c) {
  if (!check_hook_reproduced(version, def.check_hook)) {
    mark_unchecked(def, c);
  }
}

void run_enum_hook(int version, const GucDef& def, ValueCheck& c) {
  if (!check_hook_reproduced(version, def.check_hook)) {
    mark_unchecked(def, c);
  }
}

void run_string_hook(int version, const GucDef& def, ValueCheck& c) {
  const std::string_view hook = def.check_hook;
  if (hook == "check_application_name" || hook == "check_cluster_name") {
    c.normalized = clean_ascii(version, c.normalized);
  } else if (hook == "check_log_destination") {
    check_log_destination(version, def, c);
  } else if (hook == "check_log_connections") {
    check_log_connections(def, c);
  } else if (hook == "check_timezone") {
    check_timezone(def, true, c);
  } else if (hook == "check_log_timezone") {
    check_timezone(def, false, c);
  } else if (def.name == "ssl_passphrase_command" && version >= 16) {
    check_passphrase_command(def, c);
  } else if (!check_hook_reproduced(version, hook)) {
    mark_unchecked(def, c);
  }
}

}  // namespace detail

}  // namespace pgl::conf
