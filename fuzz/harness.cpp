#include "harness.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/mman.h>
#include <sys/stat.h>

#include "core/read_file.hpp"

namespace pgl::fuzz {

const std::string& work_dir() {
  static const std::string dir = [] {
    // In memory when the system has a tmpfs (/dev/shm): the targets rewrite their files on
    // every input, and on a disk file system (ext4 flushes a file truncated and rewritten
    // when it is closed) that costs more than the parse. PGL_FUZZ_DIR chooses another base.
    const char* base = std::getenv("PGL_FUZZ_DIR");
    struct stat st {};
    if (base == nullptr || *base == '\0') {
      base =
          ::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    }
    // Absolute and normal: the targets register files under paths made from it, which
    // must be the paths the parsers compute.
    std::string templ = (std::filesystem::absolute(base) / "pgl-fuzz-XXXXXX").lexically_normal().string();
    if (::mkdtemp(templ.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    // Removed at exit (the path is kept apart from the string, which is destroyed first).
    static char path[4096];
    std::snprintf(path, sizeof path, "%s", templ.c_str());
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    });
    return templ;
  }();
  return dir;
}

std::string write_file(const std::string& name, std::string_view bytes) {
  std::string path = work_dir() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::perror(path.c_str());
    std::abort();
  }
  if (!bytes.empty()) {
    std::fwrite(bytes.data(), 1, bytes.size(), f);
  }
  std::fclose(f);
  return path;
}

std::string capture(const std::function<void()>& fn) {
  std::fflush(stdout);
  std::fflush(stderr);
  const int mem = ::memfd_create("pgl-fuzz-out", 0);
  const int saved_out = ::dup(1);
  const int saved_err = ::dup(2);
  ::dup2(mem, 1);
  ::dup2(mem, 2);
  fn();
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  ::close(saved_out);
  ::close(saved_err);
  std::string out;
  const off_t size = ::lseek(mem, 0, SEEK_END);
  if (size > 0) {
    out.resize(static_cast<std::size_t>(size));
    (void)::pread(mem, out.data(), out.size(), 0);
  }
  ::close(mem);
  return out;
}

void new_run() {
  core::reset_read_budget();
  // Smaller expansion limits than the tool's (docs/limits.md): a few KB whose includes name
  // themselves twice make the server's exponential expansion real (16+: 2^10 copies of the
  // file, 1.3 million dumped tokens, 0.65 s and 265 MB unsanitized, seconds under ASan),
  // bounded only by the budget; and every reference to a nested file tokenizes it again.
  // The same code stops such an input here ten thousand times sooner, so that these inputs
  // do not take most of a run (with 1,000 references, 50,000 tokens and 1,000 files the
  // @file expansions were 42 % of fuzz_hba's time); the budget's path is still fuzzed, and
  // normal inputs stay below these limits. Each command the pipeline target runs is a run
  // of its own with these limits (cli::run's ReadBudgetScope keeps them).
  core::ReadBudget& b = core::read_budget();
  b.max_references = 100;
  b.max_tokens = 20'000;
  b.max_files = 100;
}

void assert_no_secret(std::string_view output, std::string_view what) {
  if (output.find("internal error") != std::string_view::npos) {
    std::fprintf(stderr, "%.*s: internal error:\n%.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(output.size() > 4000 ? 4000 : output.size()), output.data());
    std::abort();
  }
  if (output.find(k_marker) != std::string_view::npos) {
    std::fprintf(stderr, "secrets oracle: %.*s printed a planted password:\n%.*s\n", static_cast<int>(what.size()),
                 what.data(), static_cast<int>(output.size() > 4000 ? 4000 : output.size()), output.data());
    std::abort();
  }
}

}  // namespace pgl::fuzz
