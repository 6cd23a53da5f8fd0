#include "core/read_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <sys/stat.h>

namespace pgl::core {

namespace {

ReadBudget g_budget;

tl::unexpected<ReadError> failure(const std::string& path, ReadErrorKind kind, int err_no, std::string reason) {
  ReadError e;
  e.kind = kind;
  e.err_no = err_no;
  e.message = fmt::format("cannot read \"{}\": {}", path, reason);
  if (kind == ReadErrorKind::permission) {
    e.message += fmt::format(" ({})", permission_help());
  }
  e.reason = std::move(reason);
  return tl::unexpected<ReadError>(std::move(e));
}

tl::unexpected<ReadError> errno_failure(const std::string& path, int err) {
  const ReadErrorKind kind = err == ENOENT || err == ENOTDIR ? ReadErrorKind::not_found
                             : err == EACCES || err == EPERM ? ReadErrorKind::permission
                             : err == EISDIR                 ? ReadErrorKind::is_directory
                                                             : ReadErrorKind::io_error;
  return failure(path, kind, err, std::strerror(err));
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

}  // namespace

std::string_view server_behaviour(ReadErrorKind kind) {
  switch (kind) {
    case ReadErrorKind::fifo:
      return "the server would wait on it until something writes to it: its start (or reload) blocks";
    case ReadErrorKind::device:
      return "the server would read the device as a file (/dev/zero or /dev/urandom never end)";
    case ReadErrorKind::socket: return "the server cannot open a socket as a file and fails";
    case ReadErrorKind::other_type: return "the server cannot read it as a file";
    default: return "";
  }
}

std::string permission_help() {
  return "the linter's own failure: run it as the server's operating system user (often postgres), "
         "or give it read access";
}

ReadBudget& read_budget() {
  return g_budget;
}
void reset_read_budget() {
  g_budget = ReadBudget{};
}

ReadBudgetScope::ReadBudgetScope() : m_outer(g_budget) {
  g_budget.bytes = 0;
  g_budget.files = 0;
  g_budget.tokens = 0;
  g_budget.references = 0;
}

ReadBudgetScope::~ReadBudgetScope() {
  g_budget = m_outer;
}

tl::expected<FileBytes, ReadError> read_file(const std::string& path, const ReadLimits& limits) {
  ReadBudget& budget = g_budget;
  if (budget.files >= budget.max_files) {
    return failure(path, ReadErrorKind::budget, 0,
                   fmt::format("more than {} files opened in this run", budget.max_files));
  }
  // O_NONBLOCK: opening a FIFO for reading does not wait for a writer. It stays set, so a
  // read from anything but a regular file could not block either (none is attempted).
  Fd fd{::open(path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)};
  if (fd.fd < 0) {
    return errno_failure(path, errno);
  }
  ++budget.files;
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) {
    return errno_failure(path, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    return failure(path, ReadErrorKind::is_directory, EISDIR, std::strerror(EISDIR));
  }
  if (!S_ISREG(st.st_mode)) {
    const bool fifo = S_ISFIFO(st.st_mode);
    const bool device = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode);
    const ReadErrorKind kind = fifo                   ? ReadErrorKind::fifo
                               : device               ? ReadErrorKind::device
                               : S_ISSOCK(st.st_mode) ? ReadErrorKind::socket
                                                      : ReadErrorKind::other_type;
    const char* what = fifo                   ? "a FIFO (named pipe)"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "a special file";
    return failure(path, kind, 0, fmt::format("not a regular file but {}", what));
  }
  auto too_large = [&]() {
    return failure(
        path, ReadErrorKind::too_large, 0,
        fmt::format("file is too large (more than {} MiB)", limits.max_bytes / (std::uint64_t{1024} * 1024)));
  };
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > limits.max_bytes) {
    return too_large();
  }
  auto over_budget = [&]() {
    return failure(path, ReadErrorKind::budget, 0,
                   fmt::format("more than {} MiB read in this run", budget.max_bytes / (std::uint64_t{1024} * 1024)));
  };
  if (budget.bytes + size > budget.max_bytes) {
    return over_budget();
  }
  // Straight into the result up to the size fstat() gave (a hint only: the file may grow
  // or shrink while it is read; what follows is read to EOF, within the cap).
  FileBytes out;
  std::string& bytes = out.bytes;
  bytes.resize(static_cast<std::size_t>(size));
  std::size_t got = 0;
  char tail[65536];
  for (;;) {
    const bool in_place = got < bytes.size();
    const ssize_t n =
        in_place ? ::read(fd.fd, bytes.data() + got, bytes.size() - got) : ::read(fd.fd, tail, sizeof tail);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno_failure(path, errno);
    }
    if (n == 0) {
      break;
    }
    if (!in_place) {
      bytes.append(tail, static_cast<std::size_t>(n));
    }
    got += static_cast<std::size_t>(n);
    if (got > limits.max_bytes) {
      return too_large();
    }
  }
  if (got > limits.max_bytes) {
    return too_large();
  }
  bytes.resize(got);
  if (budget.bytes + got > budget.max_bytes) {
    return over_budget();
  }
  budget.bytes += got;
  return out;
}

}  // namespace pgl::core
