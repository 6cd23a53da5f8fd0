// Library-level tests of src/tls: loading, inspection, verification and libpq host matching,
// on material generated here (cases modelled on PostgreSQL's src/test/ssl set).
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "tls/x509.hpp"
#include "tls_testutil.hpp"

namespace tu = pgl::tls::testutil;
using pgl::tls::match_host;
using tu::k_day;
using tu::k_now;

namespace {

tu::CertSpec leaf_spec(std::string cn, std::vector<std::string> dns = {}, std::vector<std::string> ips = {}) {
  tu::CertSpec s;
  s.cn = std::move(cn);
  s.ou = "PostgreSQL test suite";
  s.dns = std::move(dns);
  s.ips = std::move(ips);
  s.not_before = k_now - 10 * k_day;
  s.not_after = k_now + 365 * k_day;
  s.serial = 1000;
  return s;
}

pgl::tls::CertInfo info_of(const tu::TestCert& c) {
  auto chain = pgl::tls::parse_cert_chain(c.pem());
  EXPECT_TRUE(chain.has_value());
  return chain ? (*chain)[0].cert.info() : pgl::tls::CertInfo{};
}

struct Pki {
  tu::TestKey root_key = tu::ec_key();
  tu::TestKey inter_key = tu::ec_key();
  tu::TestCert root;
  tu::TestCert inter;
  Pki() {
    tu::CertSpec r;
    r.cn = "Test root CA";
    r.ca = true;
    r.not_before = k_now - 100 * k_day;
    r.not_after = k_now + 3650 * k_day;
    root = tu::make_cert(r, root_key);
    tu::CertSpec i = r;
    i.cn = "Test server CA";
    i.serial = 2;
    inter = tu::make_cert(i, inter_key, &root, &root_key);
  }
};

}  // namespace

TEST(TlsLoad, ChainLeafFirstWithLines) {
  Pki pki;
  auto key = tu::ec_key();
  auto leaf = tu::make_cert(leaf_spec("db.example.com"), key, &pki.inter, &pki.inter_key);
  auto chain = pgl::tls::parse_cert_chain(leaf.pem() + pki.inter.pem());
  ASSERT_TRUE(chain.has_value()) << chain.error().message;
  ASSERT_EQ(chain->size(), 2u);
  EXPECT_EQ((*chain)[0].cert.info().common_name, "db.example.com");
  EXPECT_EQ((*chain)[1].cert.info().common_name, "Test server CA");
  EXPECT_EQ((*chain)[0].line, 1u);
  EXPECT_GT((*chain)[1].line, 5u);
  EXPECT_TRUE((*chain)[1].cert.info().is_ca);
  EXPECT_FALSE((*chain)[0].cert.info().is_ca);
  EXPECT_EQ((*chain)[0].cert.info().signature_digest, "sha256");
  EXPECT_EQ((*chain)[0].cert.info().key.type, pgl::tls::KeyType::ec);
  EXPECT_EQ((*chain)[0].cert.info().key.bits, 256);
  EXPECT_EQ((*chain)[0].cert.info().key.curve, "prime256v1");
}

TEST(TlsLoad, BadInputsAreErrorsNotCrashes) {
  EXPECT_EQ(pgl::tls::parse_cert_chain("").error().message, "no start line");
  EXPECT_EQ(pgl::tls::parse_cert_chain("garbage\n").error().message, "no start line");
  auto key = tu::ec_key();
  auto c = tu::make_cert(leaf_spec("x"), key).pem();
  auto truncated = pgl::tls::parse_cert_chain(c.substr(0, c.size() / 2));
  ASSERT_FALSE(truncated.has_value());
  EXPECT_FALSE(truncated.error().message.empty());
  EXPECT_EQ(pgl::tls::load_cert_chain("/nonexistent/server.crt").error().message, "No such file or directory");
  EXPECT_FALSE(pgl::tls::parse_ca_bundle("nothing here").has_value());
  EXPECT_FALSE(pgl::tls::parse_crls("").has_value());
  // A key file given where a certificate is expected.
  EXPECT_FALSE(pgl::tls::parse_cert_chain(key.pem()).has_value());
  auto k = pgl::tls::parse_private_key(std::string("\x30\x03\x02\x01", 4));
  EXPECT_FALSE(k.key.has_value());
}

