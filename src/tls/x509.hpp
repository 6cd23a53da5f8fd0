// Offline inspection of TLS material (certificates, keys, CA bundles, CRLs) with OpenSSL 3.
//
// No OpenSSL type appears here: certificates, keys and CRLs are opaque handles whose
// plain-data description (CertInfo, KeyInfo, CrlInfo) is extracted once at load time.
// Files are only ever read; key material is never returned or printed.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace pgl::tls {

enum class KeyType { rsa, rsa_pss, ec, dsa, dh, ed25519, ed448, other };
[[nodiscard]] std::string_view to_string(KeyType t);

struct KeyInfo {
  KeyType type = KeyType::other;
  int bits = 0;                                // RSA modulus / EC order / DSA p size
  std::string curve;                           // EC curve name (e.g. prime256v1), else ""
  [[nodiscard]] std::string describe() const;  // e.g. "RSA 2048-bit", "EC prime256v1 (256-bit)"
};

// One subjectAltName entry, in certificate order.
struct SanEntry {
  enum class Kind { dns, ip, other };
  Kind kind = Kind::other;
  std::string text;              // DNS name, or printed IP address
  std::vector<std::uint8_t> ip;  // raw address bytes (4 or 16) for Kind::ip
};

struct CertInfo {
  std::string subject;  // one line, RFC 2253 order (e.g. "CN=db.example.com,O=Example")
  std::string issuer;
  std::optional<std::string> common_name;  // first CN of the subject
  std::vector<std::string> dns_names;      // SAN dNSName entries, in order
  std::vector<std::string> ip_names;       // SAN iPAddress entries, printed (192.0.2.1, 2001:db8::1)
  std::vector<SanEntry> sans;              // every SAN entry, in order
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  std::string serial;               // upper-case hex
  std::string signature_algorithm;  // e.g. sha256WithRSAEncryption, rsassaPss
  std::string signature_digest;     // digest of the signature: sha256, sha1, md5 ("" if none/unknown)
  KeyInfo key;
  bool self_signed = false;  // issuer == subject and the signature verifies with its own key
  bool is_ca = false;        // basicConstraints CA:TRUE
  // Short human name: CN if any, else the subject, else "(empty subject)".
  [[nodiscard]] std::string display_name() const;
};

struct CertImpl;
struct KeyImpl;
struct CrlImpl;

class Certificate {
 public:
  [[nodiscard]] const CertInfo& info() const;
  std::shared_ptr<const CertImpl> impl;
};

class PrivateKey {
 public:
  [[nodiscard]] const KeyInfo& info() const;
  std::shared_ptr<const KeyImpl> impl;
};

struct CrlInfo {
  std::string issuer;
  std::time_t last_update = 0;
  std::optional<std::time_t> next_update;
  std::vector<std::string> revoked_serials;  // upper-case hex
};

class Crl {
 public:
  [[nodiscard]] const CrlInfo& info() const;
  std::shared_ptr<const CrlImpl> impl;
};

// A PEM certificate block located in its file (for diagnostics).
struct PemCert {
  Certificate cert;
  std::uint32_t line = 0;  // line of its -----BEGIN ... CERTIFICATE----- (1-based; 0 if unknown)
};

// Reads a whole file (read-only). Error: `<strerror>` only (callers add the server's wording).
[[nodiscard]] Result<std::string> read_file(const std::string& path);
// Test seam: called with the path of every file read_file opens (nullptr: nothing).
using ReadObserver = void (*)(const std::string& path);
void set_read_observer(ReadObserver observer);

// Loads a PEM certificate chain (leaf first) as SSL_CTX_use_certificate_chain_file does.
// Error message: the OpenSSL reason the server would print (e.g. `no start line`,
// `No such file or directory`).
[[nodiscard]] Result<std::vector<PemCert>> load_cert_chain(const std::string& path);
[[nodiscard]] Result<std::vector<PemCert>> parse_cert_chain(std::string_view pem);

// Loads every certificate of a CA bundle (as SSL_CTX_load_verify_locations with a file).
[[nodiscard]] Result<std::vector<PemCert>> load_ca_bundle(const std::string& path);
[[nodiscard]] Result<std::vector<PemCert>> parse_ca_bundle(std::string_view pem);

