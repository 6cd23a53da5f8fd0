#include "lint/project_config.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/read_file.hpp"
#include "core/toml.hpp"
#include "parse/parse.hpp"

namespace pgl::lint {

namespace {

namespace fs = std::filesystem;

// Reads the tables of a parsed file, collecting every error (file:line:column: message)
// instead of stopping at the first.
class Reader {
 public:
  Reader(const std::string& path, const std::vector<RuleMeta>& rules) : m_path(path), m_rules(rules) {
    for (const auto& r : m_rules) {
      m_ids.push_back(r.id);
    }
  }

  void error(const toml::source_region& where, std::string_view message) {
    m_errors.push_back({where.begin.line, where.begin.column,
                        fmt::format("{}:{}:{}: {}", m_path, where.begin.line, where.begin.column, message)});
  }
  void error(const toml::node& node, std::string_view message) { error(node.source(), message); }

  std::optional<std::string> string(const toml::node& node, std::string_view key) {
    if (const auto* s = node.as_string()) {
      return std::string(s->get());
    }
    error(node, fmt::format("'{}' must be a string", key));
    return std::nullopt;
  }

  std::optional<long long> integer(const toml::node& node, std::string_view key, long long lo, long long hi) {
    const auto* i = node.as_integer();
    if (i == nullptr) {
      error(node, fmt::format("'{}' must be an integer", key));
      return std::nullopt;
    }
    if (i->get() < lo || i->get() > hi) {
      error(node, fmt::format("'{}' must be between {} and {} (is {})", key, lo, hi, i->get()));
      return std::nullopt;
    }
    return i->get();
  }

  std::optional<bool> boolean(const toml::node& node, std::string_view key) {
    if (const auto* b = node.as_boolean()) {
      return b->get();
    }
    error(node, fmt::format("'{}' must be true or false", key));
    return std::nullopt;
  }

  // An array of strings; an item that is not a string is an error of its own (and left out).
  std::optional<std::vector<std::string>> string_list(const toml::node& node, std::string_view key,
                                                      std::string_view what = "an array of strings") {
    const auto* arr = node.as_array();
    if (arr == nullptr) {
      error(node, fmt::format("'{}' must be {}", key, what));
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const auto& item : *arr) {
      if (const auto* s = item.as_string()) {
        out.emplace_back(s->get());
      } else {
        error(item, fmt::format("'{}' must be {}", key, what));
        ok = false;
      }
    }
    return ok ? std::optional(std::move(out)) : std::nullopt;
  }

  const RuleMeta* rule(const toml::source_region& where, const std::string& id) {
    for (const auto& r : m_rules) {
      if (r.id == id) {
        return &r;
      }
    }
    std::string msg = fmt::format("unknown rule id '{}'", id);
    if (auto s = suggest_rule_id(id, m_ids)) {
      msg += fmt::format(" (did you mean '{}'?)", *s);
    }
    error(where, msg);
    return nullptr;
  }

  // enable = [...], disable = [...]: every unknown id is reported; the known ones are kept.
  std::optional<std::vector<std::string>> rule_list(const toml::node& node, std::string_view key) {
    auto list = string_list(node, key, "an array of rule ids");
    if (!list) {
      return list;
    }
    const auto& arr = *node.as_array();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (rule(arr.get(i)->source(), (*list)[i]) != nullptr) {
        out.push_back((*list)[i]);
      }
    }
    return out;
  }

  // Scalar or array of scalars, as strings (the [diff] table).
  std::optional<ProjectValue> value(const toml::node& node, std::string_view key) {
    ProjectValue out;
    out.line = node.source().begin.line;
    auto scalar = [&](const toml::node& n) -> std::optional<std::string> {
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
      error(n, fmt::format("'{}' must be a string, number, boolean or an array of them", key));
      return std::nullopt;
    };
    if (const auto* arr = node.as_array()) {
      out.is_array = true;
      for (const auto& item : *arr) {
        auto s = scalar(item);
        if (!s) {
          return std::nullopt;
        }
        out.values.push_back(std::move(*s));
      }
      return out;
    }
    auto s = scalar(node);
    if (!s) {
      return std::nullopt;
    }
    out.values.push_back(std::move(*s));
    return out;
  }