TEST(TlsLoad, MultipleCasInOneFile) {
  Pki pki;
  auto client_key = tu::ec_key();
  tu::CertSpec cs;
  cs.cn = "Test client CA";
  cs.ca = true;
  cs.serial = 3;
  cs.not_before = k_now - k_day;
  cs.not_after = k_now + 100 * k_day;
  auto client_ca = tu::make_cert(cs, client_key, &pki.root, &pki.root_key);
  auto bundle = pgl::tls::parse_ca_bundle(pki.root.pem() + client_ca.pem() + pki.inter.pem());
  ASSERT_TRUE(bundle.has_value());
  ASSERT_EQ(bundle->size(), 3u);
  EXPECT_EQ((*bundle)[1].cert.info().common_name, "Test client CA");
  EXPECT_TRUE((*bundle)[0].cert.info().self_signed);
  EXPECT_FALSE((*bundle)[2].cert.info().self_signed);
}

TEST(TlsKeys, PemDerAndEncryptedForms) {
  auto key = tu::rsa_key(2048);
  auto plain = pgl::tls::parse_private_key(key.pem());
  ASSERT_TRUE(plain.key.has_value()) << plain.error;
  EXPECT_EQ(plain.format, pgl::tls::KeyFormat::pem);
  EXPECT_FALSE(plain.encrypted);
  EXPECT_EQ(plain.key->info().type, pgl::tls::KeyType::rsa);
  EXPECT_EQ(plain.key->info().bits, 2048);

  auto trad = pgl::tls::parse_private_key(key.traditional_pem());
  EXPECT_TRUE(trad.key.has_value());

  auto enc = pgl::tls::parse_private_key(key.encrypted_pem("secret1"));
  EXPECT_TRUE(enc.encrypted);
  EXPECT_FALSE(enc.key.has_value());
  EXPECT_EQ(enc.format, pgl::tls::KeyFormat::pem);

  auto p8 = pgl::tls::parse_private_key(key.encrypted_pkcs8("dUmmyP^#+"));
  EXPECT_TRUE(p8.encrypted);
  EXPECT_FALSE(p8.key.has_value());

  auto der = pgl::tls::parse_private_key(key.der());
  EXPECT_EQ(der.format, pgl::tls::KeyFormat::der);
  EXPECT_TRUE(der.key.has_value()) << "DER keys are still inspected";
  EXPECT_FALSE(der.error.empty()) << "but the server cannot load them";

  auto der_enc = pgl::tls::parse_private_key(key.encrypted_der("pw"));
  EXPECT_EQ(der_enc.format, pgl::tls::KeyFormat::der);
  EXPECT_TRUE(der_enc.encrypted);
}

TEST(TlsKeys, NeitherPemNorDerIsNoKeyWithOpensslsOwnError) {
  // Bytes with no PEM block are not given to PEM_read_bio_PrivateKey each time, and bytes
  // that are no ASN.1 SEQUENCE not to the DER decoders: the result is what those calls give.
  const auto pem_error = [](const std::string& bytes) {
    ERR_clear_error();
    BIO* bio = BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()));
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    EVP_PKEY_free(pkey);
    BIO_free(bio);
    const char* r = ERR_reason_error_string(code);
    return std::string(r != nullptr ? r : "");
  };
  for (const std::string& bytes :
       {std::string(), std::string("garbage\n"), std::string("\x02\x01\x00", 3), std::string("-----BEGI\n"),
        std::string(5000, '\xff'), std::string("\x30\x03\x02\x01\x00", 5), std::string("\x30zz")}) {
    const auto k = pgl::tls::parse_private_key(bytes);
    EXPECT_FALSE(k.key.has_value());
    EXPECT_FALSE(k.encrypted);
    EXPECT_EQ(k.format, pgl::tls::KeyFormat::unknown);
    EXPECT_FALSE(k.error.empty());
    EXPECT_EQ(k.error, pem_error(bytes)) << bytes.size();
  }
  // A DER key still is one (its first byte is the SEQUENCE tag).
  auto key = tu::ec_key();
  const auto der = pgl::tls::parse_private_key(key.der());
  EXPECT_EQ(der.format, pgl::tls::KeyFormat::der);
  EXPECT_TRUE(der.key.has_value());
  EXPECT_EQ(der.error, pem_error(key.der()));
}

