// pg_hba.conf records (hba.c parse_hba_line / parse_hba_auth_opt, hbafuncs.c view).
#include <ldap.h>
#include <netdb.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iterator>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include "core/memory_advice.hpp"
#include "parse/auth_common.hpp"
#include "parse/auth_regex.hpp"
#include "parse/conf_paths.hpp"
#include "parse/parse.hpp"

namespace pgl::parse {

namespace {

using model::AuthToken;
using model::HbaRecord;

// Build features of the server being emulated (a typical Linux build: PGDG / Debian).
struct Build {
  bool gss = true;
  bool sspi = false;
  bool pam = true;
  bool bsd = false;
  bool ldap = true;
  bool ssl = true;
};

enum class ClientCert { off, ca, full };

// Parsed state of one line (HbaLine).
struct Line {
  std::string_view method;  // a keyword, or the method token's text (alive while the line is parsed)
  bool include_realm = false;
  std::optional<std::string> krb_realm, usermap, pamservice;
  ClientCert clientcert = ClientCert::off;
  std::optional<std::string> ldapserver, ldapscheme, ldapprefix, ldapsuffix, ldapbasedn, ldapbinddn, ldapbindpasswd,
      ldapsearchattribute, ldapsearchfilter;
  int ldapport = 0;
  int ldapscope = 0;
  bool ldaptls = false;
  std::vector<std::string> radiusservers, radiussecrets, radiusports, radiusidentifiers;
  std::optional<std::string> radiusservers_s, radiussecrets_s, radiusports_s, radiusidentifiers_s;
  std::optional<std::string> oauth_issuer, oauth_scope, oauth_validator;
  bool oauth_skip_usermap = false;
};

// Result of one check: a message for the view, or a logged-only message (view_null).
struct Failure {
  std::string message;
  bool view_null = false;
  core::Span span;
};

// `s == lit` for a string literal, inlined (a length test, then a compare of a known
// size: no call per keyword tried).
template <std::size_t N>
[[gnu::always_inline]] inline bool is(std::string_view s, const char (&lit)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), lit, N - 1) == 0;
}

bool truthy(const std::string& v) {
  return is(v, "on") || is(v, "true") || is(v, "yes") || is(v, "1") || is(v, "tru") || is(v, "ye") || is(v, "t") ||
         is(v, "y");
}

// SplitGUCList (varlena.c)
bool split_guc_list(const std::string& raw, std::vector<std::string>& out) {
  out.clear();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
  std::size_t p = 0;
  while (p < raw.size() && space(raw[p])) {
    ++p;
  }
  if (p >= raw.size()) {
    return true;
  }
  for (;;) {
    std::string name;
    if (raw[p] == '"') {
      ++p;
      for (;;) {
        const std::size_t q = raw.find('"', p);
        if (q == std::string::npos) {
          return false;
        }
        name += raw.substr(p, q - p);
        if (q + 1 < raw.size() && raw[q + 1] == '"') {
          name += '"';
          p = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
    } else {
      const std::size_t start = p;
      while (p < raw.size() && raw[p] != ',' && !space(raw[p])) {
        ++p;
      }
      if (p == start) {
        return false;
      }
      name = raw.substr(start, p - start);
    }
    while (p < raw.size() && space(raw[p])) {
      ++p;
    }
    out.push_back(std::move(name));
    if (p < raw.size() && raw[p] == ',') {
      ++p;
      while (p < raw.size() && space(raw[p])) {
        ++p;
      }
      continue;
    }
    if (p >= raw.size()) {
      return true;
    }
    return false;
  }
}

// A RADIUS server name that getaddrinfo() would resolve: every non-empty name (a numeric
// address resolves; other names would need DNS, which the linter does not ask, and are
// assumed to resolve).
bool radius_server_resolves(const std::string& name) {
  return !name.empty();
}

// getnameinfo(NI_NUMERICHOST) of an address (clean_ipv6_addr: without the zone).
// IPv4 and zone-less IPv6 are formatted directly (same text as inet_ntop, which
// getnameinfo uses); other cases go through getnameinfo.
std::string numeric_host(const sockaddr_storage& ss, socklen_t len) {
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr);
    char buf[16];
    char* p = buf;
    for (int i = 0; i < 4; ++i) {
      if (i) {
        *p++ = '.';
      }
      const unsigned v = a[i];
      if (v >= 100) {
        *p++ = static_cast<char>('0' + v / 100);
      }
      if (v >= 10) {
        *p++ = static_cast<char>('0' + v / 10 % 10);
      }
      *p++ = static_cast<char>('0' + v % 10);
    }
    return std::string(buf, p);
  }
  if (ss.ss_family == AF_INET6 && reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_scope_id == 0) {
    char buf[INET6_ADDRSTRLEN];
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr.s6_addr;
    if (const std::size_t n = auth::format_ipv6(a6, buf); n != 0) {
      return std::string(buf, n);
    }
    if (::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf) != nullptr) {
      return buf;
    }
  }
  char buf[NI_MAXHOST];
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&ss), len, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) != 0) {
    return "???";
  }
  std::string s = buf;
  if (ss.ss_family == AF_INET6) {  // clean_ipv6_addr: drop the zone
    const std::size_t pct = s.find('%');
    if (pct != std::string::npos) {
      s.resize(pct);
    }
  }
  return s;
}

// getaddrinfo(text, AI_NUMERICHOST, AF_UNSPEC): 0 and the first address, or the error
// code. Strict dotted-quad IPv4 and zone-less IPv6 (which getaddrinfo reads with the
// same inet_aton / inet_pton rules, with the same result) are converted directly.
// `dotted_quad` (when given) tells whether the text was read as inet_pton(AF_INET) reads
// it: four decimal parts without leading zeros, which is the text numeric_host() writes
// for the address (so the caller can keep the text instead of formatting the address).
int numeric_address(std::string_view text, sockaddr_storage& addr, socklen_t& addrlen, bool* dotted_quad = nullptr) {
  addr = sockaddr_storage{};
  auto* in4 = reinterpret_cast<sockaddr_in*>(&addr);
  if (auth::parse_ipv4(text, reinterpret_cast<unsigned char*>(&in4->sin_addr))) {  // inet_pton(AF_INET)
    in4->sin_family = AF_INET;
    addrlen = sizeof(sockaddr_in);
    if (dotted_quad != nullptr) {
      *dotted_quad = true;
    }
    return 0;
  }
  // A numeric host (inet_aton forms, IPv6, an IPv6 zone after '%') only has these bytes
  // before a '%': anything else is a host name, EAI_NONAME without asking getaddrinfo.
  const std::size_t before_zone = std::min(text.find('%'), text.size());
  for (std::size_t i = 0; i < before_zone; ++i) {
    const char c = text[i];
    const bool numeric = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == 'x' ||
                         c == 'X' || c == '.' || c == ':';
    if (!numeric) {
      return EAI_NONAME;
    }
  }
  // The C functions need a NUL-terminated copy (on the stack for any address-sized text).
  char small[64];
  std::string large;
  const char* c_text = small;
  if (text.size() < sizeof small) {
    std::memcpy(small, text.data(), text.size());
    small[text.size()] = '\0';
  } else {
    large.assign(text);
    c_text = large.c_str();
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (::inet_pton(AF_INET6, c_text, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    addrlen = sizeof(sockaddr_in6);
    return 0;
  }
  addr = sockaddr_storage{};
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST;
  hints.ai_family = AF_UNSPEC;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(c_text, nullptr, &hints, &res);
  if (rc == 0 && res == nullptr) {
    rc = EAI_NONAME;
  }
  if (rc == 0) {
    std::memcpy(&addr, res->ai_addr, res->ai_addrlen);
    addrlen = res->ai_addrlen;
  }
  if (res != nullptr) {
    ::freeaddrinfo(res);
  }
  return rc;
}

model::IpNet net_of(const sockaddr_storage& addr, int prefix) {
  model::IpNet net;
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    net.family = 4;
    std::memcpy(net.bytes.data(), &a->sin_addr, 4);
  } else {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    net.family = 6;
    std::memcpy(net.bytes.data(), &a->sin6_addr, 16);
  }
  net.prefix = prefix;
  return net;
}

std::string make_mask_text(int family, int bits) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (family == AF_INET) {
    auto* m = reinterpret_cast<sockaddr_in*>(&ss);
    m->sin_family = AF_INET;
    const std::uint32_t v = bits > 0 ? (0xffffffffU << (32 - bits)) : 0;
    m->sin_addr.s_addr = htonl(v);
    len = sizeof(sockaddr_in);
  } else {
    auto* m = reinterpret_cast<sockaddr_in6*>(&ss);
    m->sin6_family = AF_INET6;
    for (int i = 0; i < 16; ++i) {
      const int b = bits - 8 * i;
      m->sin6_addr.s6_addr[i] = b >= 8 ? 0xff : b <= 0 ? 0 : static_cast<unsigned char>(0xff << (8 - b));
    }
    len = sizeof(sockaddr_in6);
  }
  return numeric_host(ss, len);
}