enum class KeyFormat { pem, der, unknown };

struct KeyFile {
  KeyFormat format = KeyFormat::unknown;
  bool encrypted = false;         // passphrase needed (PEM Proc-Type or encrypted PKCS#8)
  std::optional<PrivateKey> key;  // set when loaded (unencrypted PEM, or DER for inspection)
  std::string error;              // why the server cannot load it ("" when it can)
};

// Loads a private key without ever prompting: a passphrase callback refuses, so an
// encrypted key is reported as encrypted. A DER key is inspected but flagged, since the
// server only loads PEM. Fails only when the file cannot be read at all.
[[nodiscard]] Result<KeyFile> load_private_key(const std::string& path);
[[nodiscard]] KeyFile parse_private_key(std::string_view bytes);

// CRLs: a PEM file with one or more CRLs, or a hashed directory (<hash>.r<n> files).
[[nodiscard]] Result<std::vector<Crl>> load_crl_file(const std::string& path);
[[nodiscard]] Result<std::vector<Crl>> parse_crls(std::string_view pem);
struct CrlDirEntry {
  std::string path;
  std::vector<Crl> crls;
  std::optional<std::string> error;
};
[[nodiscard]] Result<std::vector<CrlDirEntry>> load_crl_dir(const std::string& path);

// DH parameters (ssl_dh_params_file). Returns the prime size in bits.
[[nodiscard]] Result<int> load_dh_params(const std::string& path);
[[nodiscard]] Result<int> parse_dh_params(std::string_view pem);

// X509_check_private_key. Error: the OpenSSL reason (e.g. `key values mismatch`).
[[nodiscard]] Result<void> check_key_matches(const Certificate& cert, const PrivateKey& key);

// Verifies chain[0] against trusted roots (partial chains allowed, so a trusted
// intermediate is enough), with chain[1..] as untrusted intermediates, at time `now`.
// Validity-period errors are ignored (reported by the date rules). Error: the
// X509_verify_cert_error_string, with the depth and subject of the failing certificate.
[[nodiscard]] Result<void> verify_chain(const std::vector<Certificate>& chain, const std::vector<Certificate>& trusted,
                                        std::time_t now);

// True when the issuer of `cert` issued the CRL and lists its serial.
[[nodiscard]] bool is_revoked(const Certificate& cert, const Crl& crl);
// True when `crl` names `issuer` and its signature verifies with the issuer's key.
[[nodiscard]] bool crl_signed_by(const Crl& crl, const Certificate& issuer);
// True when `issuer` signed `cert` (names match and the signature verifies).
[[nodiscard]] bool issued_by(const Certificate& cert, const Certificate& issuer);

// libpq sslmode=verify-full host name check (fe-secure-common.c / fe-secure-openssl.c).
struct HostMatch {
  bool matches = false;
  std::vector<std::string> names_examined;  // certificate names compared, in libpq order
  // libpq's error text when there is no match, e.g.
  // `server certificate for "a" (and 1 other name) does not match host name "h"`.
  std::string message;
};
[[nodiscard]] HostMatch match_host(const CertInfo& cert, const std::string& host);
// Wildcard rule of libpq: `*.` prefix matches exactly one left-most label.
[[nodiscard]] bool libpq_name_matches(std::string_view cert_name, std::string_view host);

// Cipher string evaluation on a TLS 1.2 server context (SSL_CTX_set_cipher_list).
struct CipherInfo {
  std::string name;
  std::vector<std::string> weaknesses;  // e.g. "NULL encryption", "anonymous (aNULL)", "RC4"
};
[[nodiscard]] Result<std::vector<CipherInfo>> evaluate_cipher_list(const std::string& ciphers);

// ssl_min/max_protocol_version values, in any case: TLSv1 = 1 ... TLSv1.3 = 4; 0 for ''
// (no limit) or an unknown name.
[[nodiscard]] int protocol_rank(std::string_view version);

// UTC formatting: "2026-01-01 00:00:00 UTC".
[[nodiscard]] std::string format_utc(std::time_t t);
// Parses "2026-01-01T00:00:00Z" (or with a space) as UTC.
[[nodiscard]] std::optional<std::time_t> parse_utc(std::string_view text);

}  // namespace pgl::tls
