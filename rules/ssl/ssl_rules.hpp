// Factories of the ssl-* rules (one rule per rules/ssl/<id>.cpp), used by registry_ssl.cpp.
#pragma once

#include <memory>

#include "lint/rule.hpp"

namespace pgl::rules {
std::unique_ptr<lint::Rule> make_ssl_ca_file_missing();
std::unique_ptr<lint::Rule> make_ssl_cert_chain();
std::unique_ptr<lint::Rule> make_ssl_cert_expired();
std::unique_ptr<lint::Rule> make_ssl_cert_expiring();
std::unique_ptr<lint::Rule> make_ssl_cert_hostname();
std::unique_ptr<lint::Rule> make_ssl_cert_not_yet_valid();
std::unique_ptr<lint::Rule> make_ssl_cert_revoked();
std::unique_ptr<lint::Rule> make_ssl_cert_self_signed();
std::unique_ptr<lint::Rule> make_ssl_ciphers_no_forward_secrecy();
std::unique_ptr<lint::Rule> make_ssl_crl_expired();
std::unique_ptr<lint::Rule> make_ssl_disabled();
std::unique_ptr<lint::Rule> make_ssl_file_missing();
std::unique_ptr<lint::Rule> make_ssl_key_encrypted();
std::unique_ptr<lint::Rule> make_ssl_key_mismatch();
std::unique_ptr<lint::Rule> make_ssl_key_permissions();
std::unique_ptr<lint::Rule> make_ssl_prefer_server_ciphers_off();
std::unique_ptr<lint::Rule> make_ssl_weak_ciphers();
std::unique_ptr<lint::Rule> make_ssl_weak_ecdh_curve();
std::unique_ptr<lint::Rule> make_ssl_weak_key();
std::unique_ptr<lint::Rule> make_ssl_weak_protocol();
std::unique_ptr<lint::Rule> make_ssl_weak_signature();
}  // namespace pgl::rules