// The text of the mask of `bits` leading ones (bits within the family's range), made
// once per family and length.
const std::string& mask_text(int family, int bits) {
  static const auto k_masks = [] {
    std::array<std::string, 33 + 129> t;
    for (int b = 0; b <= 32; ++b) {
      t[static_cast<std::size_t>(b)] = make_mask_text(AF_INET, b);
    }
    for (int b = 0; b <= 128; ++b) {
      t[33 + static_cast<std::size_t>(b)] = make_mask_text(AF_INET6, b);
    }
    return t;
  }();
  return k_masks[(family == AF_INET ? 0 : 33) + static_cast<std::size_t>(bits)];
}

class HbaLineParser {
 public:
  // Tokens of `tl` are moved into the record. `scratch` is reused from line to line (the
  // view options are assembled there, then moved into a list of their exact size).
  HbaLineParser(const AuthParseOptions& opt, auth::TokLine& tl, HbaRecord& rec, std::vector<std::string>& scratch)
      : m_opt(opt), m_v(opt.pg_version), m_tl(tl), m_rec(rec), m_scratch(scratch) {}

  // Returns a failure, or nothing when the line loads (warnings live in m_rec.warning).
  // The fields in order: type, databases, roles, address (and netmask) unless local,
  // method, options (hba.c parse_hba_line).
  std::optional<Failure> parse() {
    std::size_t f = 0;
    if (auto e = parse_type(m_tl.fields[f])) {
      return e;
    }
    const bool local = m_rec.type == model::ConnType::local;
    if (auto e = parse_names(f)) {
      return e;
    }
    if (!local) {
      if (auto e = parse_address(f)) {
        return e;
      }
    }
    if (auto e = parse_method(f, local)) {
      return e;
    }
    if (auto e = parse_options(f)) {
      return e;
    }
    if (auto e = cross_checks()) {
      return e;
    }
    m_scratch.clear();
    view_options(m_scratch);
    m_rec.view_options.assign(std::make_move_iterator(m_scratch.begin()), std::make_move_iterator(m_scratch.end()));
    return std::nullopt;
  }

 private:
  // The connection type field.
  std::optional<Failure> parse_type(model::AuthField& tf) {
    if (tf.size() > 1) {
      return fail("multiple values specified for connection type", tf[1].span);
    }
    AuthToken& ct = tf[0];
    m_rec.type_span = std::move(ct.span);  // the token's span is not used again
    const std::string_view ctext = ct.text;
    if (is(ctext, "local")) {
      m_rec.type = model::ConnType::local;
    } else if (is(ctext, "host")) {
      m_rec.type = model::ConnType::host;
    } else if (is(ctext, "hostssl")) {
      m_rec.type = model::ConnType::hostssl;
      if (!m_opt.ssl_on) {
        m_rec.warning = "hostssl record cannot match because SSL is disabled";
      }
    } else if (is(ctext, "hostnossl")) {
      m_rec.type = model::ConnType::hostnossl;
    } else if (is(ctext, "hostgssenc")) {
      m_rec.type = model::ConnType::hostgssenc;
    } else if (is(ctext, "hostnogssenc")) {
      m_rec.type = model::ConnType::hostnogssenc;
    } else {
      return fail(fmt::format("invalid connection type \"{}\"", ct.text), m_rec.type_span);
    }
    return std::nullopt;
  }

  // The database and role fields (after the type at `f`; `f` ends at the roles).
  std::optional<Failure> parse_names(std::size_t& f) {
    auto& fields = m_tl.fields;
    if (++f >= fields.size()) {
      return fail("end-of-line before database specification", end_span());
    }
    if (auto e = take_checked(fields[f], m_rec.databases)) {
      return e;
    }
    if (++f >= fields.size()) {
      return fail("end-of-line before role specification", end_span());
    }
    return take_checked(fields[f], m_rec.users);
  }

  // The address field of a host line (and the netmask field after a bare numeric address).
  std::optional<Failure> parse_address(std::size_t& f) {
    auto& fields = m_tl.fields;
    if (++f >= fields.size()) {
      return fail("end-of-line before IP address specification", end_span());
    }
    if (fields[f].size() > 1) {
      return fail("multiple values specified for host address", fields[f][1].span);
    }
    AuthToken& at = fields[f][0];
    m_rec.address_span = std::move(at.span);
    const std::string_view atext = at.text;
    if (!at.quoted && is(atext, "all")) {
      m_rec.addr_kind = model::AddrKind::all;
      m_rec.address = "all";
    } else if (!at.quoted && is(atext, "samehost")) {
      m_rec.addr_kind = model::AddrKind::samehost;
      m_rec.address = "samehost";
    } else if (!at.quoted && is(atext, "samenet")) {
      m_rec.addr_kind = model::AddrKind::samenet;
      m_rec.address = "samenet";
    } else {
      return parse_host_address(at.text, f);
    }
    return std::nullopt;
  }

