// The pg_hba.conf and pg_ident.conf targets (parse only) share their input layout: the
// input is the file; its first byte picks the version (12-18), bit 0 of its second byte
// whether ssl is on; its second half (at most its first 1 KB) is users.txt and more.conf,
// for `@users.txt` and `include more.conf`.
//
// The three files' bytes go into the SourceSet under their paths (the reader looks there
// before reading), so an input costs no file I/O; the files exist, empty, so that an
// include_dir of the work directory lists them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/source.hpp"
#include "harness.hpp"
#include "parse/parse.hpp"

namespace pgl::fuzz {

// The nested files are at most this long: an input names them again and again (each
// reference reads and tokenizes the file anew, as the server does, up to the budget of
// new_run()), so their length multiplies the cost of an input; the main file has the
// whole input (long lines, many lines).
inline constexpr std::size_t k_max_nested_bytes = 1024;

// `parse` is parse::parse_hba or parse::parse_ident; `name` the main file's name.
template <typename Parse>
int run_auth_target(const std::string& name, const std::uint8_t* data, std::size_t size, Parse parse) {
  static const std::string path = write_file(name, "");
  static const std::string users = write_file("users.txt", "");
  static const std::string more = write_file("more.conf", "");
  new_run();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  parse::AuthParseOptions o;
  o.pg_version = size > 0 ? 12 + data[0] % 7 : 18;
  o.ssl_on = size > 1 && (data[1] & 1) != 0;
  core::SourceSet sources;
  sources.add(path, std::string(bytes));
  const std::string_view nested = bytes.substr(bytes.size() / 2, k_max_nested_bytes);
  sources.add(users, std::string(nested));
  sources.add(more, std::string(nested));
  try {
    (void)parse(path, o, sources);
  } catch (const Fatal&) {
    // the run's budget: exit 2 in the tool
  }
  return 0;
}

}  // namespace pgl::fuzz
