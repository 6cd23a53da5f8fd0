#include "lint/project_config.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/read_file.hpp"
#include "core/toml.hpp"

namespace pgl::lint {

namespace {

namespace fs = std::filesystem;

class Reader {
 public:
  Reader(const std::string& path, std::vector<std::string_view> known) : m_path(path), m_known(std::move(known)) {}

  tl::unexpected<Error> error(const toml::node& node, std::string_view message) const {
    return fail(fmt::format("{}:{}: {}", m_path, node.source().begin.line, message));
  }

  tl::unexpected<Error> error_at(std::uint32_t line, std::string_view message) const {
    return fail(fmt::format("{}:{}: {}", m_path, line, message));
  }

  Result<std::string> string(const toml::node& node, std::string_view key) const {
    if (const auto* s = node.as_string()) {
      return std::string(s->get());
    }
    return error(node, fmt::format("'{}' must be a string", key));
  }

  Result<int> integer(const toml::node& node, std::string_view key, long long lo, long long hi) const {
    const auto* i = node.as_integer();
    if (i == nullptr) {
      return error(node, fmt::format("'{}' must be an integer", key));
    }
    if (i->get() < lo || i->get() > hi) {
      return error(node, fmt::format("'{}' must be between {} and {}", key, lo, hi));
    }
    return static_cast<int>(i->get());
  }

  Result<std::vector<std::string>> string_list(const toml::node& node, std::string_view key) const {
    const auto* arr = node.as_array();
    if (arr == nullptr) {
      return error(node, fmt::format("'{}' must be an array of strings", key));
    }
    std::vector<std::string> out;
    for (const auto& item : *arr) {
      const auto* s = item.as_string();
      if (s == nullptr) {
        return error(item, fmt::format("'{}' must be an array of strings", key));
      }
      out.emplace_back(s->get());
    }
    return out;
  }

  Result<void> rule_id(const toml::node& node, const std::string& id) const {
    if (std::find(m_known.begin(), m_known.end(), id) != m_known.end()) {
      return {};
    }
    std::string msg = fmt::format("unknown rule id '{}'", id);
    if (auto s = suggest_rule_id(id, m_known)) {
      msg += fmt::format(" (did you mean '{}'?)", *s);
    }
    return error(node, msg);
  }

  Result<std::vector<std::string>> rule_list(const toml::node& node, std::string_view key) const {
    auto list = string_list(node, key);
    if (!list) {
      return list;
    }
    const auto& arr = *node.as_array();
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (auto r = rule_id(*arr.get(i), (*list)[i]); !r) {
        return tl::unexpected(r.error());
      }
    }
    return list;
  }

  // Scalar or array of scalars, as strings (the form rule options take).
  Result<ProjectValue> value(const toml::node& node, std::string_view key) const {
    ProjectValue out;
    out.line = node.source().begin.line;
    auto scalar = [&](const toml::node& n) -> Result<std::string> {
      if (const auto* s = n.as_string()) {
        return std::string(s->get());
      }
      if (const auto* i = n.as_integer()) {
        return std::to_string(i->get());
      }
      if (const auto* f = n.as_floating_point()) {
        return fmt::format("{}", f->get());
      }
      if (const auto* b = n.as_boolean()) {
        return std::string(b->get() ? "true" : "false");
      }
      return error(n, fmt::format("'{}' must be a string, number, boolean or an array of them", key));
    };
    if (const auto* arr = node.as_array()) {
      out.is_array = true;
      for (const auto& item : *arr) {
        auto s = scalar(item);
        if (!s) {
          return tl::unexpected(s.error());
        }
        out.values.push_back(std::move(*s));
      }
      return out;
    }
    auto s = scalar(node);
    if (!s) {
      return tl::unexpected(s.error());
    }
    out.values.push_back(std::move(*s));
    return out;
  }

  [[nodiscard]] const std::vector<std::string_view>& known() const { return m_known; }

