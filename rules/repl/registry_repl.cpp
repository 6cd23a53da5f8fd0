// Rules of this area, sorted by id, one line each.
#include "rules/registry.hpp"
#include "rules/repl/repl_rules.hpp"

namespace pgl::rules {

void add_repl_rules(RuleList& out) {
  out.push_back(make_repl_conninfo_invalid());
  out.push_back(make_repl_conninfo_password());
  out.push_back(make_repl_conninfo_sslmode());
  out.push_back(make_repl_conninfo_tls_file());
}

}  // namespace pgl::rules