  // A numeric address (with a CIDR mask, or a netmask field after it) or a host name.
  std::optional<Failure> parse_host_address(const std::string& text, std::size_t& f) {
    const std::size_t slash = text.find('/');
    const std::string_view str = std::string_view(text).substr(0, slash);
    sockaddr_storage addr{};
    socklen_t addrlen = 0;
    bool hostname = false;
    bool dotted_quad = false;
    const int rc = numeric_address(str, addr, addrlen, &dotted_quad);
    if (rc == EAI_NONAME) {
      hostname = true;
    } else if (rc != 0) {
      return fail(fmt::format("invalid IP address \"{}\": {}", str, ::gai_strerror(rc)), m_rec.address_span);
    }
    if (hostname) {
      m_rec.addr_kind = model::AddrKind::hostname;
      m_rec.address.assign(str);
    } else {
      m_rec.addr_kind = model::AddrKind::ip;
      if (dotted_quad) {
        m_rec.address.assign(str);  // what numeric_host() would write
      } else {
        m_rec.address = numeric_host(addr, addrlen);
      }
    }
    if (slash != std::string::npos) {
      if (hostname) {
        return fail(fmt::format("specifying both host name and CIDR mask is invalid: \"{}\"", text),
                    m_rec.address_span);
      }
      return parse_cidr_mask(text, slash, addr);
    }
    if (hostname) {
      return std::nullopt;
    }
    return parse_netmask(f, addr);
  }

  // The `/bits` after a numeric address.
  std::optional<Failure> parse_cidr_mask(const std::string& text, std::size_t slash, const sockaddr_storage& addr) {
    const char* const bits_text = text.c_str() + slash + 1;  // (the rest of the token, NUL-terminated)
    char* endp = nullptr;
    errno = 0;
    const long bits = cidr_bits(bits_text, endp);
    const long max = addr.ss_family == AF_INET ? 32 : 128;
    if (*bits_text == '\0' || *endp != '\0' || bits < 0 || bits > max) {
      return fail(fmt::format("invalid CIDR mask in address \"{}\"", text), m_rec.address_span);
    }
    set_net(addr, static_cast<int>(bits));
    m_rec.netmask = mask_text(addr.ss_family, static_cast<int>(bits));
    return std::nullopt;
  }

  // The netmask field after a numeric address without a CIDR mask.
  std::optional<Failure> parse_netmask(std::size_t& f, const sockaddr_storage& addr) {
    auto& fields = m_tl.fields;
    if (++f >= fields.size()) {
      return fail("end-of-line before netmask specification", end_span());
    }
    if (fields[f].size() > 1) {
      return fail("multiple values specified for netmask", fields[f][1].span);
    }
    const AuthToken& mt = fields[f][0];
    sockaddr_storage mask{};
    socklen_t masklen = 0;
    const int mrc = numeric_address(mt.text, mask, masklen);
    if (mrc != 0) {
      return fail(fmt::format("invalid IP mask \"{}\": {}", mt.text, ::gai_strerror(mrc)), mt.span);
    }
    if (addr.ss_family != mask.ss_family) {
      return fail("IP address and mask do not match", mt.span);
    }
    m_rec.netmask = numeric_host(mask, masklen);
    set_net(addr, prefix_of(mask));
    return std::nullopt;
  }

  // The method field, then what the method allows on this type of line.
  std::optional<Failure> parse_method(std::size_t& f, bool local) {
    auto& fields = m_tl.fields;
    if (++f >= fields.size()) {
      return fail("end-of-line before authentication method", end_span());
    }
    if (fields[f].size() > 1) {
      return fail("multiple values specified for authentication type", fields[f][1].span);
    }
    AuthToken& mt = fields[f][0];
    m_rec.method_span = std::move(mt.span);
    if (auto e = method_keyword(mt.text)) {  // (NUL-terminated: m_line.method views mt.text)
      return e;
    }
    if (auto e = method_checks(local)) {
      return e;
    }
    if (is(m_line.method, "gss") || is(m_line.method, "sspi")) {
      m_line.include_realm = true;
    }
    m_rec.method = m_line.method;
    return std::nullopt;
  }

  // Sets m_line.method to a view of `m` when it names a method of this version and build.
  std::optional<Failure> method_keyword(std::string_view m) {
    const Build build;
    const char* unsupported = nullptr;
    if (is(m, "trust") || is(m, "ident") || is(m, "peer") || is(m, "password") || is(m, "reject") ||
        is(m, "scram-sha-256") || is(m, "radius") || (is(m, "oauth") && m_v >= 18)) {
      m_line.method = m;
    } else if (is(m, "md5")) {
      if (m_v <= 16 && truthy(m_opt.db_user_namespace)) {
        return fail("MD5 authentication is not supported when \"db_user_namespace\" is enabled", m_rec.method_span);
      }
      m_line.method = m;
    } else if (is(m, "gss") || is(m, "sspi") || is(m, "pam") || is(m, "bsd") || is(m, "ldap") || is(m, "cert")) {
      const bool ok = is(m, "gss")    ? build.gss
                      : is(m, "sspi") ? build.sspi
                      : is(m, "pam")  ? build.pam
                      : is(m, "bsd")  ? build.bsd
                      : is(m, "ldap") ? build.ldap
                                      : build.ssl;
      if (!ok) {
        unsupported = m.data();
      }
      m_line.method = m;
    } else {
      return fail(fmt::format("invalid authentication method \"{}\"", m), m_rec.method_span);
    }
    if (unsupported != nullptr) {
      return fail(fmt::format("invalid authentication method \"{}\": not supported by this build", m),
                  m_rec.method_span);
    }
    return std::nullopt;
  }

  // The method against the connection type (local ident is peer).
  std::optional<Failure> method_checks(bool local) {
    if (local && is(m_line.method, "ident")) {
      m_line.method = "peer";
    }
    if (local && is(m_line.method, "gss")) {
      return fail("gssapi authentication is not supported on local sockets", m_rec.method_span);
    }
    if (m_v <= 13 && m_rec.type == model::ConnType::hostgssenc && !is(m_line.method, "gss") &&
        !is(m_line.method, "reject") && !is(m_line.method, "trust")) {
      return fail("GSSAPI encryption only supports gss, trust, or reject authentication", m_rec.method_span);
    }
    if (!local && is(m_line.method, "peer")) {
      return fail("peer authentication is only supported on local sockets", m_rec.method_span);
    }
    if (m_rec.type != model::ConnType::hostssl && is(m_line.method, "cert")) {
      return fail("cert authentication is only supported on hostssl connections", m_rec.method_span);
    }
    return std::nullopt;
  }

  // The name=value options after the method field at `f`.
  std::optional<Failure> parse_options(std::size_t f) {
    auto& fields = m_tl.fields;
    std::size_t option_count = 0;
    for (std::size_t k = f + 1; k < fields.size(); ++k) {
      option_count += fields[k].size();
    }
    m_rec.options.reserve(option_count);
    while (++f < fields.size()) {
      for (AuthToken& t : fields[f]) {
        const std::size_t eq = t.text.find('=');
        if (eq == std::string::npos) {
          return fail(fmt::format("authentication option not in name=value format: {}", t.text), t.span);
        }
        std::string name = t.text.substr(0, eq);
        std::string value = std::move(t.text);  // the token's buffer becomes the value
        value.erase(0, eq + 1);
        m_rec.options.push_back(model::HbaOption{std::move(name), std::move(value), std::move(t.span)});
        if (auto e = option(m_rec.options.back())) {
          return e;
        }
      }
    }
    return std::nullopt;
  }
  static std::optional<Failure> fail(std::string msg, core::Span span, bool view_null = false) {
    return Failure{std::move(msg), view_null, std::move(span)};
  }
  [[nodiscard]] core::Span end_span() const {
    core::Span s = m_tl.span;
    s.begin.line = s.end_line ? s.end_line : s.begin.line;
    s.begin.column = s.end_column ? s.end_column : 1;
    return s;
  }

