// Facts of comparing several nodes (src/diff produces them, the drift-* rules in
// rules/drift turn them into findings). A fact says what differs and where, in words; it
// has no rule id and no severity: those belong to the rule.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace pgl::model {

enum class DriftKind {
  hba,                // pg_hba.conf differs, not weaker (drift-hba)
  ident,              // pg_ident.conf mappings differ (drift-ident)
  setting,            // a parameter differs (drift-setting)
  standby_too_small,  // a standby's max_* below the primary's (drift-standby-too-small)
  tls,                // TLS material differs (drift-tls)
  weaker_security,    // a replica accepts what the primary refuses (drift-weaker-security)
};

struct DriftFact {
  DriftKind kind = DriftKind::setting;
  core::Span span;  // on the replica (line 0: its whole file)
  std::string message;
  std::string help;
  std::vector<core::Related> related;  // usually the primary's line
};

struct ClusterFacts {
  std::vector<DriftFact> drift;
};

}  // namespace pgl::model
