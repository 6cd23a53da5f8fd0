#include "tls_testutil.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

namespace pgl::tls::testutil {

struct KeyData {
  EVP_PKEY* pkey = nullptr;
  ~KeyData() { EVP_PKEY_free(pkey); }
};
struct CertData {
  X509* x509 = nullptr;
  ~CertData() { X509_free(x509); }
};

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("test material generation failed: ") + what);
  }
}

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return s;
}

TestKey wrap(EVP_PKEY* pkey) {
  check(pkey != nullptr, "key generation");
  auto d = std::make_shared<KeyData>();
  d->pkey = pkey;
  return TestKey{d};
}

const EVP_MD* digest(const std::string& name) {
  if (name == "sha1") {
    return EVP_sha1();
  }
  if (name == "md5") {
    return EVP_md5();
  }
  return EVP_sha256();
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

}  // namespace

TestKey rsa_key(int bits) {
  static std::map<int, TestKey> cache;
  if (auto it = cache.find(bits); it != cache.end()) {
    return it->second;
  }
  return cache[bits] = wrap(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
}

TestKey ec_key(const std::string& curve) {
  return wrap(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.c_str()));
}

TestKey rsa_pss_key(int bits) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr);
  EVP_PKEY* key = nullptr;
  check(ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) == 1 &&
            EVP_PKEY_keygen(ctx, &key) == 1,
        "rsa-pss key");
  EVP_PKEY_CTX_free(ctx);
  return wrap(key);
}

TestKey dsa_key(int bits) {
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr);
  EVP_PKEY* params = nullptr;
  check(pctx && EVP_PKEY_paramgen_init(pctx) == 1 && EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx, bits) == 1 &&
            EVP_PKEY_paramgen(pctx, &params) == 1,
        "dsa params");
  EVP_PKEY_CTX_free(pctx);
  EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new_from_pkey(nullptr, params, nullptr);
  EVP_PKEY* key = nullptr;
  check(kctx && EVP_PKEY_keygen_init(kctx) == 1 && EVP_PKEY_keygen(kctx, &key) == 1, "dsa key");
  EVP_PKEY_CTX_free(kctx);
  EVP_PKEY_free(params);
  return wrap(key);
}

std::string TestKey::pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PrivateKey(bio, data->pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1, "pem");
  return bio_string(bio);
}

std::string TestKey::traditional_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PrivateKey_traditional(bio, data->pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1, "pem");
  return bio_string(bio);
}

std::string TestKey::encrypted_pem(const std::string& pass) const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PrivateKey_traditional(bio, data->pkey, EVP_aes_256_cbc(),
                                             reinterpret_cast<const unsigned char*>(pass.data()),
                                             static_cast<int>(pass.size()), nullptr, nullptr) == 1,
        "encrypted pem");
  return bio_string(bio);
}

std::string TestKey::encrypted_pkcs8(const std::string& pass) const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PKCS8PrivateKey(bio, data->pkey, EVP_aes_128_cbc(), pass.data(), static_cast<int>(pass.size()),
                                      nullptr, nullptr) == 1,
        "encrypted pkcs8");
  return bio_string(bio);
}

std::string TestKey::der() const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(i2d_PrivateKey_bio(bio, data->pkey) == 1, "der");
  return bio_string(bio);
}

std::string TestKey::encrypted_der(const std::string& pass) const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(i2d_PKCS8PrivateKey_bio(bio, data->pkey, EVP_aes_128_cbc(), pass.data(), static_cast<int>(pass.size()), nullptr,
                                nullptr) == 1,
        "encrypted der");
  return bio_string(bio);
}

std::string TestCert::pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_X509(bio, data->x509) == 1, "cert pem");
  return bio_string(bio);
}

TestCert make_cert(const CertSpec& spec, const TestKey& key, const TestCert* issuer, const TestKey* issuer_key) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), spec.serial);
  X509_NAME* name = X509_get_subject_name(x);
  if (!spec.ou.empty()) {
    X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(spec.ou.c_str()), -1,
                               -1, 0);
  }
  if (!spec.cn.empty()) {
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1,
                               -1, 0);
  }
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer->data->x509) : name);
  ASN1_TIME_set(X509_getm_notBefore(x), spec.not_before);
  ASN1_TIME_set(X509_getm_notAfter(x), spec.not_after);
  X509_set_pubkey(x, key.data->pkey);
  X509* issuer_x = issuer ? issuer->data->x509 : x;
  add_ext(x, issuer_x, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (spec.ca) {
    add_ext(x, issuer_x, NID_key_usage, "critical,keyCertSign,cRLSign");
  }
  add_ext(x, issuer_x, NID_subject_key_identifier, "hash");
  std::string san;
  for (const auto& d : spec.dns) {
    san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  }
  for (const auto& ip : spec.ips) {
    san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  }
  if (!san.empty()) {
    add_ext(x, issuer_x, NID_subject_alt_name, san);
  }
  EVP_PKEY* signer = issuer_key ? issuer_key->data->pkey : key.data->pkey;
  const bool is_pss = EVP_PKEY_get_base_id(signer) == EVP_PKEY_RSA_PSS;
  check(X509_sign(x, signer, is_pss ? EVP_sha256() : digest(spec.digest)) > 0, "sign");
  auto d = std::make_shared<CertData>();
  d->x509 = x;
  return TestCert{d};
}

std::string make_crl(const TestCert& issuer, const TestKey& issuer_key, const std::vector<const TestCert*>& revoked,
                     std::time_t last_update, std::time_t next_update) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer.data->x509));
  ASN1_TIME* t = ASN1_TIME_set(nullptr, last_update);
  X509_CRL_set1_lastUpdate(crl, t);
  ASN1_TIME_set(t, next_update);
  X509_CRL_set1_nextUpdate(crl, t);
  for (const TestCert* c : revoked) {
    X509_REVOKED* r = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(c->data->x509));
    ASN1_TIME_set(t, last_update);
    X509_REVOKED_set_revocationDate(r, t);
    X509_CRL_add0_revoked(crl, r);
  }
  ASN1_TIME_free(t);
  X509_CRL_sort(crl);
  check(X509_CRL_sign(crl, issuer_key.data->pkey, EVP_sha256()) > 0, "crl sign");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_CRL(bio, crl);
  X509_CRL_free(crl);
  return bio_string(bio);
}

std::string subject_hash(const TestCert& cert) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08lx", X509_subject_name_hash(cert.data->x509));
  return buf;
}

std::string dh_params_pem(int bits) {
  // Generating DH parameters is slow; a named FFDHE group of the wanted size is enough.
  const bool weak = bits <= 1024;
  EVP_PKEY* params = nullptr;
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, weak ? "DHX" : "DH", nullptr);
  check(pctx && EVP_PKEY_paramgen_init(pctx) == 1, "dh paramgen init");
  check((weak ? EVP_PKEY_CTX_set_dh_rfc5114(pctx, 1) : EVP_PKEY_CTX_set_dh_nid(pctx, NID_ffdhe2048)) == 1, "dh group");
  check(EVP_PKEY_paramgen(pctx, &params) == 1, "dh params");
  EVP_PKEY_CTX_free(pctx);
  check(params != nullptr, "dh");
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_Parameters(bio, params) == 1, "dh pem");
  EVP_PKEY_free(params);
  return bio_string(bio);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "pgl-tls-XXXXXX").string();
  check(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp");
  m_path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string TempDir::write(const std::string& name, const std::string& bytes, unsigned mode) const {
  std::string path = m_path + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  ::chmod(path.c_str(), mode);
  return path;
}

}  // namespace pgl::tls::testutil