  // Moves the tokens of a database or role field into `out` once each passed the regular
  // expression check; on a failure, `out` keeps the tokens before the failing one.
  std::optional<Failure> take_checked(model::AuthField& field, std::vector<AuthToken>& out) const {
    for (std::size_t i = 0; i < field.size(); ++i) {
      if (auto e = regex_check(field[i])) {
        out.reserve(i);
        for (std::size_t k = 0; k < i; ++k) {
          out.push_back(std::move(field[k]));
        }
        return e;
      }
    }
    out = std::move(field);
    return std::nullopt;
  }

  std::optional<Failure> regex_check(const AuthToken& t) const {
    if (m_v < 16 || t.text.empty() || t.text[0] != '/') {
      return std::nullopt;
    }
    if (auto e = auth::check_regex(std::string_view(t.text).substr(1))) {
      return fail(fmt::format("invalid regular expression \"{}\": {}", t.text.substr(1), *e), t.span);
    }
    return std::nullopt;
  }

  void set_net(const sockaddr_storage& addr, int prefix) { m_rec.net = net_of(addr, prefix); }

  static int prefix_of(const sockaddr_storage& mask) {
    const unsigned char* b = nullptr;
    int n = 0;
    if (mask.ss_family == AF_INET) {
      b = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(&mask)->sin_addr);
      n = 4;
    } else {
      b = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(&mask)->sin6_addr);
      n = 16;
    }
    int bits = 0;
    for (int i = 0; i < n; ++i) {  // leading ones (non-contiguous masks are not rejected)
      for (int k = 7; k >= 0; --k) {
        if ((b[i] >> k) & 1) {
          ++bits;
        } else {
          return bits;
        }
      }
    }
    return bits;
  }

  // strtol(text, &endp, 10), for the usual one to three digits without the call.
  static long cidr_bits(const char* text, char*& endp) {
    long v = 0;
    int n = 0;
    while (n < 3 && text[n] >= '0' && text[n] <= '9') {
      v = v * 10 + (text[n] - '0');
      ++n;
    }
    if (n == 0 || text[n] != '\0') {  // signs, blanks, longer numbers, other bytes
      return std::strtol(text, &endp, 10);
    }
    endp = const_cast<char*>(text + n);  // NOLINT(cppcoreguidelines-pro-type-const-cast): as strtol
    return v;
  }

  std::optional<Failure> invalid_option(const model::HbaOption& o, const char* methods) const {
    return fail(
        fmt::format("authentication option \"{}\" is only valid for authentication methods {}", o.name, methods),
        o.span);
  }
  std::optional<Failure> require(const model::HbaOption& o, const char* method) const {
    if (std::string_view(m_line.method) != method) {
      return invalid_option(o, method);
    }
    return std::nullopt;
  }

  // One name=value option of the line (hba.c parse_hba_auth_opt), by option family.
  std::optional<Failure> option(const model::HbaOption& o) {
    const std::string_view name = o.name;
    m_line.ldapscope = LDAP_SCOPE_SUBTREE;
    if (is(name, "map")) {
      return option_map(o);
    }
    if (is(name, "clientcert")) {
      return option_clientcert(o);
    }
    if (is(name, "clientname") && m_v >= 14) {
      return option_clientname(o);
    }
    if (is(name, "pamservice") || is(name, "pam_use_hostname")) {
      if (auto e = require(o, "pam")) {
        return e;
      }
      if (is(name, "pamservice")) {
        m_line.pamservice = o.value;
      }
      return std::nullopt;
    }
    if (is_ldap_option(name)) {
      return option_ldap(o);
    }
    if (is(name, "krb_realm") || is(name, "include_realm") || is(name, "compat_realm") || is(name, "upn_username")) {
      return option_gss(o);
    }
    if (is(name, "radiusservers") || is(name, "radiusports") || is(name, "radiussecrets") ||
        is(name, "radiusidentifiers")) {
      return option_radius(o);
    }
    if (m_v >= 18 &&
        (is(name, "issuer") || is(name, "scope") || is(name, "validator") || is(name, "delegate_ident_mapping"))) {
      return option_oauth(o);
    }
    return fail(fmt::format("unrecognized authentication option name: \"{}\"", name), o.span);
  }

  std::optional<Failure> option_map(const model::HbaOption& o) {
    const std::string_view method = m_line.method;
    if (!is(method, "ident") && !is(method, "peer") && !is(method, "gss") && !is(method, "sspi") &&
        !is(method, "cert") && !(m_v >= 18 && is(method, "oauth"))) {
      return invalid_option(
          o, m_v >= 18 ? "ident, peer, gssapi, sspi, cert, and oauth" : "ident, peer, gssapi, sspi, and cert");
    }
    m_line.usermap = o.value;
    return std::nullopt;
  }

  std::optional<Failure> option_clientcert(const model::HbaOption& o) {
    const std::string& val = o.value;
    const bool cert = std::string_view(m_line.method) == "cert";
    if (m_rec.type != model::ConnType::hostssl) {
      return fail("clientcert can only be configured for \"hostssl\" rows", o.span);
    }
    if (m_v <= 13) {
      if (is(val, "1") || is(val, "verify-ca")) {
        m_line.clientcert = ClientCert::ca;
      } else if (is(val, "verify-full")) {
        m_line.clientcert = ClientCert::full;
      } else if (is(val, "0") || is(val, "no-verify")) {
        if (cert) {
          return fail(m_v == 12 ? "clientcert can not be set to \"no-verify\" when using \"cert\" authentication"
                                : "clientcert cannot be set to \"no-verify\" when using \"cert\" authentication",
                      o.span);
        }
        m_line.clientcert = ClientCert::off;
      } else {
        return fail(fmt::format("invalid value for clientcert: \"{}\"", val), o.span, true);
      }
    } else if (is(val, "verify-full")) {
      m_line.clientcert = ClientCert::full;
    } else if (is(val, "verify-ca")) {
      if (cert) {
        return fail("clientcert can only be set to \"verify-full\" when using \"cert\" authentication", o.span);
      }
      m_line.clientcert = ClientCert::ca;
    } else {
      return fail(fmt::format("invalid value for clientcert: \"{}\"", val), o.span, true);
    }
    return std::nullopt;
  }

  std::optional<Failure> option_clientname(const model::HbaOption& o) const {
    if (m_rec.type != model::ConnType::hostssl) {
      return fail("clientname can only be configured for \"hostssl\" rows", o.span);
    }
    if (!is(o.value, "CN") && !is(o.value, "DN")) {
      return fail(fmt::format("invalid value for clientname: \"{}\"", o.value), o.span, true);
    }
    return std::nullopt;
  }

  static bool is_ldap_option(std::string_view name) {
    return is(name, "ldapurl") || is(name, "ldaptls") || is(name, "ldapscheme") || is(name, "ldapport") ||
           ldap_slot(name);
  }

  // The options that only store their value.
  static bool ldap_slot(std::string_view name) {
    return is(name, "ldapserver") || is(name, "ldapbinddn") || is(name, "ldapbindpasswd") ||
           is(name, "ldapsearchattribute") || is(name, "ldapsearchfilter") || is(name, "ldapbasedn") ||
           is(name, "ldapprefix") || is(name, "ldapsuffix");
  }

  // Where an option of ldap_slot() stores its value.
  static std::optional<std::string> Line::*ldap_member(std::string_view name) {
    static constexpr std::pair<std::string_view, std::optional<std::string> Line::*> k_slots[] = {
        {"ldapserver", &Line::ldapserver},
        {"ldapbinddn", &Line::ldapbinddn},
        {"ldapbindpasswd", &Line::ldapbindpasswd},
        {"ldapsearchattribute", &Line::ldapsearchattribute},
        {"ldapsearchfilter", &Line::ldapsearchfilter},
        {"ldapbasedn", &Line::ldapbasedn},
        {"ldapprefix", &Line::ldapprefix},
    };
    for (const auto& [n, member] : k_slots) {
      if (n == name) {
        return member;
      }
    }
    return &Line::ldapsuffix;
  }

  std::optional<Failure> option_ldap(const model::HbaOption& o) {
    const std::string_view name = o.name;
    const std::string& val = o.value;
    if (auto e = require(o, "ldap")) {
      return e;
    }
    if (is(name, "ldapurl")) {
      return option_ldapurl(o);
    }
    if (is(name, "ldaptls")) {
      m_line.ldaptls = is(val, "1");
    } else if (is(name, "ldapscheme")) {
      m_line.ldapscheme = val;  // an invalid value is only logged
    } else if (is(name, "ldapport")) {
      m_line.ldapport = std::atoi(val.c_str());
      if (m_line.ldapport == 0) {
        return fail(fmt::format("invalid LDAP port number: \"{}\"", val), o.span);
      }
    } else {
      m_line.*ldap_member(name) = val;
    }
    return std::nullopt;
  }

  std::optional<Failure> option_ldapurl(const model::HbaOption& o) {
    const std::string& val = o.value;
    LDAPURLDesc* url = nullptr;
    const int rc = ::ldap_url_parse(val.c_str(), &url);
    if (rc != LDAP_SUCCESS) {
      return fail(fmt::format("could not parse LDAP URL \"{}\": {}", val, ::ldap_err2string(rc)), o.span);
    }
    const std::string scheme = url->lud_scheme != nullptr ? url->lud_scheme : "";
    if (!is(scheme, "ldap") && !is(scheme, "ldaps")) {
      ::ldap_free_urldesc(url);
      return fail(fmt::format("unsupported LDAP URL scheme: {}", scheme), o.span);
    }
    m_line.ldapscheme = scheme;
    if (url->lud_host != nullptr) {
      m_line.ldapserver = url->lud_host;
    }
    m_line.ldapport = url->lud_port;
    if (url->lud_dn != nullptr) {
      m_line.ldapbasedn = url->lud_dn;
    }
    if (url->lud_attrs != nullptr && url->lud_attrs[0] != nullptr) {
      m_line.ldapsearchattribute = url->lud_attrs[0];
    }
    m_line.ldapscope = url->lud_scope;
    if (url->lud_filter != nullptr) {
      m_line.ldapsearchfilter = url->lud_filter;
    }
    ::ldap_free_urldesc(url);
    return std::nullopt;
  }

  // krb_realm, include_realm (gss and sspi), compat_realm, upn_username (sspi).
  std::optional<Failure> option_gss(const model::HbaOption& o) {
    const std::string_view name = o.name;
    const std::string_view method = m_line.method;
    if (is(name, "compat_realm") || is(name, "upn_username")) {
      if (!is(method, "sspi")) {
        return invalid_option(o, "sspi");
      }
      return std::nullopt;
    }
    if (!is(method, "gss") && !is(method, "sspi")) {
      return invalid_option(o, "gssapi and sspi");
    }
    if (is(name, "krb_realm")) {
      m_line.krb_realm = o.value;
    } else {
      m_line.include_realm = is(o.value, "1");
    }
    return std::nullopt;
  }

  std::optional<Failure> option_radius(const model::HbaOption& o) {
    const std::string_view name = o.name;
    const std::string& val = o.value;
    if (auto e = require(o, "radius")) {
      return e;
    }
    std::vector<std::string> list;
    const bool parsed = split_guc_list(val, list);
    if (is(name, "radiusservers")) {
      if (!parsed) {
        return fail(fmt::format("could not parse RADIUS server list \"{}\"", val), o.span, true);
      }
      for (const auto& s : list) {
        if (!radius_server_resolves(s)) {
          return fail(fmt::format("could not translate RADIUS server name \"{}\" to address: {}", s,
                                  ::gai_strerror(EAI_NONAME)),
                      o.span, true);
        }
      }
      m_line.radiusservers = std::move(list);
      m_line.radiusservers_s = val;
    } else if (is(name, "radiusports")) {
      if (!parsed) {
        return fail(fmt::format("invalid RADIUS port number: \"{}\"", val), o.span);
      }
      for (const auto& p : list) {
        if (std::atoi(p.c_str()) == 0) {
          return fail(fmt::format("invalid RADIUS port number: \"{}\"", val), o.span, true);
        }
      }
      m_line.radiusports = std::move(list);
      m_line.radiusports_s = val;
    } else if (!parsed) {
      return fail(is(name, "radiussecrets") ? std::string("could not parse RADIUS secret list \"***\"")
                                            : fmt::format("could not parse RADIUS identifiers list \"{}\"", val),
                  o.span, true);
    } else if (is(name, "radiussecrets")) {
      m_line.radiussecrets = std::move(list);
      m_line.radiussecrets_s = val;
    } else {
      m_line.radiusidentifiers = std::move(list);
      m_line.radiusidentifiers_s = val;
    }
    return std::nullopt;
  }

  std::optional<Failure> option_oauth(const model::HbaOption& o) {
    const std::string_view name = o.name;
    if (auto e = require(o, "oauth")) {
      return e;
    }
    if (is(name, "issuer")) {
      m_line.oauth_issuer = o.value;
    } else if (is(name, "scope")) {
      m_line.oauth_scope = o.value;
    } else if (is(name, "validator")) {
      m_line.oauth_validator = o.value;
    } else {
      m_line.oauth_skip_usermap = is(o.value, "1");
    }
    return std::nullopt;
  }

  std::optional<Failure> mandatory(bool set, const char* arg, const char* method) const {
    if (!set) {
      return fail(fmt::format("authentication method \"{}\" requires argument \"{}\" to be set", method, arg),
                  m_rec.method_span);
    }
    return std::nullopt;
  }

  // The checks of parse_hba_line after the options, by method.
  std::optional<Failure> cross_checks() {
    if (is(m_line.method, "ldap")) {
      if (auto e = ldap_checks()) {
        return e;
      }
    }
    if (is(m_line.method, "radius")) {
      if (auto e = radius_checks()) {
        return e;
      }
    }
    if (is(m_line.method, "cert")) {
      // Every major stores verify-full for cert (12.22 and 13.23 show it for cert lines with
      // no clientcert and with clientcert=verify-ca alike).
      m_line.clientcert = ClientCert::full;
    }
    if (is(m_line.method, "oauth")) {
      return oauth_checks();
    }
    return std::nullopt;
  }

  std::optional<Failure> ldap_checks() const {
    const core::Span& ms = m_rec.method_span;
    if (m_line.ldapprefix || m_line.ldapsuffix) {
      if (m_line.ldapbasedn || m_line.ldapbinddn || m_line.ldapbindpasswd || m_line.ldapsearchattribute ||
          m_line.ldapsearchfilter) {
        return fail(m_v >= 18 ? "cannot mix options for simple bind and search+bind modes"
                              : "cannot use ldapbasedn, ldapbinddn, ldapbindpasswd, ldapsearchattribute, "
                                "ldapsearchfilter, or ldapurl together with ldapprefix",
                    ms);
      }
    } else if (!m_line.ldapbasedn) {
      return fail(
          "authentication method \"ldap\" requires argument \"ldapbasedn\", \"ldapprefix\", or \"ldapsuffix\" "
          "to be set",
          ms);
    }
    if (m_line.ldapsearchattribute && m_line.ldapsearchfilter) {
      return fail("cannot use ldapsearchattribute together with ldapsearchfilter", ms);
    }
    return std::nullopt;
  }

  std::optional<Failure> radius_checks() const {
    const core::Span& ms = m_rec.method_span;
    if (auto e = mandatory(!m_line.radiusservers.empty(), "radiusservers", "radius")) {
      return e;
    }
    if (auto e = mandatory(!m_line.radiussecrets.empty(), "radiussecrets", "radius")) {
      return e;
    }
    const bool null_view = m_v <= 13;
    const std::size_t servers = m_line.radiusservers.size();
    auto count_ok = [&](std::size_t n, bool zero_ok) { return (zero_ok && n == 0) || n == 1 || n == servers; };
    if (!count_ok(m_line.radiussecrets.size(), false)) {
      return fail(fmt::format("the number of RADIUS secrets ({}) must be 1 or the same as the number of RADIUS "
                              "servers ({})",
                              m_line.radiussecrets.size(), servers),
                  ms, null_view);
    }
    if (!count_ok(m_line.radiusports.size(), true)) {
      return fail(fmt::format("the number of RADIUS ports ({}) must be 1 or the same as the number of RADIUS "
                              "servers ({})",
                              m_line.radiusports.size(), servers),
                  ms, null_view);
    }
    if (!count_ok(m_line.radiusidentifiers.size(), true)) {
      return fail(fmt::format("the number of RADIUS identifiers ({}) must be 1 or the same as the number of "
                              "RADIUS servers ({})",
                              m_line.radiusidentifiers.size(), servers),
                  ms, null_view);
    }
    return std::nullopt;
  }

  std::optional<Failure> oauth_checks() {
    const core::Span& ms = m_rec.method_span;
    if (auto e = mandatory(m_line.oauth_scope.has_value(), "scope", "oauth")) {
      return e;
    }
    if (auto e = mandatory(m_line.oauth_issuer.has_value(), "issuer", "oauth")) {
      return e;
    }
    m_rec.warning.reset();  // check_oauth_validator() clears the message first
    std::vector<std::string> libs;
    const bool parsed = split_guc_list(m_opt.oauth_validator_libraries, libs);
    if (m_opt.oauth_validator_libraries.empty()) {
      return fail("oauth_validator_libraries must be set for authentication method oauth", ms);
    }
    if (!parsed) {
      return fail("invalid list syntax in parameter \"oauth_validator_libraries\"", ms);
    }
    if (!m_line.oauth_validator) {
      if (libs.size() != 1) {
        return fail(
            "authentication method \"oauth\" requires argument \"validator\" to be set when "
            "oauth_validator_libraries contains multiple options",
            ms);
      }
      m_line.oauth_validator = libs[0];
    } else if (std::find(libs.begin(), libs.end(), *m_line.oauth_validator) == libs.end()) {
      return fail(
          fmt::format("validator \"{}\" is not permitted by oauth_validator_libraries", *m_line.oauth_validator), ms);
    }
    if (m_line.oauth_skip_usermap && m_line.usermap) {
      return fail("map cannot be used in combination with delegate_ident_mapping", ms);
    }
    return std::nullopt;
  }

  // hbafuncs.c get_hba_options
  void view_options(std::vector<std::string>& o) const {
    const std::string_view m = m_line.method;
    if (is(m, "gss") || is(m, "sspi")) {
      if (m_line.include_realm) {
        o.emplace_back("include_realm=true");
      }
      if (m_line.krb_realm) {
        o.push_back("krb_realm=" + *m_line.krb_realm);
      }
    }
    if (m_line.usermap) {
      o.push_back("map=" + *m_line.usermap);
    }
    if (m_line.clientcert != ClientCert::off) {
      o.push_back(std::string("clientcert=") + (m_line.clientcert == ClientCert::ca ? "verify-ca" : "verify-full"));
    }
    if (m_line.pamservice) {
      o.push_back("pamservice=" + *m_line.pamservice);
    }
    if (is(m, "ldap")) {
      auto add = [&](const char* n, const std::optional<std::string>& v) {
        if (v) {
          o.push_back(std::string(n) + "=" + *v);
        }
      };
      add("ldapserver", m_line.ldapserver);
      if (m_line.ldapport != 0) {
        o.push_back(fmt::format("ldapport={}", m_line.ldapport));
      }
      add("ldapscheme", m_line.ldapscheme);
      if (m_line.ldaptls) {
        o.emplace_back("ldaptls=true");
      }
      add("ldapprefix", m_line.ldapprefix);
      add("ldapsuffix", m_line.ldapsuffix);
      add("ldapbasedn", m_line.ldapbasedn);
      add("ldapbinddn", m_line.ldapbinddn);
      add("ldapbindpasswd", m_line.ldapbindpasswd);
      add("ldapsearchattribute", m_line.ldapsearchattribute);
      add("ldapsearchfilter", m_line.ldapsearchfilter);
      if (m_line.ldapscope != 0) {
        o.push_back(fmt::format("ldapscope={}", m_line.ldapscope));
      }
    }
    if (is(m, "radius")) {
      if (m_line.radiusservers_s) {
        o.push_back("radiusservers=" + *m_line.radiusservers_s);
      }
      if (m_line.radiussecrets_s) {
        o.push_back("radiussecrets=" + *m_line.radiussecrets_s);
      }
      if (m_line.radiusidentifiers_s) {
        o.push_back("radiusidentifiers=" + *m_line.radiusidentifiers_s);
      }
      if (m_line.radiusports_s) {
        o.push_back("radiusports=" + *m_line.radiusports_s);
      }
    }
    if (is(m, "oauth")) {
      if (m_line.oauth_issuer) {
        o.push_back("issuer=" + *m_line.oauth_issuer);
      }
      if (m_line.oauth_scope) {
        o.push_back("scope=" + *m_line.oauth_scope);
      }
      if (m_line.oauth_validator) {
        o.push_back("validator=" + *m_line.oauth_validator);
      }
      if (m_line.oauth_skip_usermap) {
        o.emplace_back("delegate_ident_mapping=true");
      }
    }
  }

  const AuthParseOptions& m_opt;
  int m_v;
  auth::TokLine& m_tl;
  HbaRecord& m_rec;
  std::vector<std::string>& m_scratch;
  Line m_line;
};