TEST(TlsKeys, KeyMatchesCertificate) {
  auto key = tu::ec_key();
  auto other = tu::ec_key();
  auto cert = tu::make_cert(leaf_spec("x"), key);
  auto chain = pgl::tls::parse_cert_chain(cert.pem());
  auto good = pgl::tls::parse_private_key(key.pem());
  auto bad = pgl::tls::parse_private_key(other.pem());
  EXPECT_TRUE(pgl::tls::check_key_matches((*chain)[0].cert, *good.key).has_value());
  auto rc = pgl::tls::check_key_matches((*chain)[0].cert, *bad.key);
  ASSERT_FALSE(rc.has_value());
  EXPECT_EQ(rc.error().message, "key values mismatch");
}

TEST(TlsKeys, KeyTypesAndSizes) {
  auto pss = tu::rsa_pss_key(2048);
  auto cert = tu::make_cert(leaf_spec("pss"), pss);
  auto i = info_of(cert);
  EXPECT_EQ(i.key.type, pgl::tls::KeyType::rsa_pss);
  EXPECT_EQ(i.key.bits, 2048);
  EXPECT_EQ(i.signature_algorithm, "rsassaPss");
  EXPECT_EQ(i.signature_digest, "sha256");
  EXPECT_TRUE(i.self_signed);

  auto small = info_of(tu::make_cert(leaf_spec("small"), tu::rsa_key(1024)));
  EXPECT_EQ(small.key.describe(), "RSA 1024-bit");
  auto p384 = info_of(tu::make_cert(leaf_spec("ec"), tu::ec_key("secp384r1")));
  EXPECT_EQ(p384.key.describe(), "EC secp384r1 (384-bit)");
}

TEST(TlsCert, DatesSerialAndDigests) {
  auto key = tu::rsa_key(2048);
  auto spec = leaf_spec("dates");
  spec.not_before = k_now - 5 * k_day;
  spec.not_after = k_now + 7 * k_day;
  spec.digest = "sha1";
  spec.serial = 0x202307;
  auto i = info_of(tu::make_cert(spec, key));
  EXPECT_EQ(i.not_before, k_now - 5 * k_day);
  EXPECT_EQ(i.not_after, k_now + 7 * k_day);
  EXPECT_EQ(i.serial, "202307");
  EXPECT_EQ(i.signature_digest, "sha1");
  EXPECT_EQ(pgl::tls::format_utc(i.not_after), "2026-01-08 00:00:00 UTC");
  spec.digest = "md5";
  EXPECT_EQ(info_of(tu::make_cert(spec, key)).signature_digest, "md5");
  EXPECT_EQ(pgl::tls::parse_utc("2026-01-01T00:00:00Z"), k_now);
  EXPECT_EQ(pgl::tls::parse_utc("2026-01-01 00:00:00"), k_now);
  EXPECT_FALSE(pgl::tls::parse_utc("yesterday").has_value());
}

