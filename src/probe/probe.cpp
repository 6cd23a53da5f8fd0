// pgconflint probe: sockets, the PostgreSQL startup protocol and the TLS client.
#include "probe/probe.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

namespace pgl::probe {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t k_ssl_request_code = 80877103;  // 1234 << 16 | 5679
constexpr std::uint32_t k_protocol_3_0 = 196608;        // 3 << 16
constexpr std::uint32_t k_max_message = 64 * 1024;      // longer answers are not read

void put_u32(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>((v >> 24) & 0xff));
  out.push_back(static_cast<char>((v >> 16) & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

std::uint32_t get_u32(std::string_view s, std::size_t at) {
  if (s.size() < at + 4) {
    return 0;
  }
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

// --- sockets ---------------------------------------------------------------------------

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

struct Address {
  sockaddr_storage addr{};
  socklen_t len = 0;
  std::string text;  // numeric
};

class Deadline {
 public:
  explicit Deadline(int ms) : m_end(Clock::now() + std::chrono::milliseconds(ms)) {}
  [[nodiscard]] int remaining_ms() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_end - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
  }

 private:
  Clock::time_point m_end;
};

// Waits until fd is readable (or writable). False on timeout.
bool wait_for(int fd, bool write, const Deadline& deadline) {
  for (;;) {
    pollfd p{fd, static_cast<short>(write ? POLLOUT : POLLIN), 0};
    const int ms = deadline.remaining_ms();
    if (ms == 0) {
      return false;
    }
    const int rc = ::poll(&p, 1, ms);
    if (rc > 0) {
      return true;
    }
    if (rc == 0) {
      return false;
    }
    if (errno != EINTR) {
      return true;  // let the following call report the error
    }
  }
}

std::string numeric(const sockaddr* sa, socklen_t len) {
  char host[NI_MAXHOST] = {0};
  if (::getnameinfo(sa, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) {
    return "?";
  }
  return host;
}

// Connects without blocking longer than the deadline.
Result<Fd> connect_to(const Address& a, const Deadline& deadline) {
  Fd s(::socket(a.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (s.fd < 0) {
    return fail(std::strerror(errno));
  }
  if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&a.addr), a.len) != 0) {
    if (errno != EINPROGRESS) {
      return fail(std::strerror(errno));
    }
    if (!wait_for(s.fd, true, deadline)) {
      return fail("timed out");
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
      err = errno;
    }
    if (err != 0) {
      return fail(std::strerror(err));
    }
  }
#ifdef SO_NOSIGPIPE
  int one = 1;
  ::setsockopt(s.fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
  return s;
}

Result<void> send_all(int fd, std::string_view data, const Deadline& deadline) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(fd, true, deadline)) {
        return fail("timed out");
      }
      continue;
    }
    return fail(std::strerror(errno));
  }
  return {};
}

// Reads exactly n bytes. Error: "timed out", "connection closed", strerror.
Result<std::string> recv_exact(int fd, std::size_t n, const Deadline& deadline) {
  std::string out;
  out.reserve(n);
  char buf[4096];
  while (out.size() < n) {
    const ssize_t got = ::recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
    if (got > 0) {
      out.append(buf, static_cast<std::size_t>(got));
      continue;
    }
    if (got == 0) {
      return fail("connection closed");
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_for(fd, false, deadline)) {
        return fail("timed out");
      }
      continue;
    }
    return fail(std::strerror(errno));
  }
  return out;
}

// --- TLS ---------------------------------------------------------------------------------

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

int openssl_version(TlsVersion v) {
  switch (v) {
    case TlsVersion::tls1_0: return TLS1_VERSION;
    case TlsVersion::tls1_1: return TLS1_1_VERSION;
    case TlsVersion::tls1_2: return TLS1_2_VERSION;
    case TlsVersion::tls1_3: return TLS1_3_VERSION;
  }
  return 0;
}

std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(e);
    if (!out.empty()) {
      out += "; ";
    }
    out += reason != nullptr ? reason : fmt::format("error {:#x}", e);
  }
  return out;
}