// Repository mode: a token of unknown contents (an @file not in the copy) in the type,
// address, netmask, method or option fields. The server expands an @file in every field
// (next_field_expand), then e.g. "multiple values specified for host address" when it
// holds more than one token: what the line is cannot be told.
const AuthToken* unknown_outside_names(const auth::TokLine& tl) {
  for (std::size_t f = 0; f < tl.fields.size(); ++f) {
    if (f == 1 || f == 2) {
      continue;  // databases and roles: read with the unknown token (analysis::HbaReach)
    }
    for (const auto& t : tl.fields[f]) {
      if (t.unknown) {
        return &t;
      }
    }
  }
  return nullptr;
}

// Such a record is the only kind with view_null set and fatal not set: it takes no part in
// matching (analysis::participates), and the file still loads.
void unknown_record(HbaRecord& rec, const AuthToken& token, model::HbaFile& file) {
  rec.view_null = true;
  rec.error = fmt::format("a field of this line comes from \"{}\", which is not in this copy", token.text);
  rec.error_span = token.span;
  if (!file.unknown_lines_from) {
    file.unknown_lines_from = file.records.size() - 1;
  }
}

// From this many lines, a top-level pg_hba.conf is read in two parts, the second on another
// thread (parse_hba); tests lower it (auth::set_hba_split_from).
std::atomic<std::size_t> g_split_from{8192};
std::atomic<std::size_t> g_splits{0};
std::atomic<bool> g_second_part_after{false};  // tests: the second part after the first, on this thread

