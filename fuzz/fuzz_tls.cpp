// PEM and DER certificates, CA bundles, private keys and CRLs (the readers the ssl_*
// checks use), on the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tls/x509.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)pgl::tls::parse_cert_chain(bytes);
  (void)pgl::tls::parse_ca_bundle(bytes);
  (void)pgl::tls::parse_private_key(bytes);
  (void)pgl::tls::parse_crls(bytes);
  return 0;
}
