// OpenSSL 3 wrappers. Every OpenSSL object lives in a unique_ptr with its free function;
// errors from the OpenSSL error queue become pgl::Result errors with the reason text the
// server would print (SSLerrmessage in be-secure-openssl.c uses the oldest queued error).
#include "tls/x509.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include "core/read_file.hpp"
#include "core/text.hpp"

namespace pgl::tls {

namespace {

template <auto Fn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};

using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, Deleter<X509_SIG_free>>;

void free_x509_stack(STACK_OF(X509) * s) {
  sk_X509_pop_free(s, X509_free);
}
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<free_x509_stack>>;
void free_info_stack(STACK_OF(X509_INFO) * s) {
  sk_X509_INFO_pop_free(s, X509_INFO_free);
}
using InfoStackPtr = std::unique_ptr<STACK_OF(X509_INFO), Deleter<free_info_stack>>;
void free_gn_stack(GENERAL_NAMES* s) {
  sk_GENERAL_NAME_pop_free(s, GENERAL_NAME_free);
}
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<free_gn_stack>>;

// The server's SSLerrmessage: reason string of an error code, else the errno text.
std::string reason_text(unsigned long code) {
  if (code == 0) {
    return "no SSL error reported";
  }
  if (ERR_SYSTEM_ERROR(code)) {
    return std::strerror(ERR_GET_REASON(code));
  }
  if (const char* r = ERR_reason_error_string(code)) {
    return r;
  }
  return fmt::format("SSL error code {}", code);
}

// Oldest queued error, then clears the queue.
std::string take_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  return reason_text(code);
}

BioPtr memory_bio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::string name_to_string(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !name) {
    return {};
  }
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bio_to_string(bio.get());
}

std::optional<std::string> asn1_utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  const int len = ASN1_STRING_to_UTF8(&out, s);
  if (len < 0) {
    return std::nullopt;
  }
  std::string text(reinterpret_cast<char*>(out), static_cast<std::size_t>(len));
  OPENSSL_free(out);
  return text;
}

std::time_t asn1_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
    return 0;
  }
  return timegm(&tm);
}

std::string lower(std::string_view s) {
  return core::ascii_lower(s);
}

std::string serial_hex(const ASN1_INTEGER* serial) {
  BnPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) {
    return {};
  }
  char* hex = BN_bn2hex(bn.get());
  std::string s = hex ? hex : "";
  OPENSSL_free(hex);
  return s;
}

KeyInfo describe_key(const EVP_PKEY* pkey) {
  KeyInfo k;
  if (!pkey) {
    return k;
  }
  k.bits = EVP_PKEY_get_bits(pkey);
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA: k.type = KeyType::rsa; break;
    case EVP_PKEY_RSA_PSS: k.type = KeyType::rsa_pss; break;
    case EVP_PKEY_EC: k.type = KeyType::ec; break;
    case EVP_PKEY_DSA: k.type = KeyType::dsa; break;
    case EVP_PKEY_DH:
    case EVP_PKEY_DHX: k.type = KeyType::dh; break;
    case EVP_PKEY_ED25519: k.type = KeyType::ed25519; break;
    case EVP_PKEY_ED448: k.type = KeyType::ed448; break;
    default: k.type = KeyType::other; break;
  }
  if (k.type == KeyType::ec) {
    char group[80] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) == 1) {
      k.curve.assign(group, len);
    }
  }
  return k;
}

// Lines of "-----BEGIN <label>-----" whose label the predicate accepts, in file order.
template <typename Pred>
std::vector<std::uint32_t> pem_lines(std::string_view text, Pred accept) {
  std::vector<std::uint32_t> lines;
  std::uint32_t line = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view l = text.substr(pos, end - pos);
    constexpr std::string_view k_begin = "-----BEGIN ";
    if (l.substr(0, k_begin.size()) == k_begin) {
      std::string_view label = l.substr(k_begin.size());
      const auto dash = label.find("-----");
      if (dash != std::string_view::npos && accept(label.substr(0, dash))) {
        lines.push_back(line);
      }
    }
    pos = end + 1;
    ++line;
  }
  return lines;
}

