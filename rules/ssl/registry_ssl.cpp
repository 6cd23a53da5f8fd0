// Rules of this area, sorted by id, one line each.
#include "rules/registry.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

void add_ssl_rules(RuleList& out) {
  out.push_back(make_ssl_ca_file_missing());
  out.push_back(make_ssl_cert_chain());
  out.push_back(make_ssl_cert_expired());
  out.push_back(make_ssl_cert_expiring());
  out.push_back(make_ssl_cert_hostname());
  out.push_back(make_ssl_cert_not_yet_valid());
  out.push_back(make_ssl_cert_revoked());
  out.push_back(make_ssl_cert_self_signed());
  out.push_back(make_ssl_ciphers_no_forward_secrecy());
  out.push_back(make_ssl_crl_expired());
  out.push_back(make_ssl_disabled());
  out.push_back(make_ssl_file_missing());
  out.push_back(make_ssl_key_encrypted());
  out.push_back(make_ssl_key_mismatch());
  out.push_back(make_ssl_key_permissions());
  out.push_back(make_ssl_prefer_server_ciphers_off());
  out.push_back(make_ssl_weak_ciphers());
  out.push_back(make_ssl_weak_ecdh_curve());
  out.push_back(make_ssl_weak_key());
  out.push_back(make_ssl_weak_protocol());
  out.push_back(make_ssl_weak_signature());
}

}  // namespace pgl::rules
