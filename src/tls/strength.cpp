#include "tls/strength.hpp"

namespace pgl::tls {

std::string weak_key_reason(const KeyInfo& key) {
  if ((key.type == KeyType::rsa || key.type == KeyType::rsa_pss) && key.bits < 2048) {
    return "RSA keys need at least 2048 bits";
  }
  if (key.type == KeyType::ec && key.bits < 256) {
    return "EC keys need at least 256 bits";
  }
  if (key.type == KeyType::dsa) {
    return "DSA is deprecated for TLS and unsupported by TLS 1.3";
  }
  return {};
}

bool weak_signature(const CertInfo& cert) {
  if (cert.self_signed) {
    return false;
  }
  const auto& d = cert.signature_digest;
  return d == "md5" || d == "sha1" || d == "md4" || d == "md2";
}

std::string weak_digest_name(const CertInfo& cert) {
  return cert.signature_digest == "sha1" ? "SHA-1" : "MD5";
}

}  // namespace pgl::tls