bool is_cert_label(std::string_view label) {
  return label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE";
}

}  // namespace

struct CertImpl {
  X509Ptr x509;
  CertInfo info;
};
struct KeyImpl {
  PkeyPtr pkey;
  KeyInfo info;
};
struct CrlImpl {
  CrlPtr crl;
  CrlInfo info;
};

namespace {

CertInfo describe_cert(X509* x) {
  CertInfo c;
  c.subject = name_to_string(X509_get_subject_name(x));
  c.issuer = name_to_string(X509_get_issuer_name(x));
  const X509_NAME* subject = X509_get_subject_name(x);
  const int cn = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (cn >= 0) {
    c.common_name = asn1_utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn)));
  }
  GeneralNamesPtr sans(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr)));
  if (sans) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans.get(), i);
      SanEntry e;
      if (gn->type == GEN_DNS) {
        e.kind = SanEntry::Kind::dns;
        const ASN1_STRING* s = gn->d.dNSName;
        e.text.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                      static_cast<std::size_t>(ASN1_STRING_length(s)));
        c.dns_names.push_back(e.text);
      } else if (gn->type == GEN_IPADD) {
        e.kind = SanEntry::Kind::ip;
        const ASN1_OCTET_STRING* s = gn->d.iPAddress;
        const auto* data = ASN1_STRING_get0_data(s);
        e.ip.assign(data, data + ASN1_STRING_length(s));
        char buf[INET6_ADDRSTRLEN] = {};
        if (e.ip.size() == 4 || e.ip.size() == 16) {
          inet_ntop(e.ip.size() == 4 ? AF_INET : AF_INET6, e.ip.data(), buf, sizeof buf);
          e.text = buf;
        } else {
          e.text = fmt::format("(invalid {}-byte address)", e.ip.size());
        }
        c.ip_names.push_back(e.text);
      }
      c.sans.push_back(std::move(e));
    }
  }
  c.not_before = asn1_time(X509_get0_notBefore(x));
  c.not_after = asn1_time(X509_get0_notAfter(x));
  c.serial = serial_hex(X509_get0_serialNumber(x));
  const int sig_nid = X509_get_signature_nid(x);
  c.signature_algorithm = sig_nid != NID_undef ? OBJ_nid2ln(sig_nid) : "unknown";
  int md_nid = NID_undef;
  int pk_nid = NID_undef;
  if (X509_get_signature_info(x, &md_nid, &pk_nid, nullptr, nullptr) == 1 && md_nid != NID_undef) {
    c.signature_digest = lower(OBJ_nid2sn(md_nid));
  } else {
    // Legacy digests that the default provider cannot use still have an OID pair.
    int pkey_nid = NID_undef;
    if (OBJ_find_sigid_algs(sig_nid, &md_nid, &pkey_nid) == 1 && md_nid != NID_undef) {
      c.signature_digest = lower(OBJ_nid2sn(md_nid));
    }
  }
  ERR_clear_error();
  c.key = describe_key(X509_get0_pubkey(x));
  c.self_signed = X509_self_signed(x, 1) == 1;
  ERR_clear_error();
  c.is_ca = (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
  return c;
}

Certificate wrap_cert(X509Ptr x) {
  auto impl = std::make_shared<CertImpl>();
  impl->info = describe_cert(x.get());
  impl->x509 = std::move(x);
  return Certificate{std::move(impl)};
}