  // One option of a rule, validated against its declaration.
  std::optional<OptionValue> option(const RuleMeta& rule, const RuleOption& decl, const toml::node& node) {
    const std::string key = fmt::format("{}.{}", rule.id, decl.name);
    OptionValue out;
    switch (decl.type) {
      case OptionType::string: {
        auto v = string(node, key);
        if (!v) {
          return std::nullopt;
        }
        out.strings.push_back(std::move(*v));
        return out;
      }
      case OptionType::string_list: {
        auto v = string_list(node, key);
        if (!v) {
          return std::nullopt;
        }
        out.strings = std::move(*v);
        return out;
      }
      case OptionType::integer: {
        auto v = integer(node, key, decl.min, decl.max);
        if (!v) {
          return std::nullopt;
        }
        out.integer = *v;
        return out;
      }
      case OptionType::boolean: {
        auto v = boolean(node, key);
        if (!v) {
          return std::nullopt;
        }
        out.boolean = *v;
        return out;
      }
      case OptionType::choice: {
        auto v = string(node, key);
        if (!v) {
          return std::nullopt;
        }
        const std::vector<std::string_view> choices(decl.choices.begin(), decl.choices.end());
        if (std::find(choices.begin(), choices.end(), *v) == choices.end()) {
          std::string msg = fmt::format("'{}' must be one of {} (is '{}')", key, fmt::join(choices, ", "), *v);
          if (auto s = suggest_rule_id(*v, choices)) {
            msg += fmt::format(": did you mean '{}'?", *s);
          }
          error(node, msg);
          return std::nullopt;
        }
        out.strings.push_back(std::move(*v));
        return out;
      }
      case OptionType::network_list: {
        const auto* arr = node.as_array();
        if (arr == nullptr) {
          error(node, fmt::format("'{}' must be an array of CIDRs (e.g. [\"10.0.0.0/8\"])", key));
          return std::nullopt;
        }
        bool ok = true;
        for (const auto& item : *arr) {
          const auto* s = item.as_string();
          if (s == nullptr) {
            error(item, fmt::format("'{}' must be an array of CIDRs (e.g. [\"10.0.0.0/8\"])", key));
            ok = false;
            continue;
          }
          auto net = parse::parse_hba_network(std::string(s->get()));
          if (!net) {
            error(item, fmt::format("'{}': {}", key, net.error().message));
            ok = false;
            continue;
          }
          out.networks.push_back(*net);
          out.strings.emplace_back(s->get());
        }
        return ok ? std::optional(std::move(out)) : std::nullopt;
      }
    }
    return std::nullopt;
  }

  void rule_options(const RuleMeta& rule, const toml::node& node, ProjectConfig& cfg) {
    const auto* opts = node.as_table();
    if (opts == nullptr) {
      error(node, fmt::format("'rules.\"{}\"' must be a table of options ([rules.\"{}\"])", rule.id, rule.id));
      return;
    }
    for (const auto& [ok, onode] : *opts) {
      const std::string name(ok.str());
      const RuleOption* decl = nullptr;
      for (const auto& o : rule.options) {
        if (o.name == name) {
          decl = &o;
        }
      }
      if (decl == nullptr) {
        std::vector<std::string_view> names;
        for (const auto& o : rule.options) {
          names.push_back(o.name);
        }
        std::string msg;
        if (names.empty()) {
          msg = fmt::format("unknown option '{}': rule {} has no options", name, rule.id);
        } else if (auto s = suggest_rule_id(name, names)) {
          msg = fmt::format("unknown option '{}' of rule {} (did you mean '{}'?)", name, rule.id, *s);
        } else {
          msg = fmt::format("unknown option '{}' of rule {} (its options: {})", name, rule.id, fmt::join(names, ", "));
        }
        error(ok.source(), msg);
        continue;
      }
      if (auto v = option(rule, *decl, onode)) {
        cfg.options[fmt::format("{}.{}", rule.id, name)] = std::move(*v);
      }
    }
  }