bool is_ip_literal(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return ::inet_pton(AF_INET, host.c_str(), &a4) == 1 || ::inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

std::vector<tls::PemCert> peer_chain(SSL* ssl) {
  std::vector<tls::PemCert> out;
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);  // client side: the leaf included
  if (chain == nullptr) {
    return out;
  }
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    PEM_write_bio_X509(bio.get(), sk_X509_value(chain, i));
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0) {
    return out;
  }
  if (auto parsed = tls::parse_cert_chain(std::string_view(data, static_cast<std::size_t>(len)))) {
    out = std::move(*parsed);
    for (auto& pc : out) {
      pc.line = 0;
    }
  }
  return out;
}

// One TLS handshake over a connected socket, offering [min, max]. The client lowers OpenSSL's
// security level to 0 (and the cipher list with it) so that TLS 1.0 and 1.1, which OpenSSL 3
// refuses at level 1 and above, can be offered at all: what is measured is the server.
// Certificates are not verified here (the caller does it, with tls::verify_chain).
Handshake tls_handshake(int fd, const std::string& host, TlsVersion min, TlsVersion max, const Deadline& deadline) {
  Handshake h;
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    h.error = "cannot create a TLS context: " + openssl_errors();
    return h;
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:@SECLEVEL=0");
  SSL_CTX_set_options(ctx.get(), SSL_OP_LEGACY_SERVER_CONNECT);
  if (SSL_CTX_set_min_proto_version(ctx.get(), openssl_version(min)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), openssl_version(max)) != 1) {
    h.error = "no protocols available";
    return h;
  }
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    h.error = "cannot create a TLS connection: " + openssl_errors();
    return h;
  }
  // As libpq 14+: SNI for host names (not for addresses), and ALPN "postgresql" (libpq 17+).
  if (!is_ip_literal(host)) {
    SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  }
  static const unsigned char k_alpn[] = {10, 'p', 'o', 's', 't', 'g', 'r', 'e', 's', 'q', 'l'};
  SSL_set_alpn_protos(ssl.get(), k_alpn, sizeof k_alpn);
  for (;;) {
    ERR_clear_error();
    const int rc = SSL_connect(ssl.get());
    if (rc == 1) {
      break;
    }
    const int err = SSL_get_error(ssl.get(), rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!wait_for(fd, err == SSL_ERROR_WANT_WRITE, deadline)) {
        h.error = "timed out during the TLS handshake";
        return h;
      }
      continue;
    }
    std::string why = openssl_errors();
    if (why.empty()) {
      why = err == SSL_ERROR_SYSCALL && errno != 0 ? std::string(std::strerror(errno))
                                                   : std::string("the server closed the connection");
    }
    h.error = why;
    return h;
  }
  h.ok = true;
  h.protocol = SSL_get_version(ssl.get());
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl.get())) {
    h.cipher = SSL_CIPHER_get_name(c);
    h.cipher_bits = SSL_CIPHER_get_bits(c, nullptr);
  }
  const unsigned char* alpn = nullptr;
  unsigned int alpn_len = 0;
  SSL_get0_alpn_selected(ssl.get(), &alpn, &alpn_len);
  h.alpn.assign(reinterpret_cast<const char*>(alpn), alpn == nullptr ? 0 : alpn_len);
  h.chain = peer_chain(ssl.get());
  // A close_notify, without waiting for the server's.
  SSL_set_quiet_shutdown(ssl.get(), 0);
  SSL_shutdown(ssl.get());
  return h;
}

// --- the probe ---------------------------------------------------------------------------

class Prober {
 public:
  explicit Prober(const Options& o) : m_o(o) {}

