#include "core/text_file.hpp"

#include <cstring>

#include <fmt/format.h>

#include "core/read_file.hpp"

namespace pgl::core {

ReadOutcome read_text_file_detailed(const std::string& path) {
  ReadOutcome out;
  auto r = read_file(path, ReadLimits{k_max_file_size});
  if (!r) {
    const ReadError& e = r.error();
    out.message = e.message;
    switch (e.kind) {
      case ReadErrorKind::not_found: out.failure = ReadFailure::not_found; break;
      case ReadErrorKind::permission: out.failure = ReadFailure::permission; break;
      case ReadErrorKind::is_directory:
        out.failure = ReadFailure::is_directory;
        out.message = fmt::format("cannot read \"{}\": is a directory", path);
        break;
      case ReadErrorKind::too_large: out.failure = ReadFailure::too_large; break;
      case ReadErrorKind::budget: out.failure = ReadFailure::budget; break;
      case ReadErrorKind::io_error: out.failure = ReadFailure::io_error; break;
      default:
        out.failure = ReadFailure::not_regular;
        out.message += fmt::format("; {}", server_behaviour(e.kind));
        break;
    }
    out.errno_text = e.err_no != 0 ? std::strerror(e.err_no) : e.reason;
    return out;
  }
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result): looks for a NUL byte in binary data
  if (std::memchr(r->bytes.data(), '\0', r->bytes.size()) != nullptr) {
    out.failure = ReadFailure::binary;
    out.message = fmt::format("cannot read \"{}\": binary file (contains NUL bytes)", path);
    return out;
  }
  out.text = std::move(r->bytes);
  return out;
}

Result<std::string> read_text_file(const std::string& path) {
  auto r = read_text_file_detailed(path);
  if (r.failure != ReadFailure::none) {
    return fail(std::move(r.message));
  }
  return std::move(r.text);
}

}  // namespace pgl::core
