// `pgconflint dump hba|ident FILE`: the rows pg_hba_file_rules / pg_ident_file_mappings
// would return for FILE, as a JSON array.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "cli/dump.hpp"
#include "core/secrets.hpp"
#include "core/source.hpp"
#include "parse/parse.hpp"

namespace pgl::cli {

namespace {

struct AuthDumpArgs {
  std::string file;
  parse::AuthParseOptions options;
  bool show_secrets = false;
};

// Reads the options of dump hba/ident into `out`. Returns the exit code when the command
// is done: help printed or a usage error said.
std::optional<int> parse_args(const std::vector<std::string>& args, bool hba, AuthDumpArgs& out) {
  CLI::App app{hba ? "Print, as a JSON array, the rows pg_hba_file_rules would show for FILE."
                   : "Print, as a JSON array, the rows pg_ident_file_mappings would show for FILE.",
               hba ? "pgconflint dump hba" : "pgconflint dump ident"};
  app.add_option("FILE", out.file, hba ? "a pg_hba.conf" : "a pg_ident.conf")->required();
  app.add_option("--pg-version", out.options.pg_version, "PostgreSQL major version")->check(CLI::Range(12, 18));
  std::string ssl = out.options.ssl_on ? "on" : "off";
  if (hba) {
    app.add_option("--ssl", ssl, "the server's ssl setting")->check(CLI::IsMember({"on", "off"}));
    app.add_option("--db-user-namespace", out.options.db_user_namespace, "the server's db_user_namespace (before 17)");
    app.add_option("--oauth-validator-libraries", out.options.oauth_validator_libraries,
                   "the server's oauth_validator_libraries (18)");
  }
  app.add_flag("--show-secrets", out.show_secrets, "print secrets (ldapbindpasswd, radiussecrets) as written");
  if (auto done = parse_options(app, args, hba ? "dump hba" : "dump ident")) {
    return *done;
  }
  out.options.ssl_on = ssl == "on";
  return std::nullopt;
}

nlohmann::ordered_json token_array(const std::vector<model::AuthToken>& tokens) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& t : tokens) {
    a.push_back(t.text);
  }
  return a;
}

std::string mask_option(const std::string& opt) {
  for (const char* secret : {"ldapbindpasswd=", "radiussecrets="}) {
    if (opt.rfind(secret, 0) == 0) {
      return std::string(secret) + "***";
    }
  }
  return opt;
}

// An error text as the error column shows it: an option's value quoted in it is masked
// like the options column (unless --show-secrets).
std::string shown_error(const std::string& text, const AuthDumpArgs& parsed) {
  if (parsed.show_secrets) {
    return text;
  }
  // The server quotes a token that is no option; after a secret option it is the rest of
  // the secret (`radiussecrets=a,SECRET`, a blank or a continuation inside a password).
  // The dump cannot tell which: it never shows that token without --show-secrets.
  constexpr std::string_view k_format = "authentication option not in name=value format: ";
  if (text.rfind(k_format, 0) == 0) {
    return std::string(k_format) + "***";
  }
  return core::mask_secrets(text);
}

// The columns every row starts with: <number_key> and file_name (16+), line_number.
template <typename Record>
nlohmann::ordered_json row_start(int pg_version, const char* number_key, const std::optional<int>& number,
                                 const Record& r) {
  nlohmann::ordered_json row;
  if (pg_version >= 16) {
    row[number_key] = number ? nlohmann::ordered_json(*number) : nlohmann::ordered_json();
    row["file_name"] = r.file;
  }
  row["line_number"] = r.line;
  return row;
}

// Reads FILE as the server does (`parse_file`) and prints one JSON row per record
// (`row_of(record, args)`).
template <typename ParseFile, typename RowOf>
int dump_rows(const std::vector<std::string>& args, bool hba, ParseFile parse_file, RowOf row_of) {
  AuthDumpArgs parsed;
  if (auto done = parse_args(args, hba, parsed)) {
    return *done;
  }
  // parse_file reads through core::read_file (a FIFO, a device or a file over 64 MiB is
  // refused there; NUL bytes are read as the server reads them, as check does).
  core::SourceSet sources;
  const auto file = parse_file(parsed.file, parsed.options, sources);
  if (file.query_fails) {
    return input_error(file.file_error.value_or("cannot read the file"));
  }
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& r : file.records) {
    rows.push_back(row_of(r, parsed));
  }
  fmt::print("{}\n", rows.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  return k_exit_ok;
}

}  // namespace

int dump_hba(const std::vector<std::string>& args) {
  return dump_rows(args, true, parse::parse_hba, [](const model::HbaRecord& r, const AuthDumpArgs& parsed) {
    nlohmann::ordered_json row = row_start(parsed.options.pg_version, "rule_number", r.rule_number, r);
    const nlohmann::ordered_json null;
    if (r.fatal) {
      for (const char* k : {"type", "database", "user_name", "address", "netmask", "auth_method", "options"}) {
        row[k] = null;
      }
      row["error"] = r.view_null ? (r.warning ? nlohmann::ordered_json(shown_error(*r.warning, parsed)) : null)
                                 : nlohmann::ordered_json(shown_error(*r.error, parsed));
    } else {
      row["type"] = model::to_string(r.type);
      row["database"] = token_array(r.databases);
      row["user_name"] = token_array(r.users);
      row["address"] = r.type == model::ConnType::local ? null : nlohmann::ordered_json(r.address);
      row["netmask"] = r.netmask.empty() ? null : nlohmann::ordered_json(r.netmask);
      row["auth_method"] = r.method;
      if (r.view_options.empty()) {
        row["options"] = null;
      } else {
        nlohmann::ordered_json o = nlohmann::ordered_json::array();
        for (const auto& opt : r.view_options) {
          o.push_back(parsed.show_secrets ? opt : mask_option(opt));
        }
        row["options"] = o;
      }
      row["error"] = r.error ? nlohmann::ordered_json(shown_error(*r.error, parsed)) : null;
    }
    return row;
  });
}

int dump_ident(const std::vector<std::string>& args) {
  return dump_rows(args, false, parse::parse_ident, [](const model::IdentRecord& r, const AuthDumpArgs& parsed) {
    nlohmann::ordered_json row = row_start(parsed.options.pg_version, "map_number", r.map_number, r);
    const nlohmann::ordered_json null;
    if (r.error) {
      row["map_name"] = null;
      row["sys_name"] = null;
      row["pg_username"] = null;
      row["error"] = shown_error(*r.error, parsed);
    } else {
      row["map_name"] = r.map_name;
      row["sys_name"] = r.system_user.text;
      row["pg_username"] = r.pg_user.text;
      row["error"] = null;
    }
    return row;
  });
}

}  // namespace pgl::cli
