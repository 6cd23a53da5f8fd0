// Connection strings (key/value and URI forms), parse only.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/conninfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)pgl::parse::parse_conninfo(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
