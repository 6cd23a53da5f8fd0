// Internal helpers shared by value.cpp and value_hooks.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conf/guc.hpp"

namespace pgl::conf::detail {

bool c_isspace(char c);
char ascii_lower(char c);
std::string ascii_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string pg_g(double v);  // "%g" as the server's snprintf prints it (Infinity, NaN)
std::vector<std::string_view> split_commas(std::string_view list);

// truncate_identifier: clip to NAMEDATALEN-1 (63) bytes on a UTF-8 character boundary.
std::string truncate_identifier(std::string_view s);

// SplitIdentifierString(rawstring, ',', ...): false on invalid list syntax.
bool split_identifier_string(std::string_view raw, std::vector<std::string>& out);

// Check hooks.  Each may set c.ok = false with message/detail/hint, adjust c.normalized,
// or set c.unchecked_hook when the hook is not reproduced.
void run_bool_hook(int version, const GucDef& def, bool value, ValueCheck& c);
void run_int_hook(int version, const GucDef& def, int& value, ValueCheck& c);
void run_real_hook(int version, const GucDef& def, double value, ValueCheck& c);
void run_enum_hook(int version, const GucDef& def, ValueCheck& c);
void run_string_hook(int version, const GucDef& def, ValueCheck& c);

}  // namespace pgl::conf::detail