  Result<Report> run() {
    Report r;
    r.target = m_o.target;
    r.user = m_o.user;
    r.database = m_o.database.empty() ? m_o.user : m_o.database;
    if (auto resolved = resolve(); !resolved) {
      return tl::unexpected(resolved.error());
    }
    // 1. SSLRequest: the first connection also decides whether the server is reachable.
    {
      Deadline d(m_o.timeout_ms);
      auto s = connect_first(d);
      if (!s) {
        return tl::unexpected(s.error());
      }
      r.address = m_address.text;
      auto answer = ssl_request_on(s->fd, d);
      if (!answer) {
        return tl::unexpected(answer.error());
      }
      r.ssl_answer = answer->first;
      r.ssl_error = answer->second;
      if (r.ssl_answer == SslAnswer::accepted) {
        r.handshake = tls_handshake(s->fd, m_o.target.host, TlsVersion::tls1_0, TlsVersion::tls1_3, d);
      }
    }
    // 2. One handshake per protocol version.
    if (r.ssl_answer == SslAnswer::accepted && m_o.test_versions) {
      for (const TlsVersion v : k_all_versions) {
        r.versions.push_back(version_check(v));
      }
    }
    // 3. Direct TLS (PostgreSQL 17+): a TLS ClientHello straight away, ALPN "postgresql".
    if (m_o.test_direct) {
      Deadline d(m_o.timeout_ms);
      auto s = connect_to(m_address, d);
      if (!s) {
        r.direct_tls = false;
        r.direct_detail = "cannot connect: " + s.error().message;
      } else {
        const Handshake h = tls_handshake(s->fd, m_o.target.host, TlsVersion::tls1_2, TlsVersion::tls1_3, d);
        r.direct_tls = h.ok && h.alpn == "postgresql";
        r.direct_detail =
            h.ok ? (h.alpn == "postgresql" ? h.protocol : "handshake without ALPN \"postgresql\"") : h.error;
      }
    }
    // 4. A plain StartupMessage.
    if (m_o.test_plaintext) {
      r.plaintext = plain_startup(r.user, r.database);
    }
    return r;
  }

