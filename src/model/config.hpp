// Everything known about one server's configuration: the input of every rule.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/source.hpp"
#include "model/conf.hpp"
#include "model/hba.hpp"

namespace pgl::analysis {
class HbaReach;
}  // namespace pgl::analysis

namespace pgl::model {

struct LoadOptions {
  std::vector<std::string> paths;       // directories or files given on the command line
  std::optional<std::string> data_dir;  // --data-dir (Debian split layout)
  std::optional<int> pg_version;        // --pg-version
  std::optional<std::string> root;      // --root: maps absolute paths into a checked-out tree
  // --type conf|auto|hba|ident: the one path is a file read as that kind whatever its name,
  // and alone (no postgresql.auto.conf, hba_file, ident_file or neighbouring files).
  std::optional<std::string> kind;
  // --conf FILE: the postgresql.conf a lone pg_hba.conf / pg_ident.conf goes with (read
  // for its settings: ssl, listen_addresses ...; nothing beside it is pulled in).
  std::optional<std::string> conf_file;
  // --repo: the files are a repository's copy. An @file of pg_hba.conf / pg_ident.conf that
  // is not there is read as a token of unknown contents instead of the line's error.
  bool repo = false;
};

struct Config {
  int pg_version = 18;
  std::string version_source;        // "PG_VERSION", "--pg-version", "path" (/etc/postgresql/<major>/...), "default"
  std::vector<std::string> notices;  // said on stderr by the commands (e.g. an ignored --pg-version)
  std::string config_dir;            // directory holding postgresql.conf ("" if none)
  std::string data_dir;              // data directory (where postgresql.auto.conf, relative ssl files live)
  std::optional<std::string> root;   // --root

  std::optional<ConfSet> conf;
  std::vector<CheckedEntry> checked;                 // one per entry of conf, same order
  std::map<std::string, EffectiveSetting> settings;  // canonical name -> winning value

  std::optional<HbaFile> hba;
  std::optional<IdentFile> ident;
  // First-match model of `hba`, built on first use by analysis::hba_model() and shared by
  // every hba rule and command (it refers to `hba`, which it checks before reuse).
  mutable std::shared_ptr<const analysis::HbaReach> hba_model;

  core::SourceSet sources;                         // every file read
  std::vector<core::Diagnostic> load_diagnostics;  // parse problems, reported by the parse rules

  // Winning value of a parameter (canonical lower-case name), if set in a file.
  [[nodiscard]] const EffectiveSetting* setting(const std::string& name) const;
  // Value of a parameter: the file's value, else the version's boot default ("" if unknown).
  [[nodiscard]] std::string value_or_default(const std::string& name) const;
  // Maps a path named by a setting to the path to read (data-dir relative, --root applied).
  [[nodiscard]] std::string resolve_path(const std::string& configured) const;
};

}  // namespace pgl::model
