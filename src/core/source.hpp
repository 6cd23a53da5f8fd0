// Source files, locations and spans.
//
// Lines and columns start at 1; columns count bytes (as PEGTL does). Every file the
// tool reads is registered once in a SourceSet, which keeps its bytes and a line index
// so that renderers can print excerpts without reading the file again.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace pgl::core {

// The path of a file as locations show it. Every location in the same file can share
// one FileName: copying it is a (thread-safe) reference count increment, not a string
// copy, and it is the size of a pointer. It reads
// as the path string (implicit conversions, comparisons and formatting).
class FileName {
 public:
  FileName() = default;
  FileName(std::string path)  // NOLINT(google-explicit-constructor): a path is a FileName
      : m_rep(path.empty() ? nullptr : new Rep{std::move(path)}) {}
  FileName(const char* path) : FileName(std::string(path == nullptr ? "" : path)) {}  // NOLINT
  FileName(std::string_view path) : FileName(std::string(path)) {}                    // NOLINT

  FileName(const FileName& other) noexcept : m_rep(other.m_rep) {
    if (m_rep != nullptr) {
      m_rep->refs.fetch_add(1, std::memory_order_relaxed);
    }
  }
  FileName(FileName&& other) noexcept : m_rep(other.m_rep) { other.m_rep = nullptr; }
  FileName& operator=(const FileName& other) noexcept {
    FileName copy(other);
    std::swap(m_rep, copy.m_rep);
    return *this;
  }
  FileName& operator=(FileName&& other) noexcept {
    std::swap(m_rep, other.m_rep);
    return *this;
  }
  ~FileName() {
    if (m_rep != nullptr && m_rep->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      delete m_rep;
    }
  }

  [[nodiscard]] const std::string& str() const { return m_rep != nullptr ? m_rep->path : empty_path(); }
  operator const std::string&() const { return str(); }     // NOLINT(google-explicit-constructor)
  operator std::string_view() const { return str(); }       // NOLINT(google-explicit-constructor)
  operator std::filesystem::path() const { return str(); }  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool empty() const { return m_rep == nullptr; }
  [[nodiscard]] std::size_t size() const { return str().size(); }
  [[nodiscard]] const char* c_str() const { return str().c_str(); }
  [[nodiscard]] const char* data() const { return str().data(); }

  friend bool operator==(const FileName& a, const FileName& b) { return a.m_rep == b.m_rep || a.str() == b.str(); }
  friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const FileName& a, std::string_view b) { return std::string_view(a.str()) == b; }
  friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }
  friend std::strong_ordering operator<=>(const FileName& a, const FileName& b) {
    return a.m_rep == b.m_rep ? std::strong_ordering::equal : a.str() <=> b.str();
  }
  friend std::strong_ordering operator<=>(const FileName& a, const std::string& b) { return a.str() <=> b; }
  friend std::strong_ordering operator<=>(const FileName& a, std::string_view b) {
    return std::string_view(a.str()) <=> b;
  }
  friend std::strong_ordering operator<=>(const FileName& a, const char* b) { return a.str() <=> b; }
  friend std::string operator+(const FileName& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const FileName& a, const char* b) { return a.str() + b; }
  friend std::string operator+(const FileName& a, char b) { return a.str() + b; }
  friend std::string operator+(const std::string& a, const FileName& b) { return a + b.str(); }
  friend std::string operator+(const char* a, const FileName& b) { return a + b.str(); }
  friend std::ostream& operator<<(std::ostream& os, const FileName& f);

 private:
  struct Rep {
    std::string path;  // never empty
    std::atomic<std::size_t> refs{1};
  };
  static const std::string& empty_path();
  Rep* m_rep = nullptr;  // shared, reference-counted; null = ""
};

struct Location {
  FileName file;             // path as shown to the user (absolute when the server would use one)
  std::uint32_t line = 0;    // 1-based; 0 = whole file / no position
  std::uint32_t column = 0;  // 1-based byte column; 0 = whole line
  friend bool operator==(const Location&, const Location&) = default;
};

struct Span {
  Location begin;
  std::uint32_t end_line = 0;    // inclusive end line (0 = same as begin.line)
  std::uint32_t end_column = 0;  // exclusive end column (0 = begin.column + 1)
  friend bool operator==(const Span&, const Span&) = default;

  [[nodiscard]] static Span at(FileName file, std::uint32_t line, std::uint32_t column, std::uint32_t length = 1) {
    return Span{Location{std::move(file), line, column}, line, column + (length ? length : 1)};
  }
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string bytes);

  [[nodiscard]] const std::string& path() const { return m_path.str(); }
  // The path as a shared FileName (for the locations of this file).
  [[nodiscard]] const FileName& name() const { return m_path; }
  [[nodiscard]] const std::string& bytes() const { return m_bytes; }
  [[nodiscard]] std::size_t line_count() const { return line_starts().size(); }
  // Text of a 1-based physical line, without its terminating "\n" (and without a final "\r").
  [[nodiscard]] std::string_view line(std::uint32_t number) const;
  // 1-based line and column of a byte offset.
  [[nodiscard]] Location location_of(std::size_t offset) const;

 private:
  // The line index is built on first use (parsers only need the bytes; renderers and
  // rules that quote lines need the index). Thread-safe.
  const std::vector<std::size_t>& line_starts() const;
  void build_index() const;

  FileName m_path;
  std::string m_bytes;
  mutable std::once_flag m_index_once;
  mutable std::vector<std::size_t> m_line_starts;
};

// All files read during one run (one configuration), by path, and where their secrets
// are. Shared between parsers and renderers.
class SourceSet {
 public:
  SourceSet();
  ~SourceSet();
  SourceSet(SourceSet&&) noexcept;
  SourceSet& operator=(SourceSet&&) noexcept;
  SourceSet(const SourceSet&) = delete;
  SourceSet& operator=(const SourceSet&) = delete;

  // Registers (or replaces) a file and returns it. The reference stays valid as long as
  // the set: a replaced file is kept (no longer found by path).
  const SourceFile& add(std::string path, std::string bytes);
  [[nodiscard]] const SourceFile* find(const std::string& path) const;
  // Every registered file, sorted by path.
  [[nodiscard]] std::vector<const SourceFile*> files() const;
  [[nodiscard]] std::size_t size() const { return m_files.size(); }

  // Secrets by structure. The parsers record where a secret value is in a file of this
  // set: the password values of primary_conninfo (its whole value when it does not
  // parse), the whole of ssl_passphrase_command, an ldapbindpasswd= / radiussecrets=
  // value and the rest of it split off by a comma or a blank. A span may cover several
  // lines (continuations); column 0 = the whole line. Each set owns its spans (diff and
  // check --cluster load several configurations, each with its set).
  void add_secret(const Span& span);
  // Replaces the recorded secret bytes of line `line` of `path` (its text in `text`)
  // with '*', the same length (columns stay); false, text unchanged, when there are none.
  // Thread-safe (renderers may run in parallel).
  bool mask_secrets(std::string_view path, std::uint32_t line, std::string& text) const;
  // Whether any secret is recorded in `path` (a cheap test before copying a line).
  [[nodiscard]] bool has_secrets(std::string_view path) const;

 private:
  struct Secrets;
  std::map<std::string, std::unique_ptr<SourceFile>> m_files;
  std::vector<std::unique_ptr<SourceFile>> m_replaced;
  std::unique_ptr<Secrets> m_secrets;  // made by the first add_secret
};

}  // namespace pgl::core

template <>
struct fmt::formatter<pgl::core::FileName> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const pgl::core::FileName& f, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(f.str()), ctx);
  }
};
