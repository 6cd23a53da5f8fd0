// TEMPORARY stand-in for the loader (src/load/loader.hpp) so that `check` and the rule
// fixture driver work before the real loader lands: it registers the well-known files of a
// directory in the SourceSet and calls the parse layer. DELETE THIS FILE when the real
// loader is merged (its definitions would clash).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "load/loader.hpp"
#include "parse/parse.hpp"

namespace pgl::load {

namespace fs = std::filesystem;

Result<std::string> read_text_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return fail(fmt::format("cannot read \"{}\": is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(fmt::format("cannot read \"{}\": no such file or not readable", path));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > 16U * 1024U * 1024U) {
    return fail(fmt::format("cannot read \"{}\": file too large", path));
  }
  if (text.find('\0') != std::string::npos) {
    return fail(fmt::format("cannot read \"{}\": binary file", path));
  }
  return text;
}

Result<model::Config> load_config(const model::LoadOptions& options) {
  model::Config cfg;
  if (options.paths.empty()) {
    return fail("no path to check");
  }
  std::error_code ec;
  const fs::path given = fs::absolute(options.paths.front(), ec).lexically_normal();
  if (!fs::exists(given, ec)) {
    return fail(fmt::format("cannot read \"{}\": no such file or directory", options.paths.front()));
  }
  const bool is_dir = fs::is_directory(given, ec);
  const fs::path dir = is_dir ? given : given.parent_path();
  cfg.config_dir = dir.string();
  cfg.data_dir = options.data_dir ? fs::absolute(*options.data_dir, ec).lexically_normal().string() : dir.string();
  cfg.root = options.root;
  cfg.pg_version = 18;
  cfg.version_source = "default";
  if (options.pg_version) {
    cfg.pg_version = *options.pg_version;
    cfg.version_source = "--pg-version";
  } else if (auto v = read_text_file((fs::path(cfg.data_dir) / "PG_VERSION").string())) {
    try {
      cfg.pg_version = std::stoi(*v);
      cfg.version_source = "PG_VERSION";
    } catch (const std::exception&) {
      // keep the default
    }
  }
  auto pick = [&](const char* name) -> std::string {
    if (!is_dir) {
      return given.filename() == name ? given.string() : std::string();
    }
    const fs::path p = dir / name;
    return fs::is_regular_file(p, ec) ? p.string() : std::string();
  };
  const std::string conf = pick("postgresql.conf");
  const std::string hba = pick("pg_hba.conf");
  const std::string ident = pick("pg_ident.conf");
  std::string auto_conf = (fs::path(cfg.data_dir) / "postgresql.auto.conf").string();
  if (!fs::is_regular_file(auto_conf, ec)) {
    auto_conf.clear();
  }
  if (conf.empty() && hba.empty() && ident.empty()) {
    return fail(fmt::format("\"{}\": no postgresql.conf, pg_hba.conf or pg_ident.conf found", given.string()));
  }
  for (const auto& path : {conf, hba, ident, auto_conf}) {
    if (path.empty()) {
      continue;
    }
    auto text = read_text_file(path);
    if (!text) {
      return tl::unexpected(text.error());
    }
    cfg.sources.add(path, std::move(*text));
  }
  if (is_dir && fs::is_directory(dir / "conf.d", ec)) {
    for (const auto& entry : fs::directory_iterator(dir / "conf.d", ec)) {
      if (entry.path().extension() == ".conf") {
        if (auto text = read_text_file(entry.path().string())) {
          cfg.sources.add(entry.path().string(), std::move(*text));
        }
      }
    }
  }
  if (!conf.empty()) {
    parse::ConfParseOptions po;
    po.pg_version = cfg.pg_version;
    po.data_dir = cfg.data_dir;
    po.auto_file = auto_conf;
    if (auto set = parse::parse_conf(conf, po, cfg.sources)) {
      cfg.conf = std::move(*set);
    }
  }
  parse::AuthParseOptions ao;
  ao.pg_version = cfg.pg_version;
  if (!hba.empty()) {
    cfg.hba = parse::parse_hba(hba, ao, cfg.sources);
  }
  if (!ident.empty()) {
    cfg.ident = parse::parse_ident(ident, ao, cfg.sources);
  }
  return cfg;
}

}  // namespace pgl::load
