// Test helper: generates keys, certificates and CRLs with chosen names, dates, key
// sizes and signatures, so that no committed test material can expire by itself.
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace pgl::tls::testutil {

struct KeyData;
struct CertData;

class TestKey {
 public:
  [[nodiscard]] std::string pem() const;                                     // unencrypted PKCS#8 PEM
  [[nodiscard]] std::string traditional_pem() const;                         // "BEGIN RSA PRIVATE KEY" style
  [[nodiscard]] std::string encrypted_pem(const std::string& pass) const;    // Proc-Type: 4,ENCRYPTED
  [[nodiscard]] std::string encrypted_pkcs8(const std::string& pass) const;  // BEGIN ENCRYPTED PRIVATE KEY
  [[nodiscard]] std::string der() const;                                     // unencrypted DER
  [[nodiscard]] std::string encrypted_der(const std::string& pass) const;    // encrypted PKCS#8 DER
  std::shared_ptr<KeyData> data;
};

[[nodiscard]] TestKey rsa_key(int bits);  // cached per size: generated once per test run
[[nodiscard]] TestKey ec_key(const std::string& curve = "prime256v1");
[[nodiscard]] TestKey rsa_pss_key(int bits);
[[nodiscard]] TestKey dsa_key(int bits);

struct CertSpec {
  std::string cn;                // "" = no CN
  std::string ou;                // optional OU
  std::vector<std::string> dns;  // DNS SANs
  std::vector<std::string> ips;  // IP SANs (textual)
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  std::string digest = "sha256";  // sha256 | sha1 | md5
  bool ca = false;
  long serial = 1;
};

class TestCert {
 public:
  [[nodiscard]] std::string pem() const;
  std::shared_ptr<CertData> data;
};

// Signed by issuer/issuer_key, or self-signed when issuer is null.
[[nodiscard]] TestCert make_cert(const CertSpec& spec, const TestKey& key, const TestCert* issuer = nullptr,
                                 const TestKey* issuer_key = nullptr);

[[nodiscard]] std::string make_crl(const TestCert& issuer, const TestKey& issuer_key,
                                   const std::vector<const TestCert*>& revoked, std::time_t last_update,
                                   std::time_t next_update);
// OpenSSL subject-name hash used for hashed CRL directories (`<hash>.r0`).
[[nodiscard]] std::string subject_hash(const TestCert& cert);

[[nodiscard]] std::string dh_params_pem(int bits);

// Fixed reference time of the tests: 2026-01-01T00:00:00Z.
constexpr std::time_t k_now = 1767225600;
constexpr std::time_t k_day = 86400;

// Temporary directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return m_path; }
  // Writes a file (relative name) with the given mode and returns its absolute path.
  std::string write(const std::string& name, const std::string& bytes, unsigned mode = 0600) const;

 private:
  std::string m_path;
};

}  // namespace pgl::tls::testutil