TEST(TlsVerify, ChainAgainstRootAndPartialChain) {
  Pki pki;
  auto key = tu::ec_key();
  auto leaf = tu::make_cert(leaf_spec("db"), key, &pki.inter, &pki.inter_key);
  auto parse = [](const std::string& pem) {
    std::vector<pgl::tls::Certificate> out;
    auto bundle = pgl::tls::parse_ca_bundle(pem);
    for (auto& pc : *bundle) {
      out.push_back(pc.cert);
    }
    return out;
  };
  auto chain = parse(leaf.pem() + pki.inter.pem());
  EXPECT_TRUE(pgl::tls::verify_chain(chain, parse(pki.root.pem()), k_now).has_value());
  // Only the intermediate is trusted: partial chains are allowed.
  EXPECT_TRUE(pgl::tls::verify_chain(parse(leaf.pem()), parse(pki.inter.pem()), k_now).has_value());
  // Missing intermediate.
  auto missing = pgl::tls::verify_chain(parse(leaf.pem()), parse(pki.root.pem()), k_now);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("unable to get local issuer certificate"), std::string::npos)
      << missing.error().message;
  // Unrelated root.
  auto other_key = tu::ec_key();
  tu::CertSpec o;
  o.cn = "Other root";
  o.ca = true;
  o.not_before = k_now - k_day;
  o.not_after = k_now + k_day;
  auto other = tu::make_cert(o, other_key);
  EXPECT_FALSE(pgl::tls::verify_chain(chain, parse(other.pem()), k_now).has_value());
  // Expired leaf still verifies: dates are the date rules' business.
  auto spec = leaf_spec("old");
  spec.not_after = k_now - k_day;
  auto old = tu::make_cert(spec, key, &pki.inter, &pki.inter_key);
  EXPECT_TRUE(pgl::tls::verify_chain(parse(old.pem() + pki.inter.pem()), parse(pki.root.pem()), k_now).has_value());
}

TEST(TlsVerify, RevocationAndCrlDates) {
  Pki pki;
  auto key = tu::ec_key();
  auto revoked_spec = leaf_spec("revoked");
  revoked_spec.serial = 77;
  auto revoked = tu::make_cert(revoked_spec, key, &pki.inter, &pki.inter_key);
  auto good = tu::make_cert(leaf_spec("good"), key, &pki.inter, &pki.inter_key);
  auto crls = pgl::tls::parse_crls(tu::make_crl(pki.inter, pki.inter_key, {&revoked}, k_now - k_day, k_now + k_day));
  ASSERT_TRUE(crls.has_value());
  ASSERT_EQ(crls->size(), 1u);
  const auto& crl = (*crls)[0];
  EXPECT_EQ(crl.info().revoked_serials, std::vector<std::string>{"4D"});
  EXPECT_EQ(crl.info().next_update, k_now + k_day);
  auto cert_of = [](const tu::TestCert& c) { return (*pgl::tls::parse_cert_chain(c.pem()))[0].cert; };
  EXPECT_TRUE(pgl::tls::is_revoked(cert_of(revoked), crl));
  EXPECT_FALSE(pgl::tls::is_revoked(cert_of(good), crl));
  EXPECT_TRUE(pgl::tls::crl_signed_by(crl, cert_of(pki.inter)));
  EXPECT_FALSE(pgl::tls::crl_signed_by(crl, cert_of(pki.root)));
  // Same serial under another issuer is not revoked.
  auto root_crl = pgl::tls::parse_crls(tu::make_crl(pki.root, pki.root_key, {&revoked}, k_now - k_day, k_now + k_day));
  EXPECT_FALSE(pgl::tls::is_revoked(cert_of(revoked), (*root_crl)[0]));
}

TEST(TlsVerify, HashedCrlDirectory) {
  Pki pki;
  tu::TempDir dir;
  dir.write("crldir/" + tu::subject_hash(pki.inter) + ".r0",
            tu::make_crl(pki.inter, pki.inter_key, {}, k_now - k_day, k_now + k_day));
  dir.write("crldir/README", "not a crl");
  dir.write("crldir/0badbad0.r0", "broken");
  auto entries = pgl::tls::load_crl_dir(dir.path() + "/crldir");
  ASSERT_TRUE(entries.has_value());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_TRUE((*entries)[0].error.has_value()) << "0badbad0.r0 sorts first";
  EXPECT_EQ((*entries)[1].crls.size(), 1u);
  EXPECT_FALSE(pgl::tls::load_crl_dir(dir.path() + "/none").has_value());
}

// libpq verify-full, cases of src/test/ssl/t/001_ssltests.pl.
TEST(TlsHostMatch, CnOnly) {
  auto key = tu::ec_key();
  auto i = info_of(tu::make_cert(leaf_spec("common-name.pg-ssltest.test"), key));
  EXPECT_TRUE(match_host(i, "common-name.pg-ssltest.test").matches);
  EXPECT_TRUE(match_host(i, "COMMON-NAME.pg-ssltest.TEST").matches) << "case-insensitive";
  auto m = match_host(i, "wronghost.test");
  EXPECT_FALSE(m.matches);
  EXPECT_EQ(m.message,
            "server certificate for \"common-name.pg-ssltest.test\" does not match host name \"wronghost.test\"");
}

