// Factories of the rules of area repl (replication settings), for registry_repl.cpp.
#pragma once

#include <memory>
#include <optional>

#include "lint/rule.hpp"
#include "parse/conninfo.hpp"

namespace pgl::rules {
std::unique_ptr<lint::Rule> make_repl_conninfo_invalid();
std::unique_ptr<lint::Rule> make_repl_conninfo_password();
std::unique_ptr<lint::Rule> make_repl_conninfo_sslmode();
std::unique_ptr<lint::Rule> make_repl_conninfo_tls_file();

// Whether a value still holds template syntax ({{ }}, ${...}, ...): left to conf-template-syntax.
[[nodiscard]] bool is_template_value(std::string_view value);

// The winning primary_conninfo line with a non-empty, rendered value, if any.
[[nodiscard]] const model::ConfEntry* primary_conninfo_entry(const model::Config& config);

// Every primary_conninfo line's value parsed (parse::parse_conninfo), once per
// configuration and shared by the repl rules (a LintContext fact).
using ParsedConninfo = tl::expected<parse::Conninfo, parse::ConninfoError>;
[[nodiscard]] const ParsedConninfo& parsed_conninfo(const model::Config& config, const model::ConfEntry& entry,
                                                    lint::LintContext& ctx);
}  // namespace pgl::rules
