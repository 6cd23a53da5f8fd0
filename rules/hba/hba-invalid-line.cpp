// hba-invalid-line: pg_hba.conf errors that make the server reject the whole file.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "core/secrets.hpp"
#include "rules/hba/hba_util.hpp"
#include "rules/hba/repo_files.hpp"

namespace pgl::rules {
namespace {

// A token named in a server message may be part of a secret list that lost its quotes
// (`radiussecrets=a,b` -> `... not in name=value format: b`): never print it then.
std::string safe_message(const model::Config& config, const model::HbaRecord& r, const std::string& message) {
  std::string out = core::mask_secrets(message);
  constexpr std::string_view k_format = "authentication option not in name=value format: ";
  if (out.rfind(k_format, 0) == 0) {
    bool secret_line = false;
    if (const auto* src = config.sources.find(r.file); src && r.line != 0 && r.line <= src->line_count()) {
      const auto text = src->line(r.line);
      secret_line = text.find("radiussecrets") != std::string_view::npos ||
                    text.find("ldapbindpasswd") != std::string_view::npos ||
                    text.find("radiussecret") != std::string_view::npos;
    } else {
      secret_line = true;  // cannot tell: do not print the token
    }
    if (secret_line) {
      out = std::string(k_format) + "***";
    }
  }
  return out;
}

std::string help_for(const std::string& message) {
  if (message.rfind("invalid IP mask", 0) == 0) {
    return "write the address in CIDR form (e.g. `127.0.0.1/32`) or add the netmask column before the method";
  }
  if (message.rfind("invalid connection type \"include", 0) == 0) {
    return "include directives exist only in PostgreSQL 16 and later; copy the lines into pg_hba.conf";
  }
  if (message.rfind("authentication option not in name=value format", 0) == 0) {
    return "write options as `name=value`; quote values that contain commas (`radiusservers=\"a,b\"`)";
  }
  if (message.rfind("invalid authentication method", 0) == 0) {
    return "use one of trust, reject, scram-sha-256, md5, password, gss, sspi, ident, peer, pam, ldap, radius, cert "
           "(methods are case-sensitive)";
  }
  return "fix this line; until then the server rejects the whole file";
}

// `peer localmap`: a bare word after a method that takes a user name map is almost
// always a map name without `map=`.
std::optional<std::string> forgotten_map_keyword(const model::HbaRecord& r, const std::string& message) {
  constexpr std::string_view k_format = "authentication option not in name=value format: ";
  static constexpr std::string_view k_map_methods[] = {"ident", "peer", "gss", "sspi", "cert", "oauth"};
  if (message.rfind(k_format, 0) != 0 ||
      std::find(std::begin(k_map_methods), std::end(k_map_methods), r.method) == std::end(k_map_methods)) {
    return std::nullopt;
  }
  std::string word = message.substr(k_format.size());
  if (word.empty() || word == "***" || word.find_first_of(" =,\"") != std::string::npos) {
    return std::nullopt;
  }
  return word;
}

class HbaInvalidLine final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-invalid-line",
                                         "pg_hba.conf line or file the server rejects (the file is not loaded)",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    if (!config.hba || hba::hba_template(config)) {
      return;  // a template: hba-template-syntax
    }
    const model::HbaFile& f = *config.hba;
    const std::string consequence =
        "the server refuses to start with this pg_hba.conf, and a reload keeps the previous rules";
    if (f.file_error) {
      core::Span where{core::Location{f.path, 0, 0}, 0, 0};
      // A file that is no regular file is reported at the line that names it.
      if (const auto* named = config.setting("hba_file"); f.refused && named != nullptr && named->entry != nullptr) {
        where = named->entry->value_span;
      }
      diag(ctx, where, fmt::format("{}: {}", core::mask_secrets(*f.file_error), consequence))
          .help(f.file_error->find("contains no entries") != std::string::npos
                    ? "add at least one record, e.g. `local all all peer`"
                    : "create the file or point hba_file at an existing one");
    }
    std::set<std::string> not_here;  // repository mode: @file/include targets not in the copy
    hba::repo_note_unknown(k_meta, ctx, f.missing_files, not_here);
    for (const auto& r : f.records) {
      if (!r.fatal) {
        // loaded, possibly with a non-fatal warning (hostssl with ssl off); or, with view_null,
        // a repository-mode line of unknown contents (its @file is noted above)
        continue;
      }
      if (r.error &&
          hba::repo_note_missing(k_meta, ctx, *r.error, hba::span_or_line(r.error_span, r.file, r.line), not_here)) {
        continue;
      }
      const std::string msg = r.error ? safe_message(config, r, *r.error) : std::string("invalid line");
      std::string message = fmt::format("{}; {}", msg, consequence);
      if (r.view_null) {
        message += " (pg_hba_file_rules shows this row with every column NULL and no error text)";
      }
      const auto map = forgotten_map_keyword(r, msg);
      diag(ctx, hba::span_or_line(r.error_span, r.file, r.line), std::move(message))
          .help(map ? fmt::format("write `map={0}` to use the user name map `{0}` (options are written `name=value`)",
                                  *map)
                    : help_for(msg));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_invalid_line() {
  return std::make_unique<HbaInvalidLine>();
}

}  // namespace pgl::rules
