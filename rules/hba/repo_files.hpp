// Repository mode (LintContext::repo) for the authentication files: a line of pg_hba.conf or
// pg_ident.conf that fails only because an @file or include target is not in the checked copy.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "lint/rule.hpp"
#include "model/hba.hpp"

namespace pgl::rules::hba {

// The path of a file the server could not open because it does not exist ("could not open
// secondary authentication file "@x" as "/p": No such file or directory", "could not open file
// "/p": No such file or directory", include_dir's "could not open directory "/p""), when it
// does not exist here either; else nullopt.
[[nodiscard]] std::optional<std::string> missing_auth_file(const std::string& error);

// In repository mode, reports a record whose error is a missing file as a note, once per file
// (`seen` holds the files noted so far), and returns true; else does nothing and returns false.
bool repo_note_missing(const lint::RuleMeta& meta, lint::LintContext& ctx, const std::string& error,
                       const core::Span& span, std::set<std::string>& seen);

// In repository mode, notes each @file the loader read as unknown tokens
// (model::HbaFile::missing_files), once per file (`seen` as above).
void repo_note_unknown(const lint::RuleMeta& meta, lint::LintContext& ctx,
                       const std::vector<model::MissingFile>& missing, std::set<std::string>& seen);

}  // namespace pgl::rules::hba