  // In the order of the file (tables are read in key order).
  [[nodiscard]] std::vector<std::string> errors() const {
    auto sorted = m_errors;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Located& a, const Located& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    std::vector<std::string> out;
    out.reserve(sorted.size());
    for (auto& e : sorted) {
      out.push_back(std::move(e.text));
    }
    return out;
  }

 private:
  struct Located {
    toml::source_index line;
    toml::source_index column;
    std::string text;
  };
  std::string m_path;
  const std::vector<RuleMeta>& m_rules;
  std::vector<std::string_view> m_ids;
  std::vector<Located> m_errors;
};

constexpr std::string_view k_keys_help =
    "known keys: pg_version, profile, fail_on, enable, disable, expiry_days, hosts, server_user, repo, rule_url, "
    "[severity], [rules.\"ID\"], [diff]";

// [severity]: "rule-id" = "error|warning|note".
void read_severity(const toml::node& node, Reader& rd, ProjectConfig& cfg) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    rd.error(node, "'severity' must be a table of \"rule-id\" = \"error|warning|note\"");
    return;
  }
  for (const auto& [rk, rnode] : *table) {
    const std::string id(rk.str());
    const bool known = rd.rule(rk.source(), id) != nullptr;
    auto v = rd.string(rnode, id);
    if (!v) {
      continue;
    }
    auto sev = core::severity_from_string(*v);
    if (!sev) {
      rd.error(rnode, fmt::format("unknown severity '{}' for '{}' (expected error, warning or note)", *v, id));
    } else if (known) {
      cfg.severity[id] = *sev;
    }
  }
}

// [rules."rule-id"]: the options of each rule.
void read_rules(const toml::node& node, Reader& rd, ProjectConfig& cfg) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    rd.error(node, "'rules' must be a table of [rules.\"rule-id\"] tables");
    return;
  }
  for (const auto& [rk, rnode] : *table) {
    if (const RuleMeta* rule = rd.rule(rk.source(), std::string(rk.str()))) {
      rd.rule_options(*rule, rnode, cfg);
    }
  }
}

// [diff]: ignore, add, allow_sizing.
void read_diff(const toml::node& node, Reader& rd, ProjectConfig& cfg) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    rd.error(node, "'diff' must be a table");
    return;
  }
  static const std::vector<std::string_view> k_diff_keys = {"ignore", "add", "allow_sizing"};
  for (const auto& [dk, dnode] : *table) {
    const std::string dkey(dk.str());
    if (std::find(k_diff_keys.begin(), k_diff_keys.end(), dkey) == k_diff_keys.end()) {
      std::string msg = fmt::format("unknown key 'diff.{}'", dkey);
      if (auto s = suggest_rule_id(dkey, k_diff_keys)) {
        msg += fmt::format(" (did you mean 'diff.{}'?)", *s);
      } else {
        msg += " (expected ignore, add or allow_sizing)";
      }
      rd.error(dk.source(), msg);
      continue;
    }
    if (dkey == "allow_sizing") {
      if (!rd.boolean(dnode, "diff.allow_sizing")) {
        continue;
      }
    } else if (!rd.string_list(dnode, fmt::format("diff.{}", dkey))) {
      continue;
    }
    auto v = rd.value(dnode, dkey);
    if (!v) {
      continue;
    }
    if (dkey == "ignore") {
      cfg.diff_ignore = v->values;
    }
    cfg.diff[dkey] = std::move(*v);
  }
}

void unknown_key(const toml::key& k, Reader& rd) {
  static const std::vector<std::string_view> k_keys = {"pg_version",  "profile", "fail_on", "enable",      "disable",
                                                       "expiry_days", "hosts",   "repo",    "server_user", "rule_url",
                                                       "severity",    "rules",   "diff"};
  const std::string key(k.str());
  std::string msg = fmt::format("unknown key '{}'", key);
  if (auto s = suggest_rule_id(key, k_keys)) {
    msg += fmt::format(" (did you mean '{}'?)", *s);
  } else {
    msg += fmt::format(" ({})", k_keys_help);
  }
  rd.error(k.source(), msg);
}

