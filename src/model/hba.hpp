// pg_hba.conf / pg_ident.conf model: what hba.c produces, no PEGTL here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/source.hpp"

namespace pgl::model {

// A token after tokenising (and after @file expansion).
struct AuthToken {
  std::string text;     // quotes removed
  bool quoted = false;  // initially quoted (keywords lose their meaning)
  core::Span span;      // where it was written (in the @file for expanded tokens)
  // Repository mode (model::LoadOptions::repo): the token stands for the contents of an @file
  // that is not in the checked copy (text is the `@name` as written). Unknown: it may be any
  // list of names and keywords.
  bool unknown = false;
};

// Repository mode: an @file that is not in the checked copy, with the first token naming it.
struct MissingFile {
  std::string path;  // absolute
  core::Span span;
};

using AuthField = std::vector<AuthToken>;  // comma-separated list of tokens

// One logical line of an authentication file (after continuation and include expansion).
struct AuthLine {
  std::string file;        // absolute path of the file the line is in
  std::uint32_t line = 0;  // first physical line
  std::vector<AuthField> fields;
  std::optional<std::string> tokenize_error;  // e.g. token too long, @file missing
};

// A numeric IP network (address + prefix length).
struct IpNet {
  int family = 4;                                         // 4 or 6
  std::array<std::uint8_t, 16> bytes{};                   // network-order address; IPv4 uses the first 4
  int prefix = 32;                                        // 0..32 or 0..128
  [[nodiscard]] bool contains(const IpNet& other) const;  // other ⊆ this
  [[nodiscard]] bool is_loopback() const;                 // entirely inside 127/8 or ::1/128
  [[nodiscard]] std::string to_string() const;            // e.g. 10.0.0.0/8
  [[nodiscard]] std::string address() const;              // e.g. 10.0.0.0 (inet_ntop's text)
};

enum class ConnType { local, host, hostssl, hostnossl, hostgssenc, hostnogssenc };
[[nodiscard]] const char* to_string(ConnType t);

enum class AddrKind { none, all, samehost, samenet, ip, hostname };

struct HbaOption {
  std::string name;
  std::string value;
  core::Span span;  // the `name=value` token
};

struct HbaRecord {
  core::FileName file;  // the file the line is in (a path string shared by its records)
  std::uint32_t line = 0;
  std::optional<int> rule_number;  // as in pg_hba_file_rules (16+ column), counted over loaded rows

  // Parsed fields; meaningful only when error is empty or the error is non-fatal.
  ConnType type = ConnType::local;
  core::Span type_span;
  std::vector<AuthToken> databases;
  std::vector<AuthToken> users;
  AddrKind addr_kind = AddrKind::none;
  std::string address;       // view text: `all`, host name or numeric address
  std::string netmask;       // view text: numeric mask or ""
  std::optional<IpNet> net;  // for AddrKind::ip
  core::Span address_span;
  std::string method;  // effective method (`peer` for local ident)
  core::Span method_span;
  std::vector<HbaOption> options;         // as written, in order
  std::vector<std::string> view_options;  // pg_hba_file_rules.options (effective, e.g. include_realm=true)

  // Problems.
  std::optional<std::string> error;  // message as the view shows it (or as logged when view_null)
  bool fatal = false;                // the error rejects the whole file
  bool view_null = false;            // server quirk: row is all NULL with no error text
  // Non-fatal message (hostssl while ssl is off) kept even when a later fatal error
  // replaces `error`: the view then shows this text on an all-NULL row.
  std::optional<std::string> warning;
  core::Span error_span;  // where the problem is (token), falls back to the line
};

struct HbaFile {
  std::string path;                       // absolute path of pg_hba.conf
  std::vector<HbaRecord> records;         // every non-blank line, in order (includes expanded)
  std::optional<std::string> file_error;  // e.g. could not open, contains no entries
  // The server's view query itself fails (file missing, @-file recursion in 12-15):
  // there are no rows, only file_error.
  bool query_fails = false;
  // The file itself is no regular file or too large (core::read_file refused it).
  bool refused = false;
  std::vector<MissingFile> missing_files;  // repository mode: @files read as unknown tokens
  // Repository mode: the first record that is an include directive whose file is not in the
  // copy (set by the loader). The lines that file holds are unknown, so no later record is
  // certainly reached (analysis::HbaReach).
  std::optional<std::size_t> unknown_lines_from;
  [[nodiscard]] bool loads() const;  // no fatal record error and no file error
};

struct IdentRecord {
  core::FileName file;  // as HbaRecord::file
  std::uint32_t line = 0;
  std::optional<int> map_number;
  std::string map_name;
  core::Span map_span;
  AuthToken system_user;
  AuthToken pg_user;
  core::Span span;
  std::optional<std::string> error;
};

struct IdentFile {
  std::string path;
  std::vector<IdentRecord> records;
  std::optional<std::string> file_error;
  bool query_fails = false;                // as HbaFile::query_fails
  bool refused = false;                    // as HbaFile::refused
  std::vector<MissingFile> missing_files;  // as HbaFile::missing_files
  [[nodiscard]] bool loads() const;
};

}  // namespace pgl::model
