// The one reader for every file the tool opens (configuration files, @file lists and
// includes, TLS files, .pgconflint.toml): never blocks, never reads past a cap, and says
// in one wording why a file was not read.
//
// open(O_NONBLOCK | O_NOCTTY), then fstat() on the open descriptor (no race between a
// check and the open): anything but a regular file is refused without reading from it.
// Every read counts against one budget per run (read_budget()): bytes read and files
// opened, beside the expansion counts the auth-file reader keeps there. A run is one
// command (cli::run holds a ReadBudgetScope): `diff` loads all its configurations under
// one budget; a second command in the same process (tests, the pipeline fuzz target)
// starts from zero.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace pgl::core {

// Files above this size are refused (a configuration file is never that large).
inline constexpr std::uint64_t k_max_file_bytes = 64ULL * 1024 * 1024;

struct ReadLimits {
  std::uint64_t max_bytes = k_max_file_bytes;
};

enum class ReadErrorKind {
  not_found,   // ENOENT, ENOTDIR
  permission,  // EACCES, EPERM: the linter's own rights
  is_directory,
  fifo,    // named pipe: a reader blocks until a writer comes
  device,  // character or block device (/dev/zero, /dev/urandom, a disk)
  socket,
  other_type,  // any other non-regular file
  too_large,   // above ReadLimits::max_bytes
  io_error,    // any other errno
  budget,      // the run's read budget is spent
};

struct ReadError {
  ReadErrorKind kind = ReadErrorKind::io_error;
  int err_no = 0;       // errno for not_found, permission, io_error (EISDIR for is_directory)
  std::string reason;   // short text: strerror() text, "is a FIFO", "file is too large (more than 64 MiB)"
  std::string message;  // complete sentence: `cannot read "PATH": REASON`
  // True for the kinds that are not the file's content or absence but its type.
  [[nodiscard]] bool not_regular() const {
    return kind == ReadErrorKind::fifo || kind == ReadErrorKind::device || kind == ReadErrorKind::socket ||
           kind == ReadErrorKind::other_type;
  }
};

struct FileBytes {
  std::string bytes;
};

[[nodiscard]] tl::expected<FileBytes, ReadError> read_file(const std::string& path, const ReadLimits& limits = {});

// What the server does when it reads a file of this (non-regular) kind, as a clause for
// a finding ("the server would block reading it ...").
[[nodiscard]] std::string_view server_behaviour(ReadErrorKind kind);

// The wording for a file the linter itself may not read, with what to do about it.
[[nodiscard]] std::string permission_help();

// One budget per run for everything input controls the amount of: bytes read, files
// opened, @file tokens expanded and include/@file references followed. Far above any
// real configuration (docs/limits.md); past one, the run stops with exit 2.
struct ReadBudget {
  std::uint64_t max_bytes = 1ULL << 30;      // 1 GiB read in all
  std::uint64_t max_files = 1'000'000;       // files opened
  std::uint64_t max_tokens = 5'000'000;      // tokens produced by @file expansion
  std::uint64_t max_references = 1'000'000;  // @file, include and include_dir references followed

  std::uint64_t bytes = 0;
  std::uint64_t files = 0;
  std::uint64_t tokens = 0;
  std::uint64_t references = 0;
};

// The current run's budget. reset_read_budget() puts the defaults back (tests, fuzzing).
[[nodiscard]] ReadBudget& read_budget();
void reset_read_budget();

// One run: while it lives, read_budget() is a budget of its own with the limits of the
// one it replaced and nothing counted yet; the replaced one (counts and limits) comes back
// when it ends. Not shared between threads (runs are sequential in a process).
class ReadBudgetScope {
 public:
  ReadBudgetScope();
  ~ReadBudgetScope();
  ReadBudgetScope(const ReadBudgetScope&) = delete;
  ReadBudgetScope& operator=(const ReadBudgetScope&) = delete;
  ReadBudgetScope(ReadBudgetScope&&) = delete;
  ReadBudgetScope& operator=(ReadBudgetScope&&) = delete;

 private:
  ReadBudget m_outer;
};

}  // namespace pgl::core
