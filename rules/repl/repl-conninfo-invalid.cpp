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

bool is_template_value(std::string_view value) {
  return !analysis::detect_templates(value).empty();
}

const model::ConfEntry* primary_conninfo_entry(const model::Config& config) {
  const auto* s = config.setting("primary_conninfo");
  if (s == nullptr || s->entry == nullptr || s->value.find_first_not_of(" \t\r\n") == std::string::npos ||
      is_template_value(s->value)) {
    return nullptr;
  }
  return s->entry;
}

namespace {

// libpq's message quotes pieces of the string ("missing "=" after "x""). In a string that
// does not parse, where a password ends is not known (`password=a b` makes "b" look like
// a keyword), so when the string holds a password, every quoted piece of the value that is
// not a known keyword is masked.
std::string masked_parse_message(const std::string& message, std::string_view value) {
  std::string lower(value);
  for (char& c : lower) {
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  // Without a password anywhere (no "pass", no percent-encoding, no URI user info) a
  // quoted piece is no secret: an unknown keyword stays visible.
  if (lower.find("pass") == std::string::npos && lower.find('%') == std::string::npos &&
      lower.find('@') == std::string::npos) {
    return core::mask_secrets(message);
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < message.size()) {
    const std::size_t open = message.find('"', pos);
    const std::size_t close = open == std::string::npos ? std::string::npos : message.find('"', open + 1);
    if (close == std::string::npos) {
      out.append(message, pos, std::string::npos);
      break;
    }
    const std::string_view piece = std::string_view(message).substr(open + 1, close - open - 1);
    out.append(message, pos, open + 1 - pos);
    const bool from_value = !piece.empty() && value.find(piece) != std::string_view::npos && piece != "=";
    out += from_value && !parse::is_conninfo_keyword(piece) ? std::string("***") : std::string(piece);
    out += '"';
    pos = close + 1;
  }
  return core::mask_secrets(out);
}

}  // namespace

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
      diag(ctx, e->value_span,
           "primary_conninfo is not a connection string: libpq takes the whole value as a database name")
          .help("write key=value pairs, e.g. 'host=primary.example.com port=5432 user=replicator'");
      return;
    }
    const auto& parsed = parsed_conninfo(config, *e, ctx);
    if (!parsed) {
      const std::size_t at = std::min(parsed.error().offset, v.size());
      diag(ctx, analysis::value_sub_span(*e, at, 1),
           "primary_conninfo: " + masked_parse_message(parsed.error().message, v))
          .help(
              "fix the connection string: values with spaces or quotes need single quotes inside the value ('' in "
              "postgresql.conf), e.g. primary_conninfo = 'host=h application_name=''my app'''");
      return;
    }
    if (const auto* m = parsed->find("sslmode")) {
      static constexpr std::string_view k_modes[] = {"disable", "allow",     "prefer",
                                                     "require", "verify-ca", "verify-full"};
      if (std::find(std::begin(k_modes), std::end(k_modes), m->value) == std::end(k_modes)) {
        diag(ctx, analysis::value_sub_span(*e, m->value_offset, std::max<std::size_t>(m->value_length, 1)),
             fmt::format("primary_conninfo: invalid sslmode value: \"{}\"", m->value))
            .help("use one of disable, allow, prefer, require, verify-ca, verify-full (verify-full is the safe one)");
      }
    }
  }
};

std::unique_ptr<lint::Rule> make_repl_conninfo_invalid() {
  return std::make_unique<ReplConninfoInvalidRule>();
}

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
