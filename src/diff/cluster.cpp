// cluster.toml: which directories make up a cluster.
#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "core/read_file.hpp"
#include "core/toml.hpp"
#include "diff/diff.hpp"
#include "load/loader.hpp"

namespace pgl::diff {

namespace {

namespace fs = std::filesystem;

Result<toml::table> parse_toml(const std::string& path) {
  auto text = core::read_file(path, core::ReadLimits{std::uint64_t{1024} * 1024});
  if (!text) {
    return fail(text.error().message);
  }
  try {
    return core::toml_parse(text->bytes, path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(fmt::format("{}:{}:{}: {}", path, where.line, where.column, e.description()));
  } catch (const core::TomlInternalError& e) {
    return fail(
        fmt::format("{}:{}: malformed TOML ({})", path, core::toml_internal_error_line(text->bytes, path), e.what()));
  }
}

std::string resolve(const fs::path& base, const std::string& p) {
  fs::path path(p);
  if (path.is_relative()) {
    path = base / path;
  }
  return path.lexically_normal().string();
}

Result<std::vector<std::string>> string_list(const toml::node_view<const toml::node>& node, const std::string& what) {
  std::vector<std::string> out;
  if (!node) {
    return out;
  }
  const auto* arr = node.as_array();
  if (arr == nullptr) {
    return fail(fmt::format("{} must be an array of strings", what));
  }
  for (const auto& el : *arr) {
    const auto s = el.value<std::string>();
    if (!s) {
      return fail(fmt::format("{} must be an array of strings", what));
    }
    out.push_back(*s);
  }
  return out;
}

}  // namespace

Result<std::vector<ClusterNode>> read_cluster_file(const std::string& path) {
  auto parsed = parse_toml(path);
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  const toml::table& t = *parsed;
  const fs::path base = fs::path(path).parent_path();
  const auto* nodes = t["node"].as_array();
  if (nodes == nullptr || nodes->empty()) {
    return fail(fmt::format("{}: no [[node]] tables", path));
  }
  std::vector<ClusterNode> out;
  int primaries = 0;
  for (std::size_t i = 0; i < nodes->size(); ++i) {
    const auto* node = nodes->get(i)->as_table();
    if (node == nullptr) {
      return fail(fmt::format("{}: node {} is not a table", path, i + 1));
    }
    ClusterNode n;
    n.name = (*node)["name"].value_or(fmt::format("node{}", i + 1));
    const auto role_value = (*node)["role"].value<std::string>();
    const std::string role = role_value.value_or(std::string("replica"));
    n.role_given = role_value.has_value();
    if (role == "primary") {
      n.role = Role::primary;
      ++primaries;
    } else if (role == "replica" || role == "standby") {
      n.role = Role::replica;
    } else {
      return fail(fmt::format("{}: node '{}': role must be primary, replica or standby, not '{}'", path, n.name, role));
    }
    const auto dir = (*node)["config_dir"].value<std::string>();
    if (!dir) {
      return fail(fmt::format("{}: node '{}' has no config_dir", path, n.name));
    }
    n.config_dir = resolve(base, *dir);
    if (auto dd = (*node)["data_dir"].value<std::string>()) {
      n.data_dir = resolve(base, *dd);
    }
    auto hosts = string_list((*node)["hosts"], fmt::format("{}: node '{}': hosts", path, n.name));
    if (!hosts) {
      return tl::unexpected(hosts.error());
    }
    n.hosts = std::move(*hosts);
    if (const auto& probe = (*node)["probe"]; probe) {
      if (!probe.is_string()) {
        return fail(fmt::format("{}: node '{}': probe must be a string \"host:port\"", path, n.name));
      }
      n.probe = *probe.value<std::string>();
    }
    out.push_back(std::move(n));
  }
  if (primaries > 1) {
    return fail(fmt::format("{}: at most one node may have role = \"primary\" (found {})", path, primaries));
  }
  std::stable_partition(out.begin(), out.end(), [](const ClusterNode& n) { return n.role == Role::primary; });
  return out;
}

std::vector<ClusterNode> nodes_from_paths(const std::vector<std::string>& paths) {
  std::vector<ClusterNode> out;
  std::set<std::string> seen;
  bool unique = true;
  for (const auto& p : paths) {
    std::string name = fs::path(p).lexically_normal().filename().string();
    if (name.empty()) {
      name = fs::path(p).lexically_normal().parent_path().filename().string();
    }
    unique = unique && !name.empty() && seen.insert(name).second;
    ClusterNode n;
    n.name = name;
    n.role = out.empty() ? Role::primary : Role::replica;
    n.config_dir = p;
    out.push_back(std::move(n));
  }
  if (!unique) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i].name = i == 0 ? "primary" : fmt::format("replica{}", i);
    }
  }
  return out;
}

namespace {

bool has_standby_signal(const model::Config& config) {
  if (config.data_dir.empty()) {
    return false;
  }
  std::error_code ec;
  return fs::exists(fs::path(config.data_dir) / "standby.signal", ec);
}

}  // namespace

void assign_standby(std::vector<Node>& nodes, const std::vector<bool>& given) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i < given.size() && given[i]) {
      continue;
    }
    nodes[i].standby = has_standby_signal(nodes[i].config) || i > 0;
  }
}

Result<std::vector<Node>> load_nodes(const std::vector<ClusterNode>& members, const model::LoadOptions& base) {
  std::vector<Node> nodes;
  nodes.reserve(members.size());
  std::vector<bool> given;
  for (const auto& m : members) {
    model::LoadOptions lo = base;
    lo.paths = {m.config_dir};
    lo.data_dir = m.data_dir;
    auto loaded = load::load_config(lo);
    if (!loaded) {
      return fail(fmt::format("node '{}': {}", m.name, loaded.error().message));
    }
    // standby is kept when a role was given
    nodes.push_back(Node{m.name, m.role, std::move(*loaded), m.hosts, m.role_given && m.role != Role::primary});
    given.push_back(m.role_given);
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].role = i == 0 ? Role::primary : Role::replica;
  }
  assign_standby(nodes, given);
  return nodes;
}

}  // namespace pgl::diff
