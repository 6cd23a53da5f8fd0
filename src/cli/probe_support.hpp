// What `pgconflint probe` and `check --cluster` (nodes with `probe = "host:port"`) share:
// running a probe and turning its report into the selected findings.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "lint/engine.hpp"
#include "model/config.hpp"
#include "probe/probe.hpp"

namespace pgl::cli {

struct ProbeRequest {
  probe::Options options;
  const model::Config* files = nullptr;  // the configuration the server should be running
  std::vector<std::string> ca_files;     // --ca (read here; unreadable: error)
};

struct ProbeOutcome {
  probe::Report report;
  std::vector<core::Diagnostic> diagnostics;  // selected, severities applied, sorted
  std::string chain_verdict;  // "verifies against ...", the verification error, or "" (no --ca / no chain)
};

// Runs the probe and its rules. Error: the server cannot be probed, or a --ca file cannot
// be read (the message names it).
[[nodiscard]] Result<ProbeOutcome> probe_server(const ProbeRequest& request, const lint::LintContext& ctx,
                                                const lint::RuleSelection& selection);

// `check --cluster`: probes a node's `probe = "host:port"` (default user, database and
// timeout) with its configuration as --config-dir; the selected findings.
[[nodiscard]] Result<std::vector<core::Diagnostic>> probe_node(const std::string& target, const model::Config& files,
                                                               const lint::LintContext& ctx,
                                                               const std::vector<std::string>& ca_files,
                                                               const lint::RuleSelection& selection);

// The facts of a report, as the text output shows them before the findings.
[[nodiscard]] std::string describe_report(const probe::Report& report, const ProbeOutcome& outcome, std::time_t now,
                                          const std::vector<std::string>& ca_files);

}  // namespace pgl::cli