// Whether the process may run on two CPUs at once (else a second thread only waits for the
// first: taskset, a cgroup's cpuset).
bool two_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return ::sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) >= 2;
}

// Where parse_hba splits the top-level file's bytes (at the start of a logical line), or 0
// to read them in one go: a file of fewer lines, repository mode (its unknown lines are
// counted over the file), a file with a NUL byte, a process bound to one CPU.
std::size_t split_at(std::string_view bytes, const AuthParseOptions& options, std::size_t lines) {
  if (lines < g_split_from.load(std::memory_order_relaxed) || options.missing_files_unknown ||
      std::memchr(bytes.data(), '\0', bytes.size()) != nullptr ||
      (!g_second_part_after.load(std::memory_order_relaxed) && !two_cpus())) {
    return 0;
  }
  // A little before the middle: the caller's thread also appends the second part's records.
  return auth::split_point(bytes, bytes.size() / 100 * 48);
}

// The physical line that starts at byte `at` of `bytes` (a line at a time: memchr, not a
// loop over the bytes).
std::uint32_t line_at(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(auth::line_count_hint(bytes.substr(0, at)));
}

// Each line becomes a record as soon as it is tokenized.
struct RecordSink final : auth::LineSink {
  RecordSink(const AuthParseOptions& o, model::HbaFile& f) : options(o), file(f) {}
  void operator()(auth::TokLine& tl) override {
    if (file.records.size() >= prefaulted) {
      prefault_records();
    }
    HbaRecord& rec = file.records.emplace_back();
    rec.file = std::move(tl.file);
    rec.line = tl.line;
    if (tl.error) {
      rec.error = tl.error;
      rec.fatal = true;
      rec.error_span = tl.error_span;
    } else if (const AuthToken* u = options.missing_files_unknown ? unknown_outside_names(tl) : nullptr) {
      // (only repository mode makes tokens of unknown contents: no scan otherwise)
      unknown_record(rec, *u, file);
    } else {
      HbaLineParser p(options, tl, rec, view_scratch);
      if (auto failure = p.parse()) {
        rec.error = failure->message;
        rec.fatal = true;
        rec.view_null = failure->view_null;
        rec.error_span = failure->span;
      } else {
        rec.error = rec.warning;
        rec.error_span = rec.type_span;
      }
    }
    if (rec.fatal && !rec.view_null) {
      rec.warning.reset();
    }
    count(rec);
  }
  // What is counted over the file, from the record: `ok`, the rows that load and the
  // rule numbers (also for the records of a part read elsewhere, appended in order).
  void count(HbaRecord& rec) {
    ok = ok && !rec.fatal;
    if (!rec.fatal && !rec.view_null) {  // the line parsed (not an unknown line)
      ++loaded;
    }
    // The view's error column is empty: fatal view_null rows without a warning, and
    // rows that load without a warning (a fatal row with view_null unset lost its
    // warning above but shows its error).
    const bool view_error = rec.fatal ? (!rec.view_null || rec.warning) : rec.warning.has_value();
    if (!view_error) {
      ++rule_number;
    }
    if (options.pg_version >= 16) {
      rec.rule_number = view_error ? std::nullopt : std::optional<int>(rule_number);
    }
  }
  // Appends a record made by another sink, counted as if made here.
  void append(HbaRecord&& rec) {
    count(rec);
    file.records.push_back(std::move(rec));
  }
  // A large file's record array (1 MB or more) is faulted in ahead of use, a chunk at
  // a time: one madvise call instead of a page fault per 4 KiB page (the records are
  // about half of the memory a parse touches). Best effort: without
  // MADV_POPULATE_WRITE (Linux 5.14) the pages fault in as they are written.
  void prefault_records() {
    constexpr std::size_t k_chunk = 4096;  // records (about 1.8 MB)
    auto& records = file.records;
    prefaulted = records.size() + k_chunk;
    if (records.capacity() * sizeof(HbaRecord) < (std::size_t{1} << 20)) {
      return;
    }
    const std::size_t end = std::min(records.capacity(), prefaulted);
    core::prefault_for_write(records.data() + records.size(), records.data() + end, records.data() + records.capacity(),
                             records.empty());
  }
  const AuthParseOptions& options;
  model::HbaFile& file;
  std::vector<std::string> view_scratch;
  std::size_t prefaulted = 0;
  int rule_number = 0;
  bool ok = true;
  int loaded = 0;
};

