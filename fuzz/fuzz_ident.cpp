// pg_ident.conf parser (parse only): the input is the file; its first byte picks the
// version (12-18). @users.txt and include more.conf name a second file of the input's
// second half.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "core/source.hpp"
#include "harness.hpp"
#include "parse/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pgl::fuzz::new_run();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  pgl::parse::AuthParseOptions o;
  o.pg_version = size > 0 ? 12 + data[0] % 7 : 18;
  o.ssl_on = size > 1 && (data[1] & 1) != 0;
  const std::string path = pgl::fuzz::write_file("pg_ident.conf", bytes);
  pgl::fuzz::write_file("users.txt", bytes.substr(bytes.size() / 2));
  pgl::fuzz::write_file("more.conf", bytes.substr(bytes.size() / 2));
  pgl::core::SourceSet sources;
  try {
    (void)pgl::parse::parse_ident(path, o, sources);
  } catch (const pgl::Fatal&) {
  }
  return 0;
}