Crl wrap_crl(CrlPtr crl) {
  auto impl = std::make_shared<CrlImpl>();
  CrlInfo& i = impl->info;
  i.issuer = name_to_string(X509_CRL_get_issuer(crl.get()));
  i.last_update = asn1_time(X509_CRL_get0_lastUpdate(crl.get()));
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get())) {
    i.next_update = asn1_time(next);
  }
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  for (int k = 0; k < sk_X509_REVOKED_num(revoked); ++k) {
    i.revoked_serials.push_back(serial_hex(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, k))));
  }
  impl->crl = std::move(crl);
  return Crl{std::move(impl)};
}

// Refuses every passphrase request and records that one was made.
int refuse_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* userdata) {
  *static_cast<bool*>(userdata) = true;
  return -1;
}

}  // namespace

std::string_view to_string(KeyType t) {
  switch (t) {
    case KeyType::rsa: return "RSA";
    case KeyType::rsa_pss: return "RSA-PSS";
    case KeyType::ec: return "EC";
    case KeyType::dsa: return "DSA";
    case KeyType::dh: return "DH";
    case KeyType::ed25519: return "Ed25519";
    case KeyType::ed448: return "Ed448";
    case KeyType::other: return "unknown";
  }
  return "unknown";
}

std::string KeyInfo::describe() const {
  if (type == KeyType::ec && !curve.empty()) {
    return fmt::format("EC {} ({}-bit)", curve, bits);
  }
  return fmt::format("{} {}-bit", to_string(type), bits);
}

std::string CertInfo::display_name() const {
  if (common_name && !common_name->empty()) {
    return *common_name;
  }
  if (!subject.empty()) {
    return subject;
  }
  return "(empty subject)";
}

const CertInfo& Certificate::info() const {
  return impl->info;
}
const KeyInfo& PrivateKey::info() const {
  return impl->info;
}
const CrlInfo& Crl::info() const {
  return impl->info;
}

namespace {
ReadObserver g_read_observer = nullptr;
}  // namespace

void set_read_observer(ReadObserver observer) {
  g_read_observer = observer;
}

Result<std::string> read_file(const std::string& path) {
  if (g_read_observer != nullptr) {
    g_read_observer(path);
  }
  // core::read_file: never blocks on a FIFO, never reads a device, 16 MiB at most.
  auto r = core::read_file(path, core::ReadLimits{16ULL * 1024 * 1024});
  if (!r) {
    const core::ReadError& e = r.error();
    if (e.kind == core::ReadErrorKind::permission) {
      return fail(fmt::format("{} ({})", e.reason, core::permission_help()));
    }
    if (e.kind == core::ReadErrorKind::too_large) {
      return fail("file too large");
    }
    const std::string_view behaviour = core::server_behaviour(e.kind);
    return fail(behaviour.empty() ? e.reason : fmt::format("{}; {}", e.reason, behaviour));
  }
  return std::move(r->bytes);
}

Result<std::vector<PemCert>> parse_cert_chain(std::string_view pem) {
  ERR_clear_error();
  auto bio = memory_bio(pem);
  std::vector<PemCert> out;
  // Leaf: PEM_read_bio_X509_AUX accepts CERTIFICATE and TRUSTED CERTIFICATE.
  X509Ptr leaf(PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr));
  if (!leaf) {
    return fail(take_error());
  }
  out.push_back({wrap_cert(std::move(leaf)), 0});
  for (;;) {
    X509Ptr ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!ca) {
      const unsigned long err = ERR_peek_last_error();
      if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
        ERR_clear_error();
        break;
      }
      return fail(take_error());
    }
    out.push_back({wrap_cert(std::move(ca)), 0});
  }
  const auto lines = pem_lines(pem, is_cert_label);
  for (std::size_t i = 0; i < out.size() && i < lines.size(); ++i) {
    out[i].line = lines[i];
  }
  return out;
}

Result<std::vector<PemCert>> load_cert_chain(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return tl::unexpected(bytes.error());
  }
  return parse_cert_chain(*bytes);
}

