#include "core/secrets.hpp"

namespace pgl::core {
// Placeholder: the full implementation (and its tests) comes with the check command.
std::string mask_secrets(std::string_view text) { return std::string(text); }
}  // namespace pgl::core
