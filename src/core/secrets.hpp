// Secrets never reach the output: every excerpt and message goes through mask_secrets,
// and excerpts first mask the secret spans the parsers located (register_secret).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/source.hpp"

namespace pgl::core {

// Replaces secret values with ***: `password=...` (and `password = '...'`) in libpq
// connection strings, the password part of postgres:// URIs, `ldapbindpasswd=`,
// `radiussecrets=`, and the arguments of ssl_passphrase_command.
[[nodiscard]] std::string mask_secrets(std::string_view text);

// Secrets by structure. The parsers register where a secret value is in a source file:
// the password values of primary_conninfo (its whole value when it does not parse), the
// whole of ssl_passphrase_command, an ldapbindpasswd= / radiussecrets= value and the
// rest of it split off by a comma or a blank. A span may cover several lines
// (continuations); column 0 = the whole line. Process-wide, like the read budget (one
// run per process; the fuzz targets clear it per input). Thread-safe.
void register_secret(const Span& span);
// Replaces the registered secret bytes of line `line` of `path` (its text in `text`)
// with '*', the same length (columns stay); false, text unchanged, when there are none.
bool mask_registered_secrets(std::string_view path, std::uint32_t line, std::string& text);
// Whether any secret is registered in `path` (a cheap test before copying a line).
[[nodiscard]] bool has_registered_secrets(std::string_view path);
void clear_registered_secrets();

}  // namespace pgl::core
