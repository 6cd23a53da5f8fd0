// Rules of this area, sorted by id, one line each.
#include "rules/hba/hba_util.hpp"
#include "rules/registry.hpp"

namespace pgl::rules {

void add_hba_rules(RuleList& out) {
  out.push_back(make_hba_address_leading_zero());
  out.push_back(make_hba_all_names());
  out.push_back(make_hba_broad_line_first());
  out.push_back(make_hba_broad_network());
  out.push_back(make_hba_cert_without_ca());
  out.push_back(make_hba_cleartext_password());
  out.push_back(make_hba_host_bits_set());
  out.push_back(make_hba_host_not_ssl());
  out.push_back(make_hba_hostname_address());
  out.push_back(make_hba_hostnossl_allows());
  out.push_back(make_hba_hostssl_while_ssl_off());
  out.push_back(make_hba_ident_map_missing());
  out.push_back(make_hba_ident_over_tcp());
  out.push_back(make_hba_invalid_line());
  out.push_back(make_hba_ldap_cleartext());
  out.push_back(make_hba_local_not_peer());
  out.push_back(make_hba_md5());
  out.push_back(make_hba_network_all_names());
  out.push_back(make_hba_regex_unanchored());
  out.push_back(make_hba_regex_unescaped_dot());
  out.push_back(make_hba_replication_not_ssl());
  out.push_back(make_hba_superuser_from_network());
  out.push_back(make_hba_template_syntax());
  out.push_back(make_hba_trust_local());
  out.push_back(make_hba_trust_over_network());
  out.push_back(make_hba_unreachable_line());
  out.push_back(make_hba_weaker_method_first());
  out.push_back(make_ident_invalid_line());
  out.push_back(make_ident_line_misread());
  out.push_back(make_ident_placeholder_name());
  out.push_back(make_ident_regex_unanchored());
  out.push_back(make_ident_regex_unescaped_dot());
}

}  // namespace pgl::rules
