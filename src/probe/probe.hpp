// A live probe of a running PostgreSQL server's SSL: the PostgreSQL protocol spoken here
// (SSLRequest, StartupMessage v3) with OpenSSL 3 for TLS; no libpq.
//
// The probe never sends a password: every connection is closed at the server's first
// answer (the TLS handshake, or the authentication request of a plain StartupMessage).
// Every connection (there are seven) is bounded by Options::timeout_ms in all: connect,
// SSLRequest and answer, handshake or StartupMessage and answer. Name resolution
// (getaddrinfo) is not bounded here.
//
//   probe::Options o; o.target = *probe::parse_target("127.0.0.1:5432");
//   auto report = probe::run(o);   // error: unreachable, refused, not PostgreSQL
//
// No OpenSSL type appears here (certificates are tls::PemCert).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "tls/x509.hpp"

namespace pgl::probe {

struct Target {
  std::string host;  // name or address, without brackets
  std::uint16_t port = 5432;
  // "HOST:PORT", "[V6]:PORT" for IPv6 addresses: the location of the probe's findings.
  [[nodiscard]] std::string display() const;
};

// "HOST", "HOST:PORT", "[V6]", "[V6]:PORT", or a bare IPv6 address (no port).
[[nodiscard]] Result<Target> parse_target(std::string_view text);

enum class TlsVersion { tls1_0, tls1_1, tls1_2, tls1_3 };
inline constexpr TlsVersion k_all_versions[] = {TlsVersion::tls1_0, TlsVersion::tls1_1, TlsVersion::tls1_2,
                                                TlsVersion::tls1_3};
// The names of ssl_min_protocol_version: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.
[[nodiscard]] std::string_view to_string(TlsVersion v);
// "TLS 1.0" ... "TLS 1.3".
[[nodiscard]] std::string_view display(TlsVersion v);
// From SSL_get_version's names (TLSv1, TLSv1.1 ...); nullopt for anything else.
[[nodiscard]] std::optional<TlsVersion> version_from_string(std::string_view name);

struct Options {
  Target target;
  std::string user = "postgres";
  std::string database;  // "" = the user name, as libpq
  int timeout_ms = 5000;
  bool test_versions = true;   // one handshake per TLS version
  bool test_plaintext = true;  // a plain StartupMessage
  bool test_direct = true;     // direct TLS (PostgreSQL 17+)
};

// The answer to the SSLRequest.
enum class SslAnswer { accepted, refused, error };  // 'S', 'N', 'E'

struct Handshake {
  bool ok = false;
  std::string protocol;  // e.g. TLSv1.3
  std::string cipher;    // e.g. TLS_AES_256_GCM_SHA384
  int cipher_bits = 0;
  std::string alpn;                 // protocol the server selected ("" when none)
  std::string error;                // why the handshake failed (OpenSSL's reason, or the connection's fate)
  std::vector<tls::PemCert> chain;  // as presented, leaf first (line = 0)
};

struct VersionCheck {
  TlsVersion version = TlsVersion::tls1_2;
  enum class Outcome { accepted, refused, untestable } outcome = Outcome::refused;
  std::string detail;  // negotiated cipher, or the reason of the refusal
};

struct PlainCheck {
  enum class Outcome {
    not_tested,
    auth_requested,  // the server asked for a password / SASL / ...: a line let the connection through
    auth_ok,         // AuthenticationOk straight away (trust)
    refused,         // SQLSTATE 28000 before authentication (no pg_hba.conf entry / rejects)
    error,           // another error (too many clients, starting up ...)
    unexpected,      // not a PostgreSQL answer
  } outcome = Outcome::not_tested;
  std::string auth_method;  // e.g. "SCRAM-SHA-256", "md5", "password"
  std::string sqlstate;
  std::string message;  // the server's message, as sent
};

struct Report {
  Target target;
  std::string address;  // the address connected to (numeric)
  SslAnswer ssl_answer = SslAnswer::refused;
  std::string ssl_error;               // the server's message when it answered the SSLRequest with an error
  Handshake handshake;                 // a handshake offering TLS 1.0-1.3 (only when ssl_answer == accepted)
  std::vector<VersionCheck> versions;  // one per TLS version, when tested
  std::optional<bool> direct_tls;      // direct TLS with ALPN "postgresql" (nullopt: not tested)
  std::string direct_detail;
  PlainCheck plaintext;
  std::string user;
  std::string database;
};

// Runs every test. Error (the caller exits 2): the name does not resolve, the port refuses or
// cannot be reached in time, or what answers is not a PostgreSQL server; the message names
// HOST:PORT.
[[nodiscard]] Result<Report> run(const Options& options);

// --- protocol pieces (exposed for tests) ---

// SSLRequest: length 8, code 80877103.
[[nodiscard]] std::string ssl_request();
// StartupMessage, protocol 3.0, with user, database and application_name.
[[nodiscard]] std::string startup_message(const std::string& user, const std::string& database);
// Name of an AuthenticationRequest code (3 = "password", 5 = "md5", 10 = "SASL" ...).
[[nodiscard]] std::string auth_method_name(std::uint32_t code, std::string_view body);
// ErrorResponse fields: 'C' (SQLSTATE) and 'M' (message).
struct ErrorFields {
  std::string severity;
  std::string sqlstate;
  std::string message;
};
[[nodiscard]] ErrorFields parse_error_fields(std::string_view body);

}  // namespace pgl::probe