namespace {

struct InfoItems {
  std::vector<PemCert> certs;
  std::vector<Crl> crls;
};

// X509_load_cert_crl_file: every certificate and CRL of a PEM file.
Result<InfoItems> read_infos(std::string_view pem) {
  ERR_clear_error();
  auto bio = memory_bio(pem);
  InfoStackPtr infos(PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr));
  if (!infos) {
    return fail(take_error());
  }
  InfoItems items;
  for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i) {
    X509_INFO* info = sk_X509_INFO_value(infos.get(), i);
    if (info->x509) {
      X509_up_ref(info->x509);
      items.certs.push_back({wrap_cert(X509Ptr(info->x509)), 0});
    }
    if (info->crl) {
      X509_CRL_up_ref(info->crl);
      items.crls.push_back(wrap_crl(CrlPtr(info->crl)));
    }
  }
  if (items.certs.empty() && items.crls.empty()) {
    return fail("no certificate or crl found");
  }
  const auto lines = pem_lines(pem, is_cert_label);
  for (std::size_t i = 0; i < items.certs.size() && i < lines.size(); ++i) {
    items.certs[i].line = lines[i];
  }
  return items;
}

}  // namespace

Result<std::vector<PemCert>> parse_ca_bundle(std::string_view pem) {
  return read_infos(pem).map([](auto&& items) { return std::move(items.certs); });
}

Result<std::vector<PemCert>> load_ca_bundle(const std::string& path) {
  return read_file(path).and_then([](const std::string& bytes) { return parse_ca_bundle(bytes); });
}

namespace {

// What PEM_read_bio_PrivateKey says about bytes with no "-----BEGIN " in them (it reads
// them to the end finding no PEM block).
const std::string& no_pem_key_error() {
  static const std::string text = [] {
    ERR_clear_error();
    auto bio = memory_bio("");
    bool asked = false;
    const PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, &asked));
    return take_error();
  }();
  return text;
}

}  // namespace

KeyFile parse_private_key(std::string_view bytes) {
  KeyFile kf;
  ERR_clear_error();
  const bool pem = bytes.find("-----BEGIN ") != std::string_view::npos;
  kf.format = pem ? KeyFormat::pem : KeyFormat::unknown;
  if (!pem) {
    // No PEM block to find: OpenSSL's answer is the same for every such input, so it is
    // asked once (each call sets up OpenSSL 3's decoders, about 0.6 ms).
    kf.error = no_pem_key_error();
  } else {
    auto bio = memory_bio(bytes);
    bool asked = false;
    PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, &asked));
    if (pkey) {
      kf.format = KeyFormat::pem;
      auto impl = std::make_shared<KeyImpl>();
      impl->info = describe_key(pkey.get());
      impl->pkey = std::move(pkey);
      kf.key = PrivateKey{std::move(impl)};
      ERR_clear_error();
      return kf;
    }
    kf.error = take_error();
    if (asked) {
      kf.encrypted = true;
      return kf;
    }
  }
  if (pem) {
    // A PEM encryption header is enough to know, even if the callback was not reached.
    if (bytes.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos ||
        bytes.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos) {
      kf.encrypted = true;
    }
    return kf;
  }
  // Not PEM: try DER (unencrypted key, or encrypted PKCS#8). Every DER private key
  // structure (PKCS#8, the type-specific RSA, EC, DSA, DH ones, X509_SIG) is a SEQUENCE,
  // tag 0x30: other bytes cannot decode, and d2i_AutoPrivateKey costs about 2 ms even to
  // fail (it tries every key decoder OpenSSL 3 has).
  if (!bytes.empty() && static_cast<unsigned char>(bytes.front()) == 0x30) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    PkeyPtr pkey(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(bytes.size())));
    if (pkey) {
      kf.format = KeyFormat::der;
      auto impl = std::make_shared<KeyImpl>();
      impl->info = describe_key(pkey.get());
      impl->pkey = std::move(pkey);
      kf.key = PrivateKey{std::move(impl)};
      ERR_clear_error();
      return kf;
    }
    ERR_clear_error();
    p = reinterpret_cast<const unsigned char*>(bytes.data());
    X509SigPtr sig(d2i_X509_SIG(nullptr, &p, static_cast<long>(bytes.size())));
    ERR_clear_error();
    if (sig) {
      kf.format = KeyFormat::der;
      kf.encrypted = true;
    }
  }
  return kf;
}

