// Path arithmetic exactly as the server does it for configuration files
// (src/port/path.c: canonicalize_path, get_parent_directory, join_path_components;
// AbsoluteConfigLocation in guc-file.l / conffiles.c). Purely lexical: symlinks are
// never resolved, as in the server.
#pragma once

#include <string>
#include <string_view>

namespace pgl::parse {

// canonicalize_path. PG15 and later remove every "." and ".." component; 12-14 only
// collapse repeated slashes and process trailing "." / ".." components.
[[nodiscard]] std::string canonicalize_path(std::string path, int pg_version);

// get_parent_directory / trim_directory: "/a/b/c" -> "/a/b", "/c" -> "/", "c" -> "".
[[nodiscard]] std::string parent_directory(std::string path);

// join_path_components: head "/" tail, or tail alone when head is empty.
[[nodiscard]] std::string join_path(const std::string& head, const std::string& tail);

// AbsoluteConfigLocation: absolute paths unchanged; relative ones joined to the
// directory of calling_file (or to data_dir when there is no calling file) and
// canonicalised.
[[nodiscard]] std::string absolute_config_location(const std::string& location, const std::string& calling_file,
                                                   const std::string& data_dir, int pg_version);

// make_absolute_path for a path given on our command line: joined to the current
// working directory when relative, then canonicalised (PG15+ rules).
[[nodiscard]] std::string make_absolute(const std::string& path);

}  // namespace pgl::parse