// The top-level file read in two parts, split at byte `split` (a logical line start).
// The first is read here, with everything its lines do (@files, includes, secrets, the
// read budget) in order; the second on another thread, into records of its own (with a
// file name of its own: one reference count per thread), touching nothing shared: its
// secrets and @file references become events, and the lines it cannot read alone (an
// @file the first part has not expanded without error, an include) are left to this
// thread (auth::Context::detached). Then, in the second part's order, the secrets are
// registered, the references replayed (budget), its records appended and counted (rule
// numbers, rows that load) as if read here, and its deferred lines read here at their
// places: the same records, spans, sources and read budget as one sequential read.
void read_in_two_parts(const core::SourceFile& source, std::size_t split, const AuthParseOptions& options,
                       auth::Context& ctx, RecordSink& sink, core::SourceSet& sources) {
  const int v = options.pg_version;
  const std::string_view bytes = source.bytes();
  model::HbaFile& file = sink.file;
  const std::string_view second_bytes = bytes.substr(split);
  model::HbaFile second;
  std::mutex expansions_lock;
  auth::Context second_ctx;
  second_ctx.pg_version = v;
  second_ctx.detached = true;
  second_ctx.shared = &ctx;
  second_ctx.expansions_lock = &expansions_lock;
  ctx.expansions_lock = &expansions_lock;
  const core::FileName second_name(source.path());
  std::exception_ptr second_failed;
  // The pages the second part's records are appended to (past the first part's records,
  // which are at most its lines unless it includes files): the other thread faults them
  // in once done with its part. Populating writes nothing, whatever this thread does
  // there meanwhile (and nothing at all should the array have moved).
  const std::size_t first_lines = line_at(bytes, split) - 1;
  HbaRecord* const tail = file.records.data() + std::min(first_lines, file.records.capacity());
  HbaRecord* const tail_end = file.records.data() + file.records.capacity();
  // The mask texts are made before the thread starts (a function-local static: made
  // once either way, but then by this thread, before the other one reads them).
  (void)mask_text(AF_INET, 32);
  std::thread aside;
  g_splits.fetch_add(1, std::memory_order_relaxed);
  auto read_second = [&] {
    try {
      RecordSink second_sink(options, second);
      second.records.reserve(auth::line_count_hint(second_bytes));
      auth::tokenize_part(second_name, second_bytes, first_lines + 1, 0, second_ctx, second_sink);
      if (static_cast<std::size_t>(tail_end - tail) * sizeof(HbaRecord) >= (std::size_t{1} << 20)) {
        core::prefault_for_write(tail, tail_end, tail_end, false);
      }
    } catch (...) {
      second_failed = std::current_exception();
    }
  };
  const bool after = g_second_part_after.load(std::memory_order_relaxed);
  try {
    if (!after) {
      aside = std::thread(read_second);
    }
  } catch (const std::system_error&) {  // NOLINT(bugprone-empty-catch): no thread to be had: read here below
  }
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) {
        t.join();
      }
    }
  } join{aside};
  auth::tokenize_part(source.name(), bytes.substr(0, split), 1, 0, ctx, sink);
  const bool had_thread = aside.joinable() || after;
  if (aside.joinable()) {
    aside.join();
  } else if (after) {
    read_second();
  }
  ctx.expansions_lock = nullptr;
  if (!had_thread || second_failed) {
    // The second part read here instead, as the rest of a sequential read.
    auth::tokenize_part(source.name(), second_bytes, first_lines + 1, 0, ctx, sink);
  } else {
    auto& records = file.records;
    const std::size_t total = records.size() + second.records.size();
    if (total <= records.capacity() && total * sizeof(HbaRecord) >= (std::size_t{1} << 20)) {
      core::prefault_for_write(records.data() + records.size(), records.data() + total,
                               records.data() + records.capacity(), false);
    }
    std::size_t next = 0;
    auto append_until = [&](std::size_t end) {
      for (; next < end; ++next) {
        sink.append(std::move(second.records[next]));
      }
    };
    model::HbaFile deferred;
    RecordSink deferred_sink(options, deferred);
    using Kind = auth::Context::Event::Kind;
    for (const auth::Context::Event& e : second_ctx.events) {
      if (e.kind == Kind::secret) {
        sources.add_secret(e.secret);
        continue;
      }
      if (e.kind == Kind::at_file) {
        auth::replay_at_file(source.name(), e.name, ctx);
        continue;
      }
      append_until(e.lines_sent);
      deferred.records.clear();
      auth::tokenize_part(source.name(), second_bytes.substr(e.begin, e.end - e.begin), e.line, 0, ctx, deferred_sink);
      for (HbaRecord& rec : deferred.records) {
        sink.append(std::move(rec));
      }
    }
    append_until(second.records.size());
  }
}

}  // namespace

