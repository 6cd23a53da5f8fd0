// `pgconflint diff`: compares a primary's configuration with its replicas', from files alone.
//
// Settings are compared by meaning (normalized values, a default spelled out equals an
// unset parameter), pg_hba.conf by first-match semantics (reordering lines that cannot
// match the same connection differently is not drift), pg_ident.conf as sets of mappings.
// The comparison produces facts (model::DriftFact: what differs, where); the drift-* rules
// (rules/drift) turn them into findings like any other rule's, and the lint engine applies
// suppressions, severity overrides and --fail-on to them as to every finding; the matrix (one row per differing item,
// one column per node) feeds the table and markdown renderers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "model/config.hpp"
#include "model/drift.hpp"

namespace pgl::lint {
struct ProjectConfig;
}

namespace pgl::diff {

enum class Role { primary, replica };

// Role::primary is the node the others are compared with (nodes[0]). `standby` says whether
// a node runs as a physical standby (see assign_standby): drift-standby-too-small applies
// to standbys of a reference node that is not itself a standby.
struct Node {
  std::string name;  // "primary", "replica1", or the name given in cluster.toml
  Role role = Role::replica;
  model::Config config;
  std::vector<std::string> hosts;  // from cluster.toml, informational
  std::optional<bool> standby;     // runs as a physical standby; unset: replicas are, the primary is not
  [[nodiscard]] bool is_standby() const { return standby.value_or(role == Role::replica); }
};

// Classes of parameters expected to differ per node.
enum class IgnoreClass { none, replication, identity, sizing, user };

[[nodiscard]] std::string_view to_string(IgnoreClass c);

struct DiffOptions {
  bool allow_sizing = false;        // also ignore memory and worker sizing
  std::vector<std::string> ignore;  // extra parameter names / globs (`log_*`) / class names
  std::vector<std::string> add;     // parameters compared even though a class ignores them
};

// One cell of the matrix: what a node has for an item.
struct Cell {
  std::string text;     // e.g. "128MB", "default (8MB)", "md5", "-" (absent)
  bool marked = false;  // differs from the primary
};

struct Row {
  std::string kind;         // "setting", "hba", "ident"
  std::string item;         // parameter name, hba selector, ident mapping
  std::vector<Cell> cells;  // one per node, in node order
};

struct Ignored {
  std::string name;
  IgnoreClass reason = IgnoreClass::none;
  std::vector<std::string> values;  // one per node
};

struct DiffResult {
  std::vector<std::string> node_names;
  model::ClusterFacts facts;  // what differs (input of the drift-* rules)
  // The drift rules' findings over `facts` at their default severities, sorted
  // (core::diagnostic_less); no suppression or override applied (lint::finish does that).
  std::vector<core::Diagnostic> diagnostics;
  std::vector<Row> rows;         // sorted by kind then item
  std::vector<Ignored> ignored;  // differences left out by class, sorted by name
};

// nodes[0] must be the primary. Never throws on bad input; nodes whose files failed to
// parse are compared on what was read.
[[nodiscard]] DiffResult diff_nodes(const std::vector<Node>& nodes, const DiffOptions& options);

// [diff] of .pgconflint.toml: ignore = [...], add = [...], allow_sizing = true|false.
// Unknown keys and wrong types fail with "<file>:<line>: ...".
[[nodiscard]] Result<void> apply_project_options(const lint::ProjectConfig& project, DiffOptions& options);

// Which class ignores a parameter (canonical name) under these options; none = compared.
[[nodiscard]] IgnoreClass ignore_class(std::string_view name, const DiffOptions& options);

// Canonical value of a parameter for comparison: value as the server would store it
// (booleans on/off, numbers in the base unit, enums in their canonical spelling).
// Unknown parameters and rejected values come back unchanged.
[[nodiscard]] std::string normalize_setting(int pg_version, std::string_view name, std::string_view value);

// Canonical form of a list-valued parameter (GUC_LIST_INPUT): elements split on commas,
// blanks trimmed, unquoted identifiers folded for search_path/temp_tablespaces, sorted
// and deduplicated unless the order matters (search_path, *_preload_libraries,
// synchronous_standby_names). Elements joined with ", ".
[[nodiscard]] std::string normalize_list(std::string_view name, std::string_view value);

// Authentication method strength, higher is stronger (reject is the strongest).
[[nodiscard]] int auth_method_rank(std::string_view method);

// --- cluster description and configuration

struct ClusterNode {
  std::string name;
  Role role = Role::replica;
  bool role_given = false;              // cluster.toml sets role explicitly
  std::string config_dir;               // absolute or relative to the toml's directory, resolved
  std::optional<std::string> data_dir;  // resolved
  std::vector<std::string> hosts;
  std::optional<std::string> probe;  // "host:port" of the running node (`check --cluster` probes it)
};

// Reads cluster.toml: [[node]] name, role ("primary"/"replica"/"standby", optional),
// config_dir, data_dir, hosts, probe. At most one explicit primary, which comes first; without one,
// the first node is the reference. Paths are relative to the toml file.
[[nodiscard]] Result<std::vector<ClusterNode>> read_cluster_file(const std::string& path);

// Members named after command-line directories: directory names when unique, else
// primary/replicaN. The first is the primary.
[[nodiscard]] std::vector<ClusterNode> nodes_from_paths(const std::vector<std::string>& paths);

// Loads every member with load::load_config (`base` gives pg_version and root; paths and
// data_dir come from the member), then decides Node::standby: the role given in
// cluster.toml, else standby.signal in the node's data directory (recovery.signal is
// targeted recovery, not a standby), else position (every node after the first). nodes[0]
// is the reference (Role::primary) even when it turns out to be a standby itself.
// Error: the first node that cannot be loaded, as "node 'NAME': message".
[[nodiscard]] Result<std::vector<Node>> load_nodes(const std::vector<ClusterNode>& members,
                                                   const model::LoadOptions& base);

// Sets Node::standby from standby.signal and position, as load_nodes does (for nodes built
// by other means). `given[i]` true keeps nodes[i].standby as it is.
void assign_standby(std::vector<Node>& nodes, const std::vector<bool>& given = {});

// --- matrix renderers (src/diff/render_*.cpp)

// Plain-text matrix, wrapped to fit `width` columns; differing cells end with `*`.
[[nodiscard]] std::string render_table(const DiffResult& result, std::size_t width = 80);
// GitHub-flavoured Markdown table; differing cells are bold and end with `*`.
[[nodiscard]] std::string render_markdown(const DiffResult& result);

}  // namespace pgl::diff
