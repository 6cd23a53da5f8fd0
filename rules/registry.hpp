#pragma once

#include <memory>
#include <vector>

#include "lint/rule.hpp"

namespace pgl::rules {
using RuleList = std::vector<std::unique_ptr<lint::Rule>>;
void add_conf_rules(RuleList& out);   // rules/conf/registry_conf.cpp
void add_drift_rules(RuleList& out);  // rules/drift/registry_drift.cpp
void add_hba_rules(RuleList& out);    // rules/hba/registry_hba.cpp (also ident-*)
void add_lint_rules(RuleList& out);   // rules/lint/registry_lint.cpp
void add_probe_rules(RuleList& out);  // rules/probe/registry_probe.cpp (live: pgconflint probe)
void add_repl_rules(RuleList& out);   // rules/repl/registry_repl.cpp
void add_ssl_rules(RuleList& out);    // rules/ssl/registry_ssl.cpp
}  // namespace pgl::rules
