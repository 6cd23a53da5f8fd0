// Shared by the parts of the diff (settings, hba, ident); not a public API.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "diff/diff.hpp"

namespace pgl::diff::detail {

// Collects findings and matrix rows while comparing.
class Collector {
 public:
  explicit Collector(const std::vector<Node>& nodes) : m_nodes(nodes) {}

  void report(model::DriftFact f) { m_facts.drift.push_back(std::move(f)); }

  // Cell `node` of row (kind, item). Cells start as `fallback` (what the primary has).
  void set_cell(const std::string& kind, const std::string& item, const std::string& fallback, std::size_t node,
                std::string text, bool marked);

  void ignore(Ignored i) { m_ignored.push_back(std::move(i)); }

  [[nodiscard]] const std::vector<Node>& nodes() const { return m_nodes; }
  [[nodiscard]] DiffResult finish();

 private:
  const std::vector<Node>& m_nodes;
  model::ClusterFacts m_facts;
  std::map<std::pair<std::string, std::string>, Row> m_rows;
  std::vector<Ignored> m_ignored;
};

// Whole-file location for a node's file (line 0), or its configuration directory.
[[nodiscard]] core::Span file_span(const std::string& path);
// The name shown for a node: `replica 'replica1'`.
[[nodiscard]] std::string describe(const Node& node);

void diff_settings(Collector& out, const DiffOptions& options);
void diff_hba(Collector& out);
void diff_ident(Collector& out);
void diff_tls(Collector& out);

}  // namespace pgl::diff::detail
