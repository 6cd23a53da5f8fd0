// pg_hba.conf parser (parse only); input layout and setup: fuzz/auth_target.hpp.
#include <cstddef>
#include <cstdint>

#include "auth_target.hpp"
#include "parse/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return pgl::fuzz::run_auth_target("pg_hba.conf", data, size, pgl::parse::parse_hba);
}
