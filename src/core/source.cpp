#include "core/source.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>

namespace pgl::core {

const std::string& FileName::empty_path() {
  static const std::string empty;
  return empty;
}

std::ostream& operator<<(std::ostream& os, const FileName& f) {
  return os << f.str();
}

SourceFile::SourceFile(std::string path, std::string bytes) : m_path(std::move(path)), m_bytes(std::move(bytes)) {}

const std::vector<std::size_t>& SourceFile::line_starts() const {
  std::call_once(m_index_once, [this] { build_index(); });
  return m_line_starts;
}

void SourceFile::build_index() const {
  m_line_starts.push_back(0);
  const char* const begin = m_bytes.data();
  const char* const end = begin + m_bytes.size();
  const char* p = begin;
  while (p < end) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (nl == nullptr || nl + 1 >= end) {
      break;
    }
    p = nl + 1;
    m_line_starts.push_back(static_cast<std::size_t>(p - begin));
  }
}

std::string_view SourceFile::line(std::uint32_t number) const {
  const std::vector<std::size_t>& starts = line_starts();
  if (number == 0 || number > starts.size()) {
    return {};
  }
  const std::size_t begin = starts[number - 1];
  std::size_t end = m_bytes.find('\n', begin);
  if (end == std::string::npos) {
    end = m_bytes.size();
  }
  std::string_view text(m_bytes.data() + begin, end - begin);
  if (!text.empty() && text.back() == '\r') {
    text.remove_suffix(1);
  }
  return text;
}

Location SourceFile::location_of(std::size_t offset) const {
  const std::vector<std::size_t>& starts = line_starts();
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  const auto index = static_cast<std::size_t>(std::distance(starts.begin(), it)) - 1;
  return Location{m_path, static_cast<std::uint32_t>(index + 1),
                  static_cast<std::uint32_t>(offset - starts[index] + 1)};
}

const SourceFile& SourceSet::add(std::string path, std::string bytes) {
  auto file = std::make_unique<SourceFile>(path, std::move(bytes));
  auto& slot = m_files[std::move(path)];
  if (slot) {
    m_replaced.push_back(std::move(slot));
  }
  slot = std::move(file);
  return *slot;
}

const SourceFile* SourceSet::find(const std::string& path) const {
  auto it = m_files.find(path);
  return it == m_files.end() ? nullptr : it->second.get();
}

std::vector<const SourceFile*> SourceSet::files() const {
  std::vector<const SourceFile*> out;
  out.reserve(m_files.size());
  for (const auto& [path, file] : m_files) {
    out.push_back(file.get());
  }
  return out;
}

}  // namespace pgl::core