 private:
  std::string m_path;
  std::vector<std::string_view> m_known;
};

#define PGL_TRY_ASSIGN(var, expr)                \
  auto var##_result = (expr);                    \
  if (!var##_result) {                           \
    return tl::unexpected(var##_result.error()); \
  }                                              \
  auto var = std::move(*var##_result)

Result<void> read_root(const toml::table& root, const Reader& rd, ProjectConfig& cfg) {
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    if (key == "pg_version") {
      PGL_TRY_ASSIGN(v, rd.integer(node, key, 12, 18));
      cfg.pg_version = v;
    } else if (key == "profile") {
      PGL_TRY_ASSIGN(v, rd.string(node, key));
      auto p = profile_from_string(v);
      if (!p) {
        return rd.error(node, fmt::format("unknown profile '{}' (expected default, strict or cis)", v));
      }
      cfg.profile = p;
    } else if (key == "fail_on") {
      PGL_TRY_ASSIGN(v, rd.string(node, key));
      auto f = fail_on_from_string(v);
      if (!f) {
        return rd.error(node, fmt::format("unknown fail_on '{}' (expected error, warning, note or never)", v));
      }
      cfg.fail_on = f;
    } else if (key == "enable") {
      PGL_TRY_ASSIGN(v, rd.rule_list(node, key));
      cfg.enable = std::move(v);
    } else if (key == "disable") {
      PGL_TRY_ASSIGN(v, rd.rule_list(node, key));
      cfg.disable = std::move(v);
    } else if (key == "expiry_days") {
      PGL_TRY_ASSIGN(v, rd.integer(node, key, 0, 36500));
      cfg.expiry_days = v;
    } else if (key == "hosts") {
      PGL_TRY_ASSIGN(v, rd.string_list(node, key));
      cfg.hosts = std::move(v);
    } else if (key == "repo") {
      const auto* b = node.as_boolean();
      if (b == nullptr) {
        return rd.error(node, "'repo' must be true or false");
      }
      cfg.repo = b->get();
    } else if (key == "server_user") {
      PGL_TRY_ASSIGN(v, rd.string(node, key));
      cfg.server_user = std::move(v);
    } else if (key == "rule_url") {
      PGL_TRY_ASSIGN(v, rd.string(node, key));
      cfg.rule_url = std::move(v);
    } else if (key == "severity") {
      const auto* table = node.as_table();
      if (table == nullptr) {
        return rd.error(node, "'severity' must be a table of \"rule-id\" = \"error|warning|note\"");
      }
      for (const auto& [rk, rnode] : *table) {
        const std::string id(rk.str());
        if (auto r = rd.rule_id(rnode, id); !r) {
          return tl::unexpected(r.error());
        }
        PGL_TRY_ASSIGN(v, rd.string(rnode, id));
        auto sev = core::severity_from_string(v);
        if (!sev) {
          return rd.error(rnode,
                          fmt::format("unknown severity '{}' for '{}' (expected error, warning or note)", v, id));
        }
        cfg.severity[id] = *sev;
      }
    } else if (key == "rules") {
      const auto* table = node.as_table();
      if (table == nullptr) {
        return rd.error(node, "'rules' must be a table of [rules.\"rule-id\"] tables");
      }
      for (const auto& [rk, rnode] : *table) {
        const std::string id(rk.str());
        if (auto r = rd.rule_id(rnode, id); !r) {
          return tl::unexpected(r.error());
        }
        const auto* opts = rnode.as_table();
        if (opts == nullptr) {
          return rd.error(rnode, fmt::format("'rules.{}' must be a table of options", id));
        }
        for (const auto& [ok, onode] : *opts) {
          const std::string option(ok.str());
          PGL_TRY_ASSIGN(v, rd.value(onode, option));
          cfg.options[id + "." + option] = std::move(v.values);
        }
      }
    } else if (key == "diff") {
      const auto* table = node.as_table();
      if (table == nullptr) {
        return rd.error(node, "'diff' must be a table");
      }
      for (const auto& [dk, dnode] : *table) {
        const std::string dkey(dk.str());
        PGL_TRY_ASSIGN(v, rd.value(dnode, dkey));
        if (dkey == "ignore") {
          if (!v.is_array) {
            return rd.error(dnode, "'diff.ignore' must be an array of strings");
          }
          cfg.diff_ignore = v.values;
        }
        cfg.diff[dkey] = std::move(v);
      }
    } else {
      static const std::vector<std::string_view> k_keys = {"pg_version", "profile",     "fail_on", "enable",
                                                           "disable",    "expiry_days", "hosts",   "server_user",
                                                           "rule_url",   "severity",    "rules",   "diff"};
      std::string msg = fmt::format("unknown key '{}'", key);
      if (auto s = suggest_rule_id(key, k_keys)) {
        msg += fmt::format(" (did you mean '{}'?)", *s);
      } else {
        msg +=
            " (known keys: pg_version, profile, fail_on, enable, disable, expiry_days, hosts, server_user, "
            "rule_url, [severity], [rules.ID], [diff])";
      }
      return rd.error(node, msg);
    }
  }
  return {};
}

#undef PGL_TRY_ASSIGN

}  // namespace

namespace {

// The first line at which the text up to and including it makes toml++ fail one of its
// internal checks (1 when none of the first 2,000 does on its own).
std::size_t internal_error_line(std::string_view text, const std::string& path) {
  std::size_t line = 1;
  constexpr std::size_t k_max_lines = 2000;  // a bounded search: quadratic in the lines it tries
  for (std::size_t pos = 0; pos < text.size() && line <= k_max_lines; ++line) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    try {
      (void)toml::parse(text.substr(0, end), path);
    } catch (const core::TomlInternalError&) {
      return line;
    } catch (const toml::parse_error&) {
    }
    pos = end;
  }
  return 1;
}

}  // namespace

