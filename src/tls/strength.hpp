// Strength of certificate keys and signatures, shared by the ssl-* rules (files) and
// `pgconflint probe` (the chain a running server presents).
#pragma once

#include <string>

#include "tls/x509.hpp"

namespace pgl::tls {

// Why a certificate key is too weak for TLS ("" when it is not): RSA below 2048 bits,
// EC below 256 bits, DSA at any size.
[[nodiscard]] std::string weak_key_reason(const KeyInfo& key);

// True when the certificate is signed with a broken digest (MD2, MD4, MD5, SHA-1).
// Self-signed certificates are never weak here: a trust anchor's signature is not checked.
[[nodiscard]] bool weak_signature(const CertInfo& cert);

// "SHA-1" or "MD5" (the family of a weak digest, for messages).
[[nodiscard]] std::string weak_digest_name(const CertInfo& cert);

}  // namespace pgl::tls