// The keys of the top level that are one value each. False for any other key.
bool read_scalar_key(const std::string& key, const toml::node& node, Reader& rd, ProjectConfig& cfg) {
  if (key == "pg_version") {
    if (auto v = rd.integer(node, key, 12, 18)) {
      cfg.pg_version = static_cast<int>(*v);
    }
  } else if (key == "profile") {
    if (auto v = rd.string(node, key)) {
      cfg.profile = profile_from_string(*v);
      if (!cfg.profile) {
        rd.error(node, fmt::format("unknown profile '{}' (expected default, strict or cis)", *v));
      }
    }
  } else if (key == "fail_on") {
    if (auto v = rd.string(node, key)) {
      cfg.fail_on = fail_on_from_string(*v);
      if (!cfg.fail_on) {
        rd.error(node, fmt::format("unknown fail_on '{}' (expected error, warning, note or never)", *v));
      }
    }
  } else if (key == "enable" || key == "disable") {
    if (auto v = rd.rule_list(node, key)) {
      (key == "enable" ? cfg.enable : cfg.disable) = std::move(*v);
    }
  } else if (key == "expiry_days") {
    if (auto v = rd.integer(node, key, 0, 36500)) {
      cfg.expiry_days = static_cast<int>(*v);
    }
  } else if (key == "hosts") {
    if (auto v = rd.string_list(node, key)) {
      cfg.hosts = std::move(*v);
    }
  } else if (key == "repo") {
    cfg.repo = rd.boolean(node, key);
  } else if (key == "server_user") {
    cfg.server_user = rd.string(node, key);
  } else if (key == "rule_url") {
    cfg.rule_url = rd.string(node, key);
  } else {
    return false;
  }
  return true;
}

void read_root(const toml::table& root, Reader& rd, ProjectConfig& cfg) {
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    if (read_scalar_key(key, node, rd, cfg)) {
      continue;
    }
    if (key == "severity") {
      read_severity(node, rd, cfg);
    } else if (key == "rules") {
      read_rules(node, rd, cfg);
    } else if (key == "diff") {
      read_diff(node, rd, cfg);
    } else {
      unknown_key(k, rd);
    }
  }
}

}  // namespace

Result<ProjectConfig> parse_project_config(std::string_view text, const std::string& path,
                                           const std::vector<std::string_view>& known_ids) {
  std::vector<RuleMeta> rules;
  if (known_ids.empty()) {
    for (const auto& r : registry()) {
      rules.push_back(r->meta());
    }
  } else {
    for (const auto id : known_ids) {
      const Rule* r = find_rule(id);
      rules.push_back(r != nullptr ? r->meta() : RuleMeta{id, "", core::Severity::note});
    }
  }
  return parse_project_config(text, path, rules);
}

Result<ProjectConfig> parse_project_config(std::string_view text, const std::string& path,
                                           const std::vector<RuleMeta>& rules) {
  toml::table root;
  try {
    root = core::toml_parse(text, path);
  } catch (const toml::parse_error& e) {
    return fail(fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column, e.description()));
  } catch (const core::TomlInternalError& e) {
    // The parser stopped at one of its own checks: a malformed file it has no message
    // for. The line is the first whose prefix of the file stops it the same way.
    return fail(fmt::format("{}:{}: malformed TOML ({})", path, core::toml_internal_error_line(text, path), e.what()));
  }
  ProjectConfig cfg;
  cfg.path = path;
  cfg.text = std::string(text);
  Reader rd(path, rules);
  read_root(root, rd, cfg);
  const auto errors = rd.errors();
  if (errors.size() == 1) {
    return fail(errors.front());
  }
  if (!errors.empty()) {
    // One line per error, in the order of the file, after a line that counts them.
    return fail(fmt::format("{}: {} errors\n{}", path, errors.size(), fmt::join(errors, "\n")));
  }
  return cfg;
}

Result<ProjectConfig> load_project_config(const std::string& path) {
  // core::read_file: a FIFO, a device or /dev/zero is refused, never read.
  auto r = core::read_file(path, core::ReadLimits{std::uint64_t{1024} * 1024});
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
