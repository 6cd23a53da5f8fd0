#include "core/source.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>
#include <tuple>

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

namespace {

// One secret range: bytes [from, to) of a line (0-based; to may pass the end).
struct SecretRange {
  std::uint32_t line;
  std::uint32_t from;
  std::uint32_t to;
  friend bool operator==(const SecretRange&, const SecretRange&) = default;
  friend bool operator<(const SecretRange& a, const SecretRange& b) {
    return std::tie(a.line, a.from, a.to) < std::tie(b.line, b.from, b.to);
  }
};

// Per file: the ranges in the order the parsers found them, sorted (and deduplicated:
// postgresql.conf is parsed twice) on the first look-up after an addition. 12 bytes per
// secret line; a look-up is a binary search.
struct FileSecrets {
  std::vector<SecretRange> ranges;
  bool sorted = true;
};

}  // namespace

struct SourceSet::Secrets {
  std::mutex mutex;
  std::map<std::string, FileSecrets, std::less<>> files;
};

SourceSet::SourceSet() = default;
SourceSet::~SourceSet() = default;
SourceSet::SourceSet(SourceSet&&) noexcept = default;
SourceSet& SourceSet::operator=(SourceSet&&) noexcept = default;

void SourceSet::add_secret(const Span& span) {
  if (span.begin.line == 0 || span.begin.file.empty()) {
    return;
  }
  if (!m_secrets) {
    m_secrets = std::make_unique<Secrets>();
  }
  const std::uint32_t first = span.begin.line;
  const std::uint32_t last = std::max(first, span.end_line);
  const std::lock_guard<std::mutex> lock(m_secrets->mutex);
  auto it = m_secrets->files.find(span.begin.file.str());
  if (it == m_secrets->files.end()) {
    it = m_secrets->files.emplace(span.begin.file.str(), FileSecrets{}).first;
  }
  FileSecrets& f = it->second;
  for (std::uint32_t line = first; line <= last && line != 0; ++line) {
    // Columns are 1-based, end_column exclusive (0: one byte); the lines inside a span
    // are masked whole.
    const std::uint32_t from = line == first && span.begin.column > 0 ? span.begin.column - 1 : 0;
    std::uint32_t to = UINT32_MAX;
    if (line == last && span.begin.column > 0) {
      to = span.end_column > 0 ? span.end_column - 1 : (line == first ? from + 1 : UINT32_MAX);
    }
    if (to > from) {
      const SecretRange range{line, from, to};
      if (f.sorted && !f.ranges.empty() && range < f.ranges.back()) {
        f.sorted = false;
      }
      if (f.ranges.empty() || !(f.ranges.back() == range)) {
        f.ranges.push_back(range);
      }
    }
  }
}

bool SourceSet::has_secrets(std::string_view path) const {
  if (!m_secrets) {
    return false;
  }
  const std::lock_guard<std::mutex> lock(m_secrets->mutex);
  return m_secrets->files.find(path) != m_secrets->files.end();
}

bool SourceSet::mask_secrets(std::string_view path, std::uint32_t line, std::string& text) const {
  if (!m_secrets) {
    return false;
  }
  const std::lock_guard<std::mutex> lock(m_secrets->mutex);
  const auto it = m_secrets->files.find(path);
  if (it == m_secrets->files.end()) {
    return false;
  }
  FileSecrets& f = it->second;
  if (!f.sorted) {
    std::sort(f.ranges.begin(), f.ranges.end());
    f.ranges.erase(std::unique(f.ranges.begin(), f.ranges.end()), f.ranges.end());
    f.sorted = true;
  }
  auto at = std::lower_bound(f.ranges.begin(), f.ranges.end(), SecretRange{line, 0, 0});
  bool changed = false;
  for (; at != f.ranges.end() && at->line == line; ++at) {
    for (std::size_t i = at->from; i < at->to && i < text.size(); ++i) {
      text[i] = '*';
      changed = true;
    }
  }
  return changed;
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
