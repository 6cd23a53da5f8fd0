#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "conf/guc.hpp"

namespace {

using pgl::conf::check_value;
using pgl::conf::find_guc;
using pgl::conf::GucDef;
using pgl::conf::ValueCheck;

ValueCheck check(int version, std::string_view name, std::string_view value) {
  const GucDef* def = find_guc(version, name);
  if (def == nullptr) {
    ADD_FAILURE() << "unknown parameter " << name << " in " << version;
    return {};
  }
  return check_value(version, *def, value);
}

std::string norm(int version, std::string_view name, std::string_view value) {
  const auto c = check(version, name, value);
  EXPECT_TRUE(c.ok) << name << " = '" << value << "': " << c.message;
  return c.normalized;
}

// ---- 2.1 bool

TEST(ValueBool, AcceptedSpellings) {
  for (const char* v : {"t", "tr", "tru", "true", "TRU", "y", "ye", "yes", "on", "ON", "1"}) {
    EXPECT_EQ(norm(15, "enable_seqscan", v), "on") << v;
  }
  for (const char* v : {"f", "fa", "false", "n", "no", "of", "off", "OFF", "0"}) {
    EXPECT_EQ(norm(15, "enable_seqscan", v), "off") << v;
  }
}

TEST(ValueBool, RejectedSpellings) {
  for (const char* v : {"maybe", "o", "", "2", "true ", " on", "enabled", "00", "offf", "onn"}) {
    const auto c = check(15, "enable_seqscan", v);
    EXPECT_FALSE(c.ok) << v;
    EXPECT_EQ(c.message, "parameter \"enable_seqscan\" requires a Boolean value") << v;
    EXPECT_EQ(c.hint, "");
  }
}

TEST(ValueBool, HooksThatRejectOn) {
  auto c = check(15, "default_with_oids", "on");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "tables declared WITH OIDS are not supported");
  EXPECT_TRUE(check(15, "default_with_oids", "off").ok);
  c = check(15, "bonjour", "yes");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "Bonjour is not supported by this build");
}

// ---- 2.2 integer

TEST(ValueInt, OctalHexAndFloats) {
  EXPECT_EQ(norm(15, "work_mem", "0100"), "64");
  EXPECT_EQ(norm(15, "work_mem", "0x100"), "256");
  EXPECT_EQ(norm(15, "work_mem", "1.0e5"), "100000");
  EXPECT_EQ(norm(15, "work_mem", "1e3"), "1000");
  EXPECT_EQ(norm(15, "statement_timeout", "1.5"), "2");
  EXPECT_EQ(norm(15, "statement_timeout", "2.5"), "2") << "rint rounds half to even";
  EXPECT_EQ(norm(15, "statement_timeout", "3.5"), "4");
}

TEST(ValueInt, UnitsAndWhitespace) {
  EXPECT_EQ(norm(15, "work_mem", "8 MB"), "8192");
  EXPECT_EQ(norm(15, "work_mem", " 8MB  "), "8192");
  EXPECT_EQ(norm(15, "work_mem", "1.5GB"), "1572864");
  EXPECT_EQ(check(15, "work_mem", "512B").message,
            "0 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)")
      << "0.5 kB rounds half to even";
  EXPECT_EQ(norm(15, "effective_cache_size", "20kB"), "2") << "2.5 blocks round half to even";
  EXPECT_EQ(norm(15, "effective_cache_size", "12kB"), "2");
  EXPECT_EQ(norm(15, "statement_timeout", "0.3ms"), "0");
  EXPECT_EQ(norm(15, "statement_timeout", "1min"), "60000");
  EXPECT_EQ(norm(15, "checkpoint_timeout", "1h"), "3600");
  EXPECT_EQ(norm(15, "vacuum_cost_delay", "0.3ms"), "0.3") << "real parameters keep the fraction";
}

