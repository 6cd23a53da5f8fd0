// Source files, locations and spans.
//
// Lines and columns start at 1; columns count bytes (as PEGTL does). Every file the
// tool reads is registered once in a SourceSet, which keeps its bytes and a line index
// so that renderers can print excerpts without reading the file again.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgl::core {

struct Location {
  std::string file;        // path as shown to the user (absolute when the server would use one)
  std::uint32_t line = 0;  // 1-based; 0 = whole file / no position
  std::uint32_t column = 0;  // 1-based byte column; 0 = whole line
  friend bool operator==(const Location&, const Location&) = default;
};

struct Span {
  Location begin;
  std::uint32_t end_line = 0;    // inclusive end line (0 = same as begin.line)
  std::uint32_t end_column = 0;  // exclusive end column (0 = begin.column + 1)
  friend bool operator==(const Span&, const Span&) = default;

  [[nodiscard]] static Span at(std::string file, std::uint32_t line, std::uint32_t column,
                               std::uint32_t length = 1) {
    return Span{Location{std::move(file), line, column}, line, column + (length ? length : 1)};
  }
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string bytes);

  [[nodiscard]] const std::string& path() const { return m_path; }
  [[nodiscard]] const std::string& bytes() const { return m_bytes; }
  [[nodiscard]] std::size_t line_count() const { return m_line_starts.size(); }
  // Text of a 1-based physical line, without its terminating "\n" (and without a final "\r").
  [[nodiscard]] std::string_view line(std::uint32_t number) const;
  // 1-based line and column of a byte offset.
  [[nodiscard]] Location location_of(std::size_t offset) const;

 private:
  std::string m_path;
  std::string m_bytes;
  std::vector<std::size_t> m_line_starts;
};

// All files read during one run, by path. Shared between parsers and renderers.
class SourceSet {
 public:
  // Registers (or replaces) a file and returns it.
  const SourceFile& add(std::string path, std::string bytes);
  [[nodiscard]] const SourceFile* find(const std::string& path) const;
  // Every registered file, sorted by path.
  [[nodiscard]] std::vector<const SourceFile*> files() const;
  [[nodiscard]] std::size_t size() const { return m_files.size(); }

 private:
  std::map<std::string, std::unique_ptr<SourceFile>> m_files;
};

}  // namespace pgl::core