Result<KeyFile> load_private_key(const std::string& path) {
  return read_file(path).map([](const std::string& bytes) { return parse_private_key(bytes); });
}

Result<std::vector<Crl>> parse_crls(std::string_view pem) {
  return read_infos(pem).map([](auto&& items) { return std::move(items.crls); });
}

Result<std::vector<Crl>> load_crl_file(const std::string& path) {
  return read_file(path).and_then([](const std::string& bytes) { return parse_crls(bytes); });
}

Result<std::vector<CrlDirEntry>> load_crl_dir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir) {
    return fail(std::strerror(errno));
  }
  std::vector<std::string> names;
  while (const dirent* ent = ::readdir(dir)) {
    // Hashed names as `openssl rehash` writes them: 8 hex digits, ".r", a number.
    const std::string_view n = ent->d_name;
    if (n.size() < 11 || n[8] != '.' || n[9] != 'r') {
      continue;
    }
    if (!std::all_of(n.begin(), n.begin() + 8, [](unsigned char c) { return std::isxdigit(c); }) ||
        !std::all_of(n.begin() + 10, n.end(), [](unsigned char c) { return std::isdigit(c); })) {
      continue;
    }
    names.emplace_back(n);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  std::vector<CrlDirEntry> out;
  for (const auto& n : names) {
    CrlDirEntry e;
    e.path = path;
    e.path += '/';
    e.path += n;
    auto crls = load_crl_file(e.path);
    if (crls) {
      e.crls = std::move(*crls);
    } else {
      e.error = crls.error().message;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<int> load_dh_params(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return tl::unexpected(bytes.error());
  }
  return parse_dh_params(*bytes);
}

Result<int> parse_dh_params(std::string_view pem) {
  ERR_clear_error();
  auto bio = memory_bio(pem);
  PkeyPtr params(PEM_read_bio_Parameters(bio.get(), nullptr));
  if (!params) {
    return fail(take_error());
  }
  const int id = EVP_PKEY_get_base_id(params.get());
  if (id != EVP_PKEY_DH && id != EVP_PKEY_DHX) {
    return fail("not DH parameters");
  }
  return EVP_PKEY_get_bits(params.get());
}

Result<void> check_key_matches(const Certificate& cert, const PrivateKey& key) {
  ERR_clear_error();
  if (X509_check_private_key(cert.impl->x509.get(), key.impl->pkey.get()) == 1) {
    return {};
  }
  return fail(take_error());
}

namespace {

int ignore_time_errors(int ok, X509_STORE_CTX* ctx) {
  if (!ok) {
    switch (X509_STORE_CTX_get_error(ctx)) {
      case X509_V_ERR_CERT_HAS_EXPIRED:
      case X509_V_ERR_CERT_NOT_YET_VALID: return 1;
      default: break;
    }
  }
  return ok;
}

}  // namespace

Result<void> verify_chain(const std::vector<Certificate>& chain, const std::vector<Certificate>& trusted,
                          std::time_t now) {
  if (chain.empty()) {
    return fail("no certificate");
  }
  ERR_clear_error();
  StorePtr store(X509_STORE_new());
  for (const auto& t : trusted) {
    X509_STORE_add_cert(store.get(), t.impl->x509.get());
  }
  ERR_clear_error();  // duplicates are not an error here
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  X509_STORE_set_verify_cb(store.get(), ignore_time_errors);
  X509StackPtr untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < chain.size(); ++i) {
    X509* x = chain[i].impl->x509.get();
    X509_up_ref(x);
    sk_X509_push(untrusted.get(), x);
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].impl->x509.get(), untrusted.get()) != 1) {
    return fail(take_error());
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, now);  // also sets X509_V_FLAG_USE_CHECK_TIME
  const int rc = X509_verify_cert(ctx.get());
  if (rc == 1) {
    ERR_clear_error();
    return {};
  }
  const int err = X509_STORE_CTX_get_error(ctx.get());
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  std::string who;
  if (X509* cur = X509_STORE_CTX_get_current_cert(ctx.get())) {
    who = describe_cert(cur).display_name();
  }
  ERR_clear_error();
  return fail(fmt::format("{} (depth {}{}{})", X509_verify_cert_error_string(err), depth, who.empty() ? "" : ", ",
                          who.empty() ? "" : "\"" + who + "\""));
}