TEST(ValueInt, SharedBuffersSpellingsNormalizeAlike) {
  EXPECT_EQ(norm(15, "shared_buffers", "128MB"), "16384");
  EXPECT_EQ(norm(15, "shared_buffers", "131072kB"), "16384");
  EXPECT_EQ(norm(15, "shared_buffers", "16384"), "16384");
  const GucDef* def = find_guc(15, "shared_buffers");
  EXPECT_EQ(pgl::conf::format_base_value(*def, 16384), "128MB");
  EXPECT_EQ(pgl::conf::format_base_value(*find_guc(15, "statement_timeout"), 1500), "1500ms");
  EXPECT_EQ(pgl::conf::format_base_value(*find_guc(15, "checkpoint_timeout"), 60), "1min");
  EXPECT_EQ(pgl::conf::format_base_value(*find_guc(15, "statement_timeout"), 0), "0");
}

TEST(ValueInt, InvalidUnitsGiveHints) {
  const char* memory_hint = R"(Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".)";
  for (const char* v : {"8mb", "8MBs", "8 M B", "3ms"}) {
    const auto c = check(15, "work_mem", v);
    EXPECT_FALSE(c.ok) << v;
    EXPECT_EQ(c.message, std::string("invalid value for parameter \"work_mem\": \"") + v + "\"");
    EXPECT_EQ(c.hint, memory_hint) << v;
  }
  auto c = check(15, "checkpoint_timeout", "30sec");
  EXPECT_EQ(c.hint, R"(Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".)");
  for (const char* v : {"nan", ".", "", "abc"}) {
    c = check(15, "work_mem", v);
    EXPECT_FALSE(c.ok) << v;
    EXPECT_EQ(c.hint, "") << v;
  }
  c = check(15, "max_connections", "100kB");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.hint, "") << "parameters without a unit take none";
}

TEST(ValueInt, RangeMessagesPerVersion) {
  auto c = check(15, "work_mem", "-8MB");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "-8192 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)");
  c = check(15, "work_mem", "0x10");
  EXPECT_EQ(c.message, "16 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)");
  c = check(16, "work_mem", "16");
  EXPECT_EQ(c.message, "16 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)");
  c = check(17, "work_mem", "16");
  EXPECT_EQ(c.message, "16 kB is outside the valid range for parameter \"work_mem\" (64 kB .. 2147483647 kB)");
  c = check(18, "max_connections", "0");
  EXPECT_EQ(c.message, "0 is outside the valid range for parameter \"max_connections\" (1 .. 262143)");
  c = check(15, "work_mem", "2147483648");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.hint, "Value exceeds integer range.");
  c = check(15, "work_mem", "3TB");
  EXPECT_EQ(c.hint, "Value exceeds integer range.");
}

TEST(ValueInt, MaintenanceWorkMemMinimumChangedIn17) {
  EXPECT_FALSE(check(16, "maintenance_work_mem", "64kB").ok);
  EXPECT_TRUE(check(17, "maintenance_work_mem", "64kB").ok);
}

TEST(ValueInt, ClampingHooks) {
  EXPECT_EQ(norm(15, "autovacuum_work_mem", "100"), "1024");
  EXPECT_EQ(norm(17, "autovacuum_work_mem", "10"), "64");
  EXPECT_EQ(norm(15, "autovacuum_work_mem", "-1"), "-1");
  EXPECT_EQ(norm(15, "wal_buffers", "1"), "4");
  EXPECT_EQ(norm(15, "wal_buffers", "-1"), "-1");
}

TEST(ValueInt, HookDetailsPerVersion) {
  // The DETAIL texts of 16.14, 17.10 and 18.4.
  EXPECT_EQ(check(16, "vacuum_buffer_usage_limit", "1").detail,
            "\"vacuum_buffer_usage_limit\" must be 0 or between 128 kB and 16777216 kB");
  EXPECT_EQ(check(17, "vacuum_buffer_usage_limit", "1").detail,
            "\"vacuum_buffer_usage_limit\" must be 0 or between 128 kB and 16777216 kB");
  EXPECT_EQ(check(18, "vacuum_buffer_usage_limit", "1").detail,
            "\"vacuum_buffer_usage_limit\" must be 0 or between 128 kB and 16777216 kB.");
  EXPECT_EQ(check(17, "notify_buffers", "17").detail, "\"notify_buffers\" must be a multiple of 16");
  EXPECT_EQ(check(18, "notify_buffers", "17").detail, "\"notify_buffers\" must be a multiple of 16.");
  EXPECT_EQ(check(18, "io_max_concurrency", "0").detail, "Only -1 or values bigger than 0 are valid.");
  EXPECT_TRUE(check(18, "io_max_concurrency", "-1").ok);
}

