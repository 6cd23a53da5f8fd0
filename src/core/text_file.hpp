// Reading a configuration file as text: core::read_file (never blocks, regular files only,
// one size cap) plus the text checks every parser wants (no NUL bytes), with the reason of a
// failure kept for the parsers that map it to the server's own messages.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace pgl::core {

// Reads a file for parsing: rejects directories, unreadable files, files with NUL bytes
// (binary), and files above the size limit, with a message naming the file.
[[nodiscard]] Result<std::string> read_text_file(const std::string& path);

// Files above this size are refused (a configuration file is never that large).
constexpr std::uint64_t k_max_file_size = 64ULL * 1024 * 1024;

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

}  // namespace pgl::core
