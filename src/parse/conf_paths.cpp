#include "parse/conf_paths.hpp"

#include <unistd.h>

#include <vector>

namespace pgl::parse {
namespace {

void trim_trailing_separator(std::string& path) {
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
}

void collapse_separators(std::string& path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') {
      continue;
    }
    out += c;
  }
  path = std::move(out);
}

// trim_directory from src/port/path.c.
void trim_directory(std::string& path) {
  if (path.empty()) {
    return;
  }
  std::size_t p = path.size() - 1;
  while (p > 0 && path[p] == '/') {
    --p;
  }
  while (p > 0 && path[p] != '/') {
    --p;
  }
  while (p > 0 && path[p - 1] == '/') {
    --p;
  }
  if (p == 0 && path[0] == '/') {
    p = 1;
  }
  path.resize(p);
}

// PG12-14: only trailing "." and ".." components are processed.
std::string canonicalize_old(std::string path) {
  trim_trailing_separator(path);
  collapse_separators(path);
  int pending_strips = 0;
  for (;;) {
    const std::size_t len = path.size();
    if (len > 2 && path.compare(len - 2, 2, "/.") == 0) {
      trim_directory(path);
    } else if (len > 3 && path.compare(len - 3, 3, "/..") == 0) {
      trim_directory(path);
      pending_strips++;
    } else if (pending_strips > 0 && !path.empty()) {
      trim_directory(path);
      pending_strips--;
      if (path.empty()) {
        path = ".";
      }
    } else {
      break;
    }
  }
  if (pending_strips > 0) {
    std::string prefix;
    for (int i = 0; i < pending_strips; ++i) {
      prefix += "../";
    }
    path = prefix + path;
  }
  return path;
}

// PG15+: every "." and ".." component.
std::string canonicalize_new(const std::string& path) {
  if (path.empty()) {
    return path;
  }
  const bool absolute = path.front() == '/';
  std::vector<std::string> parts;
  int depth = 0;  // components that a ".." may remove
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) {
      j = path.size();
    }
    std::string comp = path.substr(i, j - i);
    i = j + 1;
    if (comp.empty() || comp == ".") {
      continue;
    }
    if (comp == "..") {
      if (depth > 0) {
        parts.pop_back();
        depth--;
      } else if (!absolute) {
        parts.push_back(comp);
      }
      continue;
    }
    parts.push_back(std::move(comp));
    depth++;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k) {
      out += '/';
    }
    out += parts[k];
  }
  if (out.empty()) {
    out = ".";
  }
  return out;
}

}  // namespace

std::string canonicalize_path(std::string path, int pg_version) {
  return pg_version >= 15 ? canonicalize_new(path) : canonicalize_old(std::move(path));
}

std::string parent_directory(std::string path) {
  trim_directory(path);
  return path;
}

std::string join_path(const std::string& head, const std::string& tail_in) {
  // join_path_components (src/port/path.c) drops every leading "./" of the tail before
  // joining, in every major: "@./x" and "@.//x" name "<dir>/x" even where 12-14's
  // canonicalize_path keeps inner "." components (12.22, 14.23 observed).
  std::string_view rest = tail_in;
  while (rest.size() >= 2 && rest[0] == '.' && rest[1] == '/') {
    rest.remove_prefix(2);
  }
  const std::string tail(rest);
  if (tail.empty()) {
    return head;
  }
  return head.empty() ? tail : head + "/" + tail;
}

std::string absolute_config_location(const std::string& location, const std::string& calling_file,
                                     const std::string& data_dir, int pg_version) {
  if (!location.empty() && location.front() == '/') {
    return location;
  }
  const std::string base = calling_file.empty() ? data_dir : parent_directory(calling_file);
  return canonicalize_path(join_path(base, location), pg_version);
}

std::string make_absolute(const std::string& path) {
  if (!path.empty() && path.front() == '/') {
    return canonicalize_path(path, 18);
  }
  std::string cwd;
  if (char* buf = ::getcwd(nullptr, 0)) {
    cwd = buf;
    ::free(buf);  // NOLINT(cppcoreguidelines-no-malloc): getcwd allocates with malloc
  }
  return canonicalize_path(join_path(cwd, path), 18);
}

}  // namespace pgl::parse