Result<ProjectConfig> parse_project_config(std::string_view text, const std::string& path,
                                           const std::vector<std::string_view>& known_ids) {
  std::vector<std::string_view> known = known_ids;
  if (known.empty()) {
    for (const auto& r : registry()) {
      known.push_back(r->meta().id);
    }
  }
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return fail(fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column, e.description()));
  } catch (const core::TomlInternalError& e) {
    // The parser stopped at one of its own checks: a malformed file it has no message
    // for. The line is the first whose prefix of the file stops it the same way.
    return fail(fmt::format("{}:{}: malformed TOML ({})", path, internal_error_line(text, path), e.what()));
  }
  ProjectConfig cfg;
  cfg.path = path;
  cfg.text = std::string(text);
  Reader rd(path, std::move(known));
  if (auto r = read_root(root, rd, cfg); !r) {
    return tl::unexpected(r.error());
  }
  return cfg;
}

Result<ProjectConfig> load_project_config(const std::string& path) {
  // core::read_file: a FIFO, a device or /dev/zero is refused, never read.
  auto r = core::read_file(path, core::ReadLimits{1024 * 1024});
  if (!r) {
    const core::ReadError& e = r.error();
    std::string why = e.reason;
    if (e.kind == core::ReadErrorKind::permission) {
      why += fmt::format(" ({})", core::permission_help());
    } else if (e.not_regular()) {
      why += " (a project configuration is a regular file)";
    }
    return fail(fmt::format("cannot read project config \"{}\": {}", path, why));
  }
  return parse_project_config(r->bytes, path);
}

std::optional<std::string> find_project_config(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) {
    return std::nullopt;
  }
  dir = dir.lexically_normal();
  if (!fs::is_directory(dir, ec)) {
    dir = dir.parent_path();
  }
  while (true) {
    const fs::path candidate = dir / k_project_config_name;
    if (fs::is_regular_file(candidate, ec)) {
      return candidate.string();
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) {
      return std::nullopt;
    }
    dir = dir.parent_path();
  }
}

}  // namespace pgl::lint
