// cluster.toml: which directories make up a cluster.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "diff/diff.hpp"

namespace pgl::diff {

namespace {

namespace fs = std::filesystem;

Result<toml::table> parse_toml(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return fail(fmt::format("cannot read \"{}\": no such file", path));
  }
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(fmt::format("{}:{}:{}: {}", path, where.line, where.column, e.description()));
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
    const std::string role = (*node)["role"].value_or(std::string("replica"));
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
    out.push_back(std::move(n));
  }
  if (primaries != 1) {
    return fail(fmt::format("{}: exactly one node must have role = \"primary\" (found {})", path, primaries));
  }
  std::stable_partition(out.begin(), out.end(), [](const ClusterNode& n) { return n.role == Role::primary; });
  return out;
}

}  // namespace pgl::diff