TEST(TlsHostMatch, SansTakePrecedenceOverCn) {
  auto key = tu::ec_key();
  auto i = info_of(tu::make_cert(
      leaf_spec("common-name.pg-ssltest.test", {"dns1.alt-name.pg-ssltest.test", "dns2.alt-name.pg-ssltest.test"}),
      key));
  EXPECT_TRUE(match_host(i, "dns1.alt-name.pg-ssltest.test").matches);
  EXPECT_TRUE(match_host(i, "dns2.alt-name.pg-ssltest.test").matches);
  auto m = match_host(i, "common-name.pg-ssltest.test");
  EXPECT_FALSE(m.matches) << "CN ignored when DNS SANs exist";
  EXPECT_EQ(m.message,
            "server certificate for \"dns1.alt-name.pg-ssltest.test\" (and 1 other name) does not match host name "
            "\"common-name.pg-ssltest.test\"");
}

TEST(TlsHostMatch, Wildcards) {
  auto key = tu::ec_key();
  auto i = info_of(tu::make_cert(
      leaf_spec("", {"dns1.alt-name.pg-ssltest.test", "dns2.alt-name.pg-ssltest.test", "*.wildcard.pg-ssltest.test"}),
      key));
  EXPECT_TRUE(match_host(i, "a.wildcard.pg-ssltest.test").matches);
  EXPECT_TRUE(match_host(i, "A.WILDCARD.pg-ssltest.test").matches);
  EXPECT_FALSE(match_host(i, "wildcard.pg-ssltest.test").matches) << "the star needs a label";
  EXPECT_FALSE(match_host(i, "a.b.wildcard.pg-ssltest.test").matches) << "one label only";
  EXPECT_FALSE(match_host(i, ".wildcard.pg-ssltest.test").matches);
  auto m = match_host(i, "deep.host");
  EXPECT_EQ(m.names_examined.size(), 3u);
  EXPECT_NE(m.message.find("(and 2 other names)"), std::string::npos);
  EXPECT_FALSE(pgl::tls::libpq_name_matches("a*.example.com", "ab.example.com")) << "partial wildcards are literal";
  EXPECT_TRUE(pgl::tls::libpq_name_matches("*.example.com", "x.example.com"));
}

TEST(TlsHostMatch, NoNames) {
  auto key = tu::ec_key();
  auto i = info_of(tu::make_cert(leaf_spec(""), key));
  auto m = match_host(i, "common-name.pg-ssltest.test");
  EXPECT_FALSE(m.matches);
  EXPECT_EQ(m.message, "could not get server's host name from server certificate");
}