bool is_revoked(const Certificate& cert, const Crl& crl) {
  X509* x = cert.impl->x509.get();
  X509_CRL* c = crl.impl->crl.get();
  if (X509_NAME_cmp(X509_CRL_get_issuer(c), X509_get_issuer_name(x)) != 0) {
    return false;
  }
  X509_REVOKED* rev = nullptr;
  const int rc = X509_CRL_get0_by_cert(c, &rev, x);
  ERR_clear_error();
  return rc == 1;
}

bool crl_signed_by(const Crl& crl, const Certificate& issuer) {
  X509_CRL* c = crl.impl->crl.get();
  X509* x = issuer.impl->x509.get();
  if (X509_NAME_cmp(X509_CRL_get_issuer(c), X509_get_subject_name(x)) != 0) {
    return false;
  }
  const bool ok = X509_CRL_verify(c, X509_get0_pubkey(x)) == 1;
  ERR_clear_error();
  return ok;
}

bool issued_by(const Certificate& cert, const Certificate& issuer) {
  const bool ok = X509_check_issued(issuer.impl->x509.get(), cert.impl->x509.get()) == X509_V_OK &&
                  X509_verify(cert.impl->x509.get(), X509_get0_pubkey(issuer.impl->x509.get())) == 1;
  ERR_clear_error();
  return ok;
}

bool libpq_name_matches(std::string_view name, std::string_view host) {
  auto ieq = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
             return std::tolower(x) == std::tolower(y);
           });
  };
  if (name.find('\0') != std::string_view::npos) {
    return false;  // libpq rejects embedded NULs
  }
  if (ieq(name, host)) {
    return true;
  }
  // wildcard_certificate_match: "*." prefix, the star covers one whole left-most label.
  if (name.size() < 3 || name[0] != '*' || name[1] != '.') {
    return false;
  }
  if (name.size() > host.size()) {
    return false;
  }
  const std::size_t tail = host.size() - name.size() + 1;  // where ".rest" starts in host
  if (!ieq(name.substr(1), host.substr(tail))) {
    return false;
  }
  const auto first_dot = host.find('.');
  return first_dot >= tail;
}

