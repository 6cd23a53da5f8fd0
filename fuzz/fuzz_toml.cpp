// .pgconflint.toml (toml++ with the project's assertion handler, then the project reader).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lint/project_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)pgl::lint::parse_project_config(std::string_view(reinterpret_cast<const char*>(data), size),
                                        ".pgconflint.toml");
  return 0;
}