TEST(ValueInt, MaxBackendsSumWithTheOthersAtBootValues) {
  // 12-17: max_connections + autovacuum_max_workers (3) + 1 + max_worker_processes (8) +
  // max_wal_senders (10) <= 262143; 12.22, 15.18 and 17.10 reject the sums above it.
  EXPECT_TRUE(check(15, "max_connections", "262121").ok);
  const auto c = check(15, "max_connections", "262122");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "invalid value for parameter \"max_connections\": 262122");
  EXPECT_TRUE(c.max_backends_only) << "the linter redoes the sum in file order";
  EXPECT_EQ(c.normalized, "262122");
  EXPECT_FALSE(check(12, "max_wal_senders", "262142").ok);
  EXPECT_FALSE(check(17, "max_worker_processes", "262143").ok);
}

TEST(ValueInt, UnreproducedHooksAreFlagged) {
  const auto c = check(15, "max_stack_depth", "100MB");
  EXPECT_TRUE(c.ok);
  EXPECT_TRUE(c.unchecked_hook);
  EXPECT_FALSE(check(15, "work_mem", "1MB").unchecked_hook);
}

// ---- 2.3 real

TEST(ValueReal, InfinityAndNaN) {
  auto c = check(15, "random_page_cost", "inf");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "Infinity is outside the valid range for parameter \"random_page_cost\" (0 .. 1.79769e+308)");
  c = check(15, "random_page_cost", "NaN");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "invalid value for parameter \"random_page_cost\": \"NaN\"");
  c = check(15, "checkpoint_completion_target", "1.5");
  EXPECT_EQ(c.message, "1.5 is outside the valid range for parameter \"checkpoint_completion_target\" (0 .. 1)");
  c = check(17, "vacuum_cost_delay", "200");
  EXPECT_EQ(c.message, "200 ms is outside the valid range for parameter \"vacuum_cost_delay\" (0 ms .. 100 ms)");
  EXPECT_EQ(norm(15, "random_page_cost", "1.1"), "1.1");
  EXPECT_EQ(norm(15, "random_page_cost", "0.123456789"), "0.123456789");
  EXPECT_EQ(norm(15, "random_page_cost", "0x10"), "16") << "hex floats via strtod";
}

// ---- 2.4 enum

TEST(ValueEnum, CaseInsensitiveNoTrimming) {
  EXPECT_EQ(norm(15, "log_min_messages", "Warning"), "warning");
  auto c = check(15, "log_min_messages", "Warning ");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "invalid value for parameter \"log_min_messages\": \"Warning \"");
  EXPECT_EQ(c.hint,
            "Available values: debug5, debug4, debug3, debug2, debug1, info, notice, warning, error, log, fatal, "
            "panic.");
}

TEST(ValueEnum, HiddenAliases) {
  EXPECT_EQ(norm(15, "log_min_messages", "debug"), "debug2");
  EXPECT_EQ(norm(15, "client_min_messages", "info"), "info");
  EXPECT_EQ(norm(15, "synchronous_commit", "TRUE"), "on");
  EXPECT_EQ(norm(15, "synchronous_commit", "0"), "off");
  EXPECT_EQ(norm(15, "huge_pages", "yes"), "on");
  EXPECT_EQ(norm(15, "wal_level", "hot_standby"), "replica");
  EXPECT_EQ(norm(15, "wal_level", "archive"), "replica");
  EXPECT_FALSE(check(15, "synchronous_commit", "of").ok) << "enum aliases are not bool prefixes";
}

TEST(ValueEnum, PasswordEncryptionAliasesOnlyIn12And13) {
  EXPECT_EQ(norm(12, "password_encryption", "on"), "md5");
  EXPECT_EQ(norm(13, "password_encryption", "true"), "md5");
  const auto c = check(14, "password_encryption", "on");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.hint, "Available values: md5, scram-sha-256.");
  EXPECT_TRUE(pgl::conf::is_default(13, *find_guc(13, "password_encryption"), "MD5"));
  EXPECT_TRUE(pgl::conf::is_default(14, *find_guc(14, "password_encryption"), "scram-sha-256"));
}