HostMatch match_host(const CertInfo& cert, const std::string& host) {
  HostMatch m;
  in_addr v4{};
  in6_addr v6{};
  const bool host_is_v4 = inet_aton(host.c_str(), &v4) != 0;
  const bool host_is_v6 = inet_pton(AF_INET6, host.c_str(), &v6) == 1;
  const bool host_is_ip = host_is_v4 || host_is_v6;
  bool check_cn = true;
  for (const auto& san : cert.sans) {
    if (san.kind == SanEntry::Kind::other) {
      continue;
    }
    if ((san.kind == SanEntry::Kind::ip) == host_is_ip) {
      check_cn = false;  // a SAN of the host's kind exists: the CN is not consulted
    }
    bool hit = false;
    if (san.kind == SanEntry::Kind::dns) {
      hit = libpq_name_matches(san.text, host);
    } else if (san.ip.size() == 4) {
      hit = host_is_v4 && std::memcmp(san.ip.data(), &v4.s_addr, 4) == 0;
    } else if (san.ip.size() == 16) {
      hit = host_is_v6 && std::memcmp(san.ip.data(), v6.s6_addr, 16) == 0;
    }
    m.names_examined.push_back(san.text);
    if (hit) {
      m.matches = true;
      return m;
    }
  }
  if (check_cn && cert.common_name) {
    m.names_examined.push_back(*cert.common_name);
    if (libpq_name_matches(*cert.common_name, host)) {
      m.matches = true;
      return m;
    }
  }
  const auto n = m.names_examined.size();
  if (n > 1) {
    m.message = fmt::format("server certificate for \"{}\" (and {} other name{}) does not match host name \"{}\"",
                            m.names_examined[0], n - 1, n - 1 == 1 ? "" : "s", host);
  } else if (n == 1) {
    m.message = fmt::format("server certificate for \"{}\" does not match host name \"{}\"", m.names_examined[0], host);
  } else {
    m.message = "could not get server's host name from server certificate";
  }
  return m;
}

Result<std::vector<CipherInfo>> evaluate_cipher_list(const std::string& ciphers) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    return fail(take_error());
  }
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(ctx.get(), ciphers.c_str()) != 1) {
    return fail(take_error());
  }
  std::vector<CipherInfo> out;
  STACK_OF(SSL_CIPHER)* list = SSL_CTX_get_ciphers(ctx.get());
  for (int i = 0; i < sk_SSL_CIPHER_num(list); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(list, i);
    if (std::string_view(SSL_CIPHER_get_version(c)) == "TLSv1.3") {
      continue;  // TLS 1.3 suites are not governed by ssl_ciphers
    }
    CipherInfo info;
    info.name = SSL_CIPHER_get_name(c);
    const int enc = SSL_CIPHER_get_cipher_nid(c);
    const int auth = SSL_CIPHER_get_auth_nid(c);
    const int digest = SSL_CIPHER_get_digest_nid(c);
    int alg_bits = 0;
    const int bits = SSL_CIPHER_get_bits(c, &alg_bits);
    if (enc == NID_undef) {
      info.weaknesses.emplace_back("no encryption (eNULL)");
    } else if (enc == NID_rc4 || enc == NID_rc4_40) {
      info.weaknesses.emplace_back("RC4");
    } else if (enc == NID_des_cbc) {
      info.weaknesses.emplace_back("single DES");
    } else if (enc == NID_des_ede3_cbc) {
      info.weaknesses.emplace_back("3DES");
    } else if (enc == NID_rc2_cbc || enc == NID_rc2_40_cbc) {
      info.weaknesses.emplace_back("RC2");
    } else if (bits > 0 && bits < 128) {
      info.weaknesses.emplace_back(fmt::format("{}-bit export-grade strength", bits));
    }
    if (auth == NID_auth_null) {
      info.weaknesses.emplace_back("no authentication (aNULL)");
    }
    if (digest == NID_md5) {
      info.weaknesses.emplace_back("MD5 MAC");
    }
    out.push_back(std::move(info));
  }
  return out;
}

int protocol_rank(std::string_view version) {
  std::string l;
  for (unsigned char c : version) {
    l += static_cast<char>(std::tolower(c));
  }
  if (l == "tlsv1")
    return 1;
  if (l == "tlsv1.1")
    return 2;
  if (l == "tlsv1.2")
    return 3;
  if (l == "tlsv1.3")
    return 4;
  return 0;
}

std::string format_utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::optional<std::time_t> parse_utc(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  char sep = 0;
  char z = 0;
  const int n = std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &sep,
                            &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z);
  if (n < 7 || (sep != 'T' && sep != ' ') || (n == 8 && z != 'Z')) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return timegm(&tm);
}

}  // namespace pgl::tls
