#include "diff/diff.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "diff/diff_internal.hpp"
#include "lint/engine.hpp"

namespace pgl::diff {

std::string_view to_string(IgnoreClass c) {
  switch (c) {
    case IgnoreClass::none: return "compared";
    case IgnoreClass::replication: return "replication";
    case IgnoreClass::identity: return "identity";
    case IgnoreClass::sizing: return "sizing";
    case IgnoreClass::user: return "configured";
  }
  return "compared";
}

namespace detail {

void Collector::set_cell(const std::string& kind, const std::string& item, const std::string& fallback,
                         std::size_t node, std::string text, bool marked) {
  auto key = std::make_pair(kind, item);
  auto it = m_rows.find(key);
  if (it == m_rows.end()) {
    Row row{kind, item, std::vector<Cell>(m_nodes.size(), Cell{fallback, false})};
    it = m_rows.emplace(std::move(key), std::move(row)).first;
  }
  if (node < it->second.cells.size()) {
    it->second.cells[node] = Cell{std::move(text), marked};
  }
}

DiffResult Collector::finish() {
  DiffResult r;
  for (const auto& n : m_nodes) {
    r.node_names.push_back(n.name);
  }
  r.facts = std::move(m_facts);
  r.diagnostics = lint::cluster_findings(r.facts);
  // Settings first, then hba, then ident, each sorted by item (the map order within a kind).
  auto rank = [](const std::string& kind) {
    return kind == "setting" ? 0 : kind == "hba" ? 1 : kind == "ident" ? 2 : kind == "tls" ? 3 : 4;
  };
  for (auto& [key, row] : m_rows) {
    r.rows.push_back(std::move(row));
  }
  std::stable_sort(r.rows.begin(), r.rows.end(),
                   [&](const Row& a, const Row& b) { return rank(a.kind) < rank(b.kind); });
  r.ignored = std::move(m_ignored);
  std::sort(r.ignored.begin(), r.ignored.end(), [](const Ignored& a, const Ignored& b) { return a.name < b.name; });
  return r;
}

core::Span file_span(const std::string& path) {
  return core::Span{core::Location{path, 0, 0}, 0, 0};
}

std::string describe(const Node& node) {
  return fmt::format("{} '{}'", node.role == Role::primary ? "primary" : "replica", node.name);
}

}  // namespace detail

DiffResult diff_nodes(const std::vector<Node>& nodes, const DiffOptions& options) {
  detail::Collector out(nodes);
  if (nodes.size() >= 2) {
    detail::diff_settings(out, options);
    detail::diff_hba(out);
    detail::diff_ident(out);
    detail::diff_tls(out);
  }
  return out.finish();
}

}  // namespace pgl::diff