TEST(ValueEnum, WalCompressionBecameEnumIn15) {
  auto c = check(14, "wal_compression", "lz4");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "parameter \"wal_compression\" requires a Boolean value");
  EXPECT_EQ(norm(14, "wal_compression", "of"), "off");
  EXPECT_EQ(norm(15, "wal_compression", "lz4"), "lz4");
  EXPECT_EQ(norm(15, "wal_compression", "on"), "pglz");
  EXPECT_EQ(norm(15, "wal_compression", "yes"), "pglz");
  EXPECT_EQ(norm(15, "wal_compression", "0"), "off");
  c = check(15, "wal_compression", "of");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.hint, "Available values: pglz, lz4, zstd, on, off.");
}

TEST(ValueEnum, SslProtocolVersions) {
  EXPECT_TRUE(check(15, "ssl_max_protocol_version", "").ok);
  const auto c = check(15, "ssl_min_protocol_version", "");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.hint, "Available values: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.");
  EXPECT_EQ(check(15, "ssl_max_protocol_version", "x").hint, "Available values: , TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.");
  const GucDef* d12 = find_guc(12, "ssl_min_protocol_version");
  const GucDef* d13 = find_guc(13, "ssl_min_protocol_version");
  EXPECT_TRUE(pgl::conf::is_default(12, *d12, "tlsv1"));
  EXPECT_FALSE(pgl::conf::is_default(13, *d13, "TLSv1"));
  EXPECT_TRUE(pgl::conf::is_default(13, *d13, "TLSv1.2"));
}

// ---- 2.5 string

TEST(ValueString, NameTruncationAndCleanAscii) {
  const std::string long_name(70, 'x');
  EXPECT_EQ(norm(15, "application_name", long_name), std::string(63, 'x'));
  std::string accented;
  for (int i = 0; i < 40; ++i) {
    accented += "\xc3\xa9";
  }
  // 63 bytes clip to 31 two-byte characters, then non-ASCII bytes become '?' (PG12-15)
  EXPECT_EQ(norm(15, "application_name", accented), std::string(62, '?'));
  EXPECT_EQ(norm(16, "application_name", "a\xc3\xa9"), "a\\xc3\\xa9");
  // cluster_name is read by the postmaster, which has no database encoding: byte 63
  EXPECT_EQ(norm(12, "cluster_name", accented), std::string(63, '?'));
  EXPECT_EQ(norm(15, "application_name", "it's"), "it's");
}

TEST(ValueString, LogDestination) {
  EXPECT_TRUE(check(15, "log_destination", "stderr, csvlog").ok);
  EXPECT_TRUE(check(15, "log_destination", "jsonlog").ok);
  auto c = check(14, "log_destination", "jsonlog");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.detail, "Unrecognized key word: \"jsonlog\".");
  c = check(15, "log_destination", "stderr,bogus");
  EXPECT_EQ(c.message, "invalid value for parameter \"log_destination\": \"stderr,bogus\"");
  EXPECT_EQ(c.detail, "Unrecognized key word: \"bogus\".");
  c = check(15, "log_destination", "stderr,,csvlog");
  EXPECT_EQ(c.detail, "List syntax is invalid.");
  c = check(15, "log_destination", "STDERR,\"X\"");
  EXPECT_EQ(c.detail, "Unrecognized key word: \"X\".");
}

TEST(ValueString, LogConnectionsIn18) {
  EXPECT_EQ(norm(17, "log_connections", "of"), "off");
  for (const char* v :
       {"", "on", "OFF", "true", "0", "receipt", "receipt, authorization", "all", "setup_durations,authentication"}) {
    EXPECT_TRUE(check(18, "log_connections", v).ok) << v;
  }
  auto c = check(18, "log_connections", "of");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "invalid value for parameter \"log_connections\": \"of\"");
  EXPECT_EQ(c.detail, "Invalid option \"of\".");
  c = check(18, "log_connections", "on,receipt");
  EXPECT_EQ(c.detail, "Cannot specify log_connections option \"on\" in a list with other options.");
  c = check(18, "log_connections", "\"receipt");
  EXPECT_EQ(c.detail, "Invalid list syntax in parameter \"log_connections\".");
}

