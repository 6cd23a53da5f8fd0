// Secrets never reach the output: every excerpt and message goes through mask_secrets,
// and excerpts first mask the secret spans the parsers located (SourceSet::add_secret).
#pragma once

#include <string>
#include <string_view>

#include "core/source.hpp"

namespace pgl::core {

// Replaces secret values with ***: `password=...` (and `password = '...'`) in libpq
// connection strings, the password part of postgres:// URIs, `ldapbindpasswd=`,
// `radiussecrets=`, and the arguments of ssl_passphrase_command.
[[nodiscard]] std::string mask_secrets(std::string_view text);
// mask_secrets(text) appended to `out` (no string of its own).
void append_masked(std::string& out, std::string_view text);

}  // namespace pgl::core