TEST(TlsHostMatch, IpAddresses) {
  auto key = tu::ec_key();
  // IP in the CN only.
  auto cn_ip = info_of(tu::make_cert(leaf_spec("192.0.2.1"), key));
  EXPECT_TRUE(match_host(cn_ip, "192.0.2.1").matches);
  // IP SANs, no CN.
  auto ip_sans = info_of(tu::make_cert(leaf_spec("", {}, {"192.0.2.1", "2001:DB8::1"}), key));
  EXPECT_TRUE(match_host(ip_sans, "192.0.2.1").matches);
  EXPECT_TRUE(match_host(ip_sans, "2001:db8::1").matches);
  EXPECT_TRUE(match_host(ip_sans, "2001:db8:0:0:0:0:0:1").matches) << "compared as addresses";
  EXPECT_FALSE(match_host(ip_sans, "192.0.2.2").matches);
  EXPECT_FALSE(match_host(ip_sans, "2001:db8::2").matches);
  EXPECT_EQ(ip_sans.ip_names, (std::vector<std::string>{"192.0.2.1", "2001:db8::1"}));
  // DNS CN + IP SANs: a DNS host falls back to the CN (no SAN of its kind).
  auto cn_and_ip = info_of(tu::make_cert(leaf_spec("common-name.pg-ssltest.test", {}, {"192.0.2.1"}), key));
  EXPECT_TRUE(match_host(cn_and_ip, "common-name.pg-ssltest.test").matches);
  EXPECT_TRUE(match_host(cn_and_ip, "192.0.2.1").matches);
  // IP CN + IP SANs: the CN is ignored for IP hosts.
  auto ipcn_ipsan = info_of(tu::make_cert(leaf_spec("192.0.2.1", {}, {"192.0.2.2", "2001:db8::1"}), key));
  EXPECT_FALSE(match_host(ipcn_ipsan, "192.0.2.1").matches);
  EXPECT_TRUE(match_host(ipcn_ipsan, "192.0.2.2").matches);
  // IP CN + DNS SANs: an IP host still matches the CN.
  auto ipcn_dnssan = info_of(tu::make_cert(leaf_spec("192.0.2.1", {"dns1.alt-name.pg-ssltest.test"}), key));
  EXPECT_TRUE(match_host(ipcn_dnssan, "192.0.2.1").matches);
  EXPECT_FALSE(match_host(ipcn_dnssan, "192.0.2.2").matches);
}

TEST(TlsHostMatch, IpWrittenAsDnsSan) {
  auto key = tu::ec_key();
  auto i = info_of(tu::make_cert(leaf_spec("", {"192.0.2.1"}), key));
  // libpq compares dNSName entries as text with any host (fe-secure-openssl.c), so the
  // connection succeeds, although the name is not an iPAddress entry.
  EXPECT_TRUE(match_host(i, "192.0.2.1").matches);
  EXPECT_TRUE(i.ip_names.empty());
  EXPECT_FALSE(match_host(i, "192.0.2.2").matches);
}

TEST(TlsCiphers, EvaluatesWithOpenssl) {
  auto def = pgl::tls::evaluate_cipher_list("HIGH:MEDIUM:+3DES:!aNULL");
  ASSERT_TRUE(def.has_value());
  EXPECT_FALSE(def->empty());
  for (const auto& c : *def) {
    EXPECT_TRUE(c.weaknesses.empty()) << c.name;
  }
  auto with_null = pgl::tls::evaluate_cipher_list("HIGH:eNULL");
  ASSERT_TRUE(with_null.has_value());
  bool found_null = false;
  for (const auto& c : *with_null) {
    for (const auto& w : c.weaknesses) {
      found_null = found_null || w.find("eNULL") != std::string::npos;
    }
  }
  EXPECT_TRUE(found_null);
  auto anon = pgl::tls::evaluate_cipher_list("ALL");
  ASSERT_TRUE(anon.has_value());
  bool found_anull = false;
  for (const auto& c : *anon) {
    for (const auto& w : c.weaknesses) {
      found_anull = found_anull || w.find("aNULL") != std::string::npos;
    }
  }
  EXPECT_TRUE(found_anull);
  auto excluded = pgl::tls::evaluate_cipher_list("ALL:!aNULL:!eNULL");
  for (const auto& c : *excluded) {
    EXPECT_TRUE(c.weaknesses.empty()) << c.name;
  }
  EXPECT_FALSE(pgl::tls::evaluate_cipher_list("NOSUCHCIPHER").has_value());
}

TEST(TlsDh, LoadsParameters) {
  tu::TempDir dir;
  auto strong = dir.write("dh2048.pem", tu::dh_params_pem(2048));
  auto weak = dir.write("dh1024.pem", tu::dh_params_pem(1024));
  auto bad = dir.write("bad.pem", "-----BEGIN DH PARAMETERS-----\nAAAA\n-----END DH PARAMETERS-----\n");
  EXPECT_EQ(pgl::tls::load_dh_params(strong).value_or(0), 2048);
  EXPECT_EQ(pgl::tls::load_dh_params(weak).value_or(0), 1024);
  EXPECT_FALSE(pgl::tls::load_dh_params(bad).has_value());
  EXPECT_EQ(pgl::tls::load_dh_params(dir.path() + "/missing").error().message, "No such file or directory");
}