TEST(ValueString, SslPassphraseCommandPercentRules) {
  EXPECT_TRUE(check(15, "ssl_passphrase_command", "echo %x").ok);
  EXPECT_TRUE(check(16, "ssl_passphrase_command", "cat /k/%p %%").ok);
  auto c = check(16, "ssl_passphrase_command", "echo %x");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "invalid value for parameter \"ssl_passphrase_command\": \"echo %x\"");
  EXPECT_EQ(c.detail, "String contains unexpected placeholder \"%x\".");
  c = check(18, "ssl_passphrase_command", "echo %");
  EXPECT_EQ(c.detail, "String ends unexpectedly after escape character \"%\".");
}

TEST(ValueString, TimeZone) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin")) {
    GTEST_SKIP() << "no tz database";
  }
  EXPECT_TRUE(check(15, "timezone", "Europe/Berlin").ok);
  EXPECT_TRUE(check(15, "timezone", "europe/berlin").ok);
  EXPECT_TRUE(check(15, "timezone", "UTC+3").ok);
  EXPECT_TRUE(check(15, "timezone", "-7.5").ok);
  auto c = check(15, "timezone", "Mars/Olympus");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.message, "invalid value for parameter \"TimeZone\": \"Mars/Olympus\"");
  c = check(15, "timezone", "168");
  EXPECT_EQ(c.detail, "UTC timezone offset is out of range.");
  EXPECT_TRUE(check(15, "log_timezone", "5x").ok) << "POSIX spec: empty std name, offset 5, dst X";
  EXPECT_FALSE(check(15, "log_timezone", "Mars/Olympus").ok);
  c = check(15, "timezone", "right/UTC");
  if (std::filesystem::exists("/usr/share/zoneinfo/right/UTC")) {
    EXPECT_EQ(c.message, "time zone \"right/UTC\" appears to use leap seconds");
    EXPECT_EQ(c.detail, "PostgreSQL does not support leap seconds.");
  }
}

TEST(ValueString, UncheckedHooksAreFlagged) {
  const auto c = check(15, "search_path", "\"unterminated");
  EXPECT_TRUE(c.ok);
  EXPECT_TRUE(c.unchecked_hook);
  EXPECT_EQ(c.normalized, "\"unterminated");
}

TEST(ValueMisc, ValueStopsAtNulByte) {
  EXPECT_EQ(norm(15, "work_mem", std::string_view("1MB\0junk", 8)), "1024");
}

TEST(ValueMisc, IsDefault) {
  const GucDef* sb = find_guc(15, "shared_buffers");
  EXPECT_TRUE(pgl::conf::is_default(15, *sb, "16384"));
  EXPECT_TRUE(pgl::conf::is_default(15, *sb, "128MB"));
  EXPECT_FALSE(pgl::conf::is_default(15, *sb, "127MB"));
  EXPECT_FALSE(pgl::conf::is_default(15, *sb, "garbage"));
  EXPECT_TRUE(pgl::conf::is_default(15, *find_guc(15, "enable_seqscan"), "yes"));
  EXPECT_TRUE(pgl::conf::is_default(18, *find_guc(18, "effective_io_concurrency"), "16"));
  EXPECT_FALSE(pgl::conf::is_default(17, *find_guc(17, "effective_io_concurrency"), "16"));
}

TEST(ValueMisc, EveryBootValueIsValid) {
  for (int v = pgl::conf::k_min_version; v <= pgl::conf::k_max_version; ++v) {
    for (const auto& def : pgl::conf::all_gucs(v)) {
      if (def.debug_only || def.type == pgl::conf::GucType::string) {
        continue;
      }
      const auto c = check_value(v, def, def.boot_val);
      EXPECT_TRUE(c.ok) << v << " " << def.name << " = '" << def.boot_val << "': " << c.message;
    }
  }
}

}  // namespace
