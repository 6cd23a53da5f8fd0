// repl-conninfo-invalid: primary_conninfo that libpq cannot use: a parse error, an
// unknown keyword, an invalid sslmode, or a value that is not a connection string at all
// (libpq then takes the whole value as a database name). The standby cannot connect to its
// primary; the server starts anyway and retries forever.
#include <map>
#include <memory>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "analysis/template_detect.hpp"
#include "core/secrets.hpp"
#include "rules/repl/repl_rules.hpp"

namespace pgl::rules {

bool is_template_value(std::string_view value) { return !analysis::detect_templates(value).empty(); }

const model::ConfEntry* primary_conninfo_entry(const model::Config& config) {
  const auto* s = config.setting("primary_conninfo");
  if (s == nullptr || s->entry == nullptr || s->value.find_first_not_of(" \t\r\n") == std::string::npos ||
      is_template_value(s->value)) {
    return nullptr;
  }
  return s->entry;
}

class ReplConninfoInvalidRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"repl-conninfo-invalid", "primary_conninfo is not a valid connection string",
                                         core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const model::ConfEntry* e = primary_conninfo_entry(config);
    if (e == nullptr) {
      return;
    }
    const std::string& v = e->value;
    if (!parse::is_connection_string(v)) {
      diag(ctx, e->value_span, "primary_conninfo is not a connection string: libpq takes the whole value as a database name")
        .help("write key=value pairs, e.g. 'host=primary.example.com port=5432 user=replicator'");
      return;
    }
    const auto& parsed = parsed_conninfo(config, *e, ctx);
    if (!parsed) {
      const std::size_t at = std::min(parsed.error().offset, v.size());
      diag(ctx, analysis::value_sub_span(*e, at, 1), "primary_conninfo: " + core::mask_secrets(parsed.error().message))
        .help("fix the connection string: values with spaces or quotes need single quotes inside the value ('' in "
          "postgresql.conf), e.g. primary_conninfo = 'host=h application_name=''my app'''");
      return;
    }
    if (const auto* m = parsed->find("sslmode")) {
      static constexpr std::string_view k_modes[] = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
      if (std::find(std::begin(k_modes), std::end(k_modes), m->value) == std::end(k_modes)) {
        diag(ctx, analysis::value_sub_span(*e, m->value_offset, std::max<std::size_t>(m->value_length, 1)), fmt::format("primary_conninfo: invalid sslmode value: \"{}\"", m->value))
        .help("use one of disable, allow, prefer, require, verify-ca, verify-full (verify-full is the safe one)");
      }
    }
  }
};

std::unique_ptr<lint::Rule> make_repl_conninfo_invalid() { return std::make_unique<ReplConninfoInvalidRule>(); }

namespace {
struct ConninfoFacts {
  std::map<const model::ConfEntry*, ParsedConninfo> parsed;
};
}  // namespace

const ParsedConninfo& parsed_conninfo(const model::Config& config, const model::ConfEntry& entry,
                                      lint::LintContext& ctx) {
  const auto facts = ctx.fact<ConninfoFacts>(config, [&] {
    auto f = std::make_shared<ConninfoFacts>();
    for (const auto& c : config.checked) {
      if (c.entry != nullptr && c.canonical_name == "primary_conninfo") {
        f->parsed.emplace(c.entry, parse::parse_conninfo(c.entry->value));
      }
    }
    return std::shared_ptr<const ConninfoFacts>(std::move(f));
  });
  if (auto it = facts->parsed.find(&entry); it != facts->parsed.end()) {
    return it->second;
  }
  // Not a line of this configuration (a rule's own entry): parse it, keep it alive here.
  static thread_local ParsedConninfo one;
  one = parse::parse_conninfo(entry.value);
  return one;
}

}  // namespace pgl::rules
