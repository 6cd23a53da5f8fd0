// Expected failures return Result<T>; bugs and unrecoverable states throw Fatal.
#pragma once

#include <stdexcept>
#include <string>

#include <tl/expected.hpp>

namespace pgl {

struct Error {
  std::string message;  // complete sentence naming the file, e.g. `cannot read "x": Permission denied`
};

template <typename T>
using Result = tl::expected<T, Error>;

[[nodiscard]] inline tl::unexpected<Error> fail(std::string message) {
  return tl::unexpected<Error>(Error{std::move(message)});
}

// Input that cannot be processed (missing, unreadable, binary, too large, looping):
// caught once in cli::run, reported on stderr, exit code 2.
class Fatal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace pgl
