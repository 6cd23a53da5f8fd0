// postgresql.conf parser (parse only): the input is the file; its first byte picks the
// version (12-18), and the file may include itself and a second file of the same bytes.
//
// The bytes are registered in the SourceSet under the files' paths (the parser looks
// there before reading), so an input costs no file I/O; the files exist, empty, so that
// an include_dir of the work directory lists them. NUL bytes never reach the parser in
// the tool (the reader refuses such a file: tests/scripts/test_hostile.py), so not here.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/source.hpp"
#include "harness.hpp"
#include "parse/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string main = pgl::fuzz::write_file("postgresql.conf", "");
  static const std::string included = pgl::fuzz::write_file("included.conf", "");
  static const std::string auto_file = pgl::fuzz::write_file("postgresql.auto.conf", "");
  pgl::fuzz::new_run();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && std::memchr(data, '\0', size) != nullptr) {
    return 0;
  }
  pgl::parse::ConfParseOptions o;
  o.pg_version = size > 0 ? 12 + data[0] % 7 : 18;
  o.data_dir = pgl::fuzz::work_dir();
  o.auto_file = auto_file;
  pgl::core::SourceSet sources;
  sources.add(main, std::string(bytes));
  sources.add(included, std::string(bytes));
  sources.add(auto_file, std::string(bytes.substr(bytes.size() / 2)));
  try {
    (void)pgl::parse::parse_conf(main, o, sources);
  } catch (const pgl::Fatal&) {
    // the run's budget: exit 2 in the tool
  }
  return 0;
}