 private:
  Result<void> resolve() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(m_o.target.port);
    int rc = ::getaddrinfo(m_o.target.host.c_str(), port.c_str(), &hints, &res);
    if (rc == EAI_NONAME || rc == EAI_FAIL || rc == EAI_NODATA || rc == EAI_ADDRFAMILY) {
      hints.ai_flags = 0;  // loopback-only hosts have no "configured" address family
      rc = ::getaddrinfo(m_o.target.host.c_str(), port.c_str(), &hints, &res);
    }
    if (rc != 0) {
      return fail(fmt::format("cannot resolve \"{}\": {}", m_o.target.host, ::gai_strerror(rc)));
    }
    for (const addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      Address a;
      std::memcpy(&a.addr, ai->ai_addr, ai->ai_addrlen);
      a.len = ai->ai_addrlen;
      a.text = numeric(ai->ai_addr, ai->ai_addrlen);
      m_candidates.push_back(a);
    }
    ::freeaddrinfo(res);
    if (m_candidates.empty()) {
      return fail(fmt::format("cannot resolve \"{}\": no address", m_o.target.host));
    }
    return {};
  }

  // Tries every address of the name, in order; the first that connects is used from then on.
  Result<Fd> connect_first(const Deadline& d) {
    std::string errors;
    for (const auto& a : m_candidates) {
      auto s = connect_to(a, d);
      if (s) {
        m_address = a;
        return s;
      }
      errors += fmt::format("{}{} ({})", errors.empty() ? "" : "; ", s.error().message, a.text);
    }
    return fail(fmt::format("cannot connect to {}: {}", m_o.target.display(), errors));
  }

  // Sends the SSLRequest and reads the one-byte answer.
  Result<std::pair<SslAnswer, std::string>> ssl_request_on(int fd, const Deadline& d) {
    const std::string where = m_o.target.display();
    const double secs = m_o.timeout_ms / 1000.0;
    if (auto sent = send_all(fd, ssl_request(), d); !sent) {
      return fail(fmt::format("{}: cannot send the SSLRequest: {}", where, sent.error().message));
    }
    auto byte = recv_exact(fd, 1, d);
    if (!byte) {
      if (byte.error().message == "timed out") {
        return fail(
            fmt::format("{} did not answer the SSLRequest within {:g} s: not a PostgreSQL server?", where, secs));
      }
      return fail(fmt::format("{} closed the connection at the SSLRequest ({}): not a PostgreSQL server?", where,
                              byte.error().message));
    }
    switch ((*byte)[0]) {
      case 'S': return std::pair{SslAnswer::accepted, std::string()};
      case 'N': return std::pair{SslAnswer::refused, std::string()};
      case 'E': {
        // An ErrorResponse (a server from before SSL existed, or one that cannot fork).
        auto len = recv_exact(fd, 4, d);
        std::string message = "an error";
        if (len) {
          const std::uint32_t n = get_u32(*len, 0);
          if (n >= 4 && n <= k_max_message) {
            if (auto body = recv_exact(fd, n - 4, d)) {
              message = parse_error_fields(*body).message;
            }
          }
        }
        return std::pair{SslAnswer::error, message};
      }
      default:
        return fail(fmt::format("{} answered the SSLRequest with byte {:#04x}: not a PostgreSQL server", where,
                                static_cast<unsigned char>((*byte)[0])));
    }
  }

  VersionCheck version_check(TlsVersion v) {
    VersionCheck c;
    c.version = v;
    Deadline d(m_o.timeout_ms);
    auto s = connect_to(m_address, d);
    if (!s) {
      c.outcome = VersionCheck::Outcome::untestable;
      c.detail = "cannot connect: " + s.error().message;
      return c;
    }
    auto answer = ssl_request_on(s->fd, d);
    if (!answer || answer->first != SslAnswer::accepted) {
      c.outcome = VersionCheck::Outcome::untestable;
      c.detail = answer ? "the server refused the SSLRequest" : answer.error().message;
      return c;
    }
    const Handshake h = tls_handshake(s->fd, m_o.target.host, v, v, d);
    if (h.ok) {
      c.outcome = VersionCheck::Outcome::accepted;
      c.detail = h.cipher;
    } else if (h.error == "no protocols available" || h.error.starts_with("cannot create")) {
      // This client cannot offer the version (OpenSSL built without it): nothing is known.
      c.outcome = VersionCheck::Outcome::untestable;
      c.detail = "this OpenSSL cannot offer " + std::string(display(v)) + ": " + h.error;
    } else {
      c.outcome = VersionCheck::Outcome::refused;
      c.detail = h.error;
    }
    return c;
  }

  PlainCheck plain_startup(const std::string& user, const std::string& database) {
    PlainCheck p;
    Deadline d(m_o.timeout_ms);
    auto s = connect_to(m_address, d);
    if (!s) {
      p.outcome = PlainCheck::Outcome::error;
      p.message = "cannot connect: " + s.error().message;
      return p;
    }
    if (auto sent = send_all(s->fd, startup_message(user, database), d); !sent) {
      p.outcome = PlainCheck::Outcome::error;
      p.message = "cannot send the StartupMessage: " + sent.error().message;
      return p;
    }
    auto head = recv_exact(s->fd, 5, d);
    if (!head) {
      p.outcome = PlainCheck::Outcome::unexpected;
      p.message = "no answer to the StartupMessage: " + head.error().message;
      return p;
    }
    const char type = (*head)[0];
    const std::uint32_t len = get_u32(*head, 1);
    if ((type != 'R' && type != 'E') || len < 4 || len > k_max_message) {
      p.outcome = PlainCheck::Outcome::unexpected;
      p.message = fmt::format("unexpected answer to the StartupMessage (message type {:#04x})",
                              static_cast<unsigned char>(type));
      return p;
    }
    auto body = recv_exact(s->fd, len - 4, d);
    if (!body) {
      p.outcome = PlainCheck::Outcome::unexpected;
      p.message = "truncated answer to the StartupMessage: " + body.error().message;
      return p;
    }
    if (type == 'R') {
      const std::uint32_t code = get_u32(*body, 0);
      p.outcome = code == 0 ? PlainCheck::Outcome::auth_ok : PlainCheck::Outcome::auth_requested;
      p.auth_method = auth_method_name(code, std::string_view(*body).substr(std::min<std::size_t>(4, body->size())));
      // Closed here: no password is ever sent.
      return p;
    }
    const ErrorFields e = parse_error_fields(*body);
    p.sqlstate = e.sqlstate;
    p.message = e.message;
    // 28000 invalid_authorization_specification before any authentication request:
    // "no pg_hba.conf entry for host ..., no encryption" or "pg_hba.conf rejects connection".
    p.outcome = e.sqlstate == "28000" ? PlainCheck::Outcome::refused : PlainCheck::Outcome::error;
    return p;
  }

  const Options& m_o;
  std::vector<Address> m_candidates;
  Address m_address;
};

}  // namespace

std::string Target::display() const {
  if (host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", host, port);
  }
  return fmt::format("{}:{}", host, port);
}

