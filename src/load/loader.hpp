// Finds and reads a server's configuration (directory, data directory or single files),
// following include directives, postgresql.auto.conf, hba_file and ident_file.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "core/text_file.hpp"
#include "model/config.hpp"

namespace pgl::load {

// Fails (Error naming the path) for a missing path, a directory without any known
// configuration file, an unreadable, binary or oversized main file.
[[nodiscard]] Result<model::Config> load_config(const model::LoadOptions& options);

// The text-file reader lives in core (core/text_file.hpp) so that parse/ can use it too.
using core::k_max_file_size;
using core::read_text_file;
using core::read_text_file_detailed;
using core::ReadFailure;
using core::ReadOutcome;

}  // namespace pgl::load
