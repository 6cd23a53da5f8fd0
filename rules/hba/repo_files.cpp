#include "rules/hba/repo_files.hpp"

#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/format.h>
#include <sys/stat.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules::hba {

std::optional<std::string> missing_auth_file(const std::string& error) {
  const std::string enoent = std::strerror(ENOENT);
  std::string_view rest(error);
  if (error.starts_with("could not open directory \"") && error.ends_with('"')) {
    // include_dir (16+): the server's message names no errno
  } else if (error.starts_with("could not open ") && error.ends_with(": " + enoent)) {
    rest.remove_suffix(enoent.size() + 2);
  } else {
    return std::nullopt;
  }
  // the path is the last quoted string before ": <errno text>"
  if (rest.empty() || rest.back() != '"') {
    return std::nullopt;
  }
  rest.remove_suffix(1);
  const auto open = rest.rfind('"');
  if (open == std::string_view::npos) {
    return std::nullopt;
  }
  std::string path(rest.substr(open + 1));
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) == 0 || errno != ENOENT) {
    return std::nullopt;
  }
  return path;
}

bool repo_note_missing(const lint::RuleMeta& meta, lint::LintContext& ctx, const std::string& error,
                       const core::Span& span, std::set<std::string>& seen) {
  if (!ctx.repo) {
    return false;
  }
  const auto path = missing_auth_file(error);
  if (!path) {
    return false;
  }
  if (seen.insert(*path).second) {
    ctx.diag(meta, span,
             fmt::format("\"{}\" is not in this copy, so the lines that use it could not be checked "
                         "(repository mode)",
                         *path))
        .severity(core::Severity::note)
        .help("check the file on the server, or pass --root DIR where a copy of the server's files is");
  }
  return true;
}

void repo_note_unknown(const lint::RuleMeta& meta, lint::LintContext& ctx,
                       const std::vector<model::MissingFile>& missing, std::set<std::string>& seen) {
  if (!ctx.repo) {
    return;
  }
  for (const auto& m : missing) {
    if (seen.insert(m.path).second) {
      ctx.diag(meta, m.span,
               fmt::format("\"{}\" is not in this copy: the lines that name it are checked with its contents "
                           "unknown, and nothing is concluded from what it might list (repository mode)",
                           m.path))
          .severity(core::Severity::note)
          .help("check the file on the server, or pass --root DIR where a copy of the server's files is");
    }
  }
}

}  // namespace pgl::rules::hba
