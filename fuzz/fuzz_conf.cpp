// postgresql.conf parser (parse only): the input is the file; its first byte picks the
// version (12-18), and the file may include itself and a second file of the same bytes.
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
  pgl::parse::ConfParseOptions o;
  o.pg_version = size > 0 ? 12 + data[0] % 7 : 18;
  o.data_dir = pgl::fuzz::work_dir();
  const std::string main = pgl::fuzz::write_file("postgresql.conf", bytes);
  pgl::fuzz::write_file("included.conf", bytes);
  o.auto_file = pgl::fuzz::write_file("postgresql.auto.conf", bytes.substr(bytes.size() / 2));
  pgl::core::SourceSet sources;
  try {
    (void)pgl::parse::parse_conf(main, o, sources);
  } catch (const pgl::Fatal&) {
    // the run's budget: exit 2 in the tool
  }
  return 0;
}
