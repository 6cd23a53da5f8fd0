// repl-conninfo-password: a password written into primary_conninfo (key/value
// `password=` or the password part of a URI). It sits in clear text in a configuration
// file (pg_basebackup -R writes it into postgresql.auto.conf) and is visible to every
// superuser through pg_settings and pg_stat_wal_receiver. Every line that sets
// primary_conninfo is checked, not only the winning one: an overridden line still holds
// the secret. The password itself is never printed.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "rules/repl/repl_rules.hpp"

namespace pgl::rules {

class ReplConninfoPasswordRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"repl-conninfo-password", "password in clear text in primary_conninfo",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    for (const auto& c : config.checked) {
      if (c.entry == nullptr || c.canonical_name != "primary_conninfo" || is_template_value(c.entry->value)) {
        continue;
      }
      const model::ConfEntry& e = *c.entry;
      const auto& parsed = parsed_conninfo(config, e, ctx);
      if (!parsed) {
        continue;  // repl-conninfo-invalid (for the winning line)
      }
      for (const auto& p : parsed->params) {
        if (p.key != "password" || p.value.empty()) {
          continue;
        }
        const bool uri_part = parsed->uri && p.key_offset == p.value_offset;
        diag(ctx, analysis::value_sub_span(e, p.key_offset, p.key_length),
             uri_part ? "primary_conninfo contains a password (in the URI's user information)"
                      : "primary_conninfo contains a password (the `password` keyword)")
            .help(
                "remove the password and put it in a password file: add passfile=/path/to/pgpass (mode 0600, owned "
                "by the server's OS user) to the connection string, or use ~/.pgpass of that user; better still, "
                "authenticate the standby with a client certificate");
      }
    }
  }
};

std::unique_ptr<lint::Rule> make_repl_conninfo_password() {
  return std::make_unique<ReplConninfoPasswordRule>();
}

}  // namespace pgl::rules
