// The parse layer: the only code that calls pegtl::parse (grammars live in grammar/).
#pragma once

#include <string>

#include "core/result.hpp"
#include "core/source.hpp"
#include "model/conf.hpp"
#include "model/hba.hpp"

namespace pgl::parse {

struct ConfParseOptions {
  int pg_version = 18;
  std::string data_dir;   // relative include paths of the top-level files resolve here
  std::string auto_file;  // postgresql.auto.conf to read after the main file ("" = none)
  // false: as the postmaster at start or reload (up to 100 syntax errors per file, and
  //        postgresql.auto.conf is read even when the main file has errors, so that
  //        every problem can be reported);
  // true:  as a backend computing pg_file_settings (it gives up on a file after its
  //        first syntax error, and skips postgresql.auto.conf when the main file failed).
  bool emulate_view = false;
};

// Parses postgresql.conf and everything it includes, then postgresql.auto.conf, as the
// server does (spec 1.1-1.6). Problems become ConfProblem items, never exceptions.
// Fails only when the main file itself cannot be read.
[[nodiscard]] Result<model::ConfSet> parse_conf(const std::string& main_file, const ConfParseOptions& options,
                                                core::SourceSet& sources);

struct AuthParseOptions {
  int pg_version = 18;
  bool ssl_on = false;                    // hostssl lines get the non-fatal warning when false
  std::string db_user_namespace;          // 12-16: "on" makes md5 lines fail
  std::string oauth_validator_libraries;  // 18: oauth cross-checks
  // Repository mode: an @file that does not exist becomes one AuthToken with `unknown` set
  // (listed in missing_files) instead of the line's error. Not what the server does.
  bool missing_files_unknown = false;
};

// pg_hba.conf with @file and include expansion (spec section 3).
[[nodiscard]] model::HbaFile parse_hba(const std::string& path, const AuthParseOptions& options,
                                       core::SourceSet& sources);

// One network written as the address field of a pg_hba.conf host line ("10.0.0.0/8",
// "::1/128"; a bare address is one host), read by the same code as those lines. The error
// is the server's wording where it has one ("invalid CIDR mask in address \"...\"").
[[nodiscard]] Result<model::IpNet> parse_hba_network(const std::string& text);

// pg_ident.conf (spec 3.10).
[[nodiscard]] model::IdentFile parse_ident(const std::string& path, const AuthParseOptions& options,
                                           core::SourceSet& sources);

}  // namespace pgl::parse
