// Rules of this area, sorted by id, one line each.
#include "rules/probe/probe_rules.hpp"
#include "rules/registry.hpp"

namespace pgl::rules {

void add_probe_rules(RuleList& out) {
  out.push_back(make_probe_cert_differs_from_files());
  out.push_back(make_probe_old_protocol_accepted());
  out.push_back(make_probe_plaintext_accepted());
  out.push_back(make_probe_ssl_refused());
}

}  // namespace pgl::rules
