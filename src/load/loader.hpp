// Finds and reads a server's configuration (directory, data directory or single files),
// following include directives, postgresql.auto.conf, hba_file and ident_file.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "model/config.hpp"

namespace pgl::load {

// Fails (Error naming the path) for a missing path, a directory without any known
// configuration file, an unreadable, binary or oversized main file.
[[nodiscard]] Result<model::Config> load_config(const model::LoadOptions& options);

// Reads a file for parsing: rejects directories, unreadable files, files with NUL bytes
// (binary), and files above the size limit, with a message naming the file.
[[nodiscard]] Result<std::string> read_text_file(const std::string& path);

// Files above this size are refused (a configuration file is never that large).
constexpr std::uint64_t k_max_file_size = 64ULL * 1024 * 1024;  // = core::k_max_file_bytes

enum class ReadFailure { none, not_found, permission, is_directory, not_regular, binary, too_large, io_error, budget };

struct ReadOutcome {
  std::string text;
  ReadFailure failure = ReadFailure::none;
  std::string message;     // complete sentence naming the file ("" when none)
  std::string errno_text;  // strerror text for open/stat failures, as the server's %m
};

// read_text_file with the reason of a failure (the conf parser maps some reasons to
// the server's own include messages). core::read_file underneath: never blocks, and
// anything but a regular file is refused without reading from it.
[[nodiscard]] ReadOutcome read_text_file_detailed(const std::string& path);

}  // namespace pgl::load