Result<Target> parse_target(std::string_view text) {
  Target t;
  std::string_view host = text;
  std::optional<std::string_view> port;  // set when a ':' separates one
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return fail(fmt::format("invalid server \"{}\": missing ']'", text));
    }
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) {
        return fail(fmt::format("invalid server \"{}\": expected ':PORT' after ']'", text));
      }
      port = rest.substr(1);
    }
  } else if (const auto colon = text.find(':'); colon != std::string_view::npos && colon == text.rfind(':')) {
    host = text.substr(0, colon);  // one colon: HOST:PORT; more: a bare IPv6 address
    port = text.substr(colon + 1);
  }
  if (host.empty()) {
    return fail(fmt::format("invalid server \"{}\": no host", text));
  }
  t.host = std::string(host);
  if (port) {
    unsigned long p = 0;
    for (const char c : *port) {
      if (c < '0' || c > '9' || p > 65535) {
        return fail(fmt::format("invalid port \"{}\" in \"{}\"", *port, text));
      }
      p = p * 10 + static_cast<unsigned long>(c - '0');
    }
    if (p == 0 || p > 65535) {
      return fail(fmt::format("invalid port \"{}\" in \"{}\"", *port, text));
    }
    t.port = static_cast<std::uint16_t>(p);
  }
  return t;
}

std::string_view to_string(TlsVersion v) {
  switch (v) {
    case TlsVersion::tls1_0: return "TLSv1";
    case TlsVersion::tls1_1: return "TLSv1.1";
    case TlsVersion::tls1_2: return "TLSv1.2";
    case TlsVersion::tls1_3: return "TLSv1.3";
  }
  return "?";
}

std::string_view display(TlsVersion v) {
  switch (v) {
    case TlsVersion::tls1_0: return "TLS 1.0";
    case TlsVersion::tls1_1: return "TLS 1.1";
    case TlsVersion::tls1_2: return "TLS 1.2";
    case TlsVersion::tls1_3: return "TLS 1.3";
  }
  return "?";
}

std::optional<TlsVersion> version_from_string(std::string_view name) {
  for (const TlsVersion v : k_all_versions) {
    if (name == to_string(v)) {
      return v;
    }
  }
  return std::nullopt;
}

std::string ssl_request() {
  std::string out;
  put_u32(out, 8);
  put_u32(out, k_ssl_request_code);
  return out;
}

std::string startup_message(const std::string& user, const std::string& database) {
  std::string body;
  put_u32(body, k_protocol_3_0);
  auto param = [&](std::string_view k, std::string_view v) {
    body.append(k);
    body.push_back('\0');
    body.append(v);
    body.push_back('\0');
  };
  param("user", user);
  param("database", database);
  param("application_name", "pgconflint probe");
  body.push_back('\0');
  std::string out;
  put_u32(out, static_cast<std::uint32_t>(body.size() + 4));
  return out + body;
}

std::string auth_method_name(std::uint32_t code, std::string_view body) {
  switch (code) {
    case 0: return "none (trust)";
    case 2: return "Kerberos V5";
    case 3: return "password";
    case 5: return "md5";
    case 7: return "GSSAPI";
    case 9: return "SSPI";
    case 10: {
      // The SASL mechanisms, NUL-terminated, then an empty one.
      std::string out;
      while (!body.empty() && body.front() != '\0') {
        const auto end = body.find('\0');
        out += (out.empty() ? "" : ", ") + std::string(body.substr(0, end));
        body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
      }
      return out.empty() ? std::string("SASL") : out;
    }
    default: return fmt::format("authentication request {}", code);
  }
}

ErrorFields parse_error_fields(std::string_view body) {
  ErrorFields e;
  while (!body.empty() && body.front() != '\0') {
    const char type = body.front();
    body.remove_prefix(1);
    const auto end = body.find('\0');
    const std::string_view value = body.substr(0, end);
    if (type == 'C') {
      e.sqlstate = std::string(value);
    } else if (type == 'M') {
      e.message = std::string(value);
    } else if ((type == 'S' && e.severity.empty()) || type == 'V') {
      e.severity = std::string(value);  // V: the non-localized severity, when sent
    }
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
  }
  return e;
}

Result<Report> run(const Options& options) {
  // OpenSSL writes to the socket with write(2): a server that resets the connection
  // mid-handshake must give an error, not a SIGPIPE.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, &previous);
  auto r = Prober(options).run();
  ::sigaction(SIGPIPE, &previous, nullptr);
  return r;
}

}  // namespace pgl::probe
