// Finds and reads a server's configuration (directory, data directory or single files),
// following include directives, postgresql.auto.conf, hba_file and ident_file.
#pragma once

#include "core/result.hpp"
#include "model/config.hpp"

namespace pgl::load {

// Fails (Error naming the path) for a missing path, a directory without any known
// configuration file, an unreadable, binary or oversized main file.
[[nodiscard]] Result<model::Config> load_config(const model::LoadOptions& options);

// Reads a file for parsing: rejects directories, unreadable files, files with NUL bytes
// (binary), and files above the size limit, with a message naming the file.
[[nodiscard]] Result<std::string> read_text_file(const std::string& path);

}  // namespace pgl::load