namespace auth {

void set_hba_split_from(std::size_t lines, bool second_part_after) {
  g_split_from.store(lines, std::memory_order_relaxed);
  g_second_part_after.store(second_part_after, std::memory_order_relaxed);
}

std::size_t hba_splits() {
  return g_splits.load(std::memory_order_relaxed);
}

}  // namespace auth

model::HbaFile parse_hba(const std::string& path, const AuthParseOptions& options, core::SourceSet& sources) {
  model::HbaFile file;
  file.path = make_absolute(path);
  const int v = options.pg_version;
  auth::FileRead fr = auth::read_file(file.path, &sources);
  if (fr.refused) {
    file.file_error =
        fmt::format("cannot read \"{}\": {}", file.path, auth::refused_text(*fr.refused, file.path, auth::Context{}));
    file.query_fails = true;
    file.refused = true;
    return file;
  }
  if (!fr.ok) {
    file.file_error = fmt::format(
        fmt::runtime(v >= 16 ? "could not open file \"{}\": {}" : "could not open configuration file \"{}\": {}"),
        file.path, auth::errno_text(fr.err_no));
    file.query_fails = true;
    return file;
  }
  if (fr.is_directory) {
    file.file_error = fmt::format("could not read file \"{}\": {}", file.path, auth::errno_text(EISDIR));
    file.query_fails = true;
    return file;
  }
  // The bytes move into the source set (its files stay valid while it lives).
  const core::SourceFile& source = sources.add(file.path, std::move(fr.bytes));
  auth::Context ctx;
  ctx.pg_version = v;
  ctx.sources = &sources;
  ctx.missing_unknown = options.missing_files_unknown;
  RecordSink sink(options, file);
  const std::string_view bytes = source.bytes();
  const std::size_t lines = auth::line_count_hint(bytes);
  // Every record is at least one line of the file (included files add more, rarely).
  file.records.reserve(lines);
  if (const std::size_t split = split_at(bytes, options, lines); split == 0) {
    auth::tokenize_file(source.name(), bytes, 0, ctx, sink);
  } else {
    read_in_two_parts(source, split, options, ctx, sink, sources);
  }
  if (ctx.query_fails) {
    file.records.clear();
    file.file_error = ctx.query_error;
    file.query_fails = true;
    return file;
  }
  file.missing_files = std::move(ctx.missing_files);
  const bool ok = sink.ok;
  const int loaded = sink.loaded;
  if (ok && loaded == 0) {
    file.file_error = fmt::format("configuration file \"{}\" contains no entries", file.path);
  }
  return file;
}

Result<model::IpNet> parse_hba_network(const std::string& text) {
  // The address field of a host line (HbaLineParser::parse), with a bare address read as
  // one host instead of asking for a netmask field.
  const std::size_t slash = text.find('/');
  const std::string str = text.substr(0, slash);
  sockaddr_storage addr{};
  socklen_t addrlen = 0;
  const int rc = numeric_address(str, addr, addrlen);
  if (rc == EAI_NONAME) {
    return fail(fmt::format("\"{}\" is not an IP address (host names are not networks)", str));
  }
  if (rc != 0) {
    return fail(fmt::format("invalid IP address \"{}\": {}", str, ::gai_strerror(rc)));
  }
  const long max = addr.ss_family == AF_INET ? 32 : 128;
  long bits = max;
  if (slash != std::string::npos) {
    const std::string bits_text = text.substr(slash + 1);
    char* endp = nullptr;
    errno = 0;
    bits = std::strtol(bits_text.c_str(), &endp, 10);
    if (bits_text.empty() || *endp != '\0' || bits < 0 || bits > max) {
      return fail(fmt::format("invalid CIDR mask in address \"{}\"", text));
    }
  }
  return net_of(addr, static_cast<int>(bits));
}

}  // namespace pgl::parse
