#include "analysis/hba_reach.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <span>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>

#include "core/text.hpp"
#include "model/config.hpp"

namespace pgl::analysis {

using model::AddrKind;
using model::AuthToken;
using model::ConnType;
using model::HbaRecord;
using model::IpNet;

namespace {

// samehost, samenet and host names are assumed never to cover a block this large.
constexpr int k_fuzzy_max_prefix_v4 = 8;   // keeps /0../7
constexpr int k_fuzzy_max_prefix_v6 = 16;  // keeps /0../15

enum class Match { no, maybe, yes };

Match combine_any(Match a, Match b) {
  if (a == Match::yes || b == Match::yes) {
    return Match::yes;
  }
  if (a == Match::maybe || b == Match::maybe) {
    return Match::maybe;
  }
  return Match::no;
}

Match combine_all(Match a, Match b) {
  if (a == Match::no || b == Match::no) {
    return Match::no;
  }
  if (a == Match::maybe || b == Match::maybe) {
    return Match::maybe;
  }
  return Match::yes;
}

// What a database or user token stands for (spec 3.4, 3.9).
enum class Kind { any, literal, member, samerole, sameuser, regex, physical };

// text views the record's token (the model outlives the index built from it). id: the text's
// number in the index (HbaReach::Index::intern; equal ids, equal texts) for the kinds with a
// text (literal, member, regex), compared instead of the texts.
constexpr std::uint32_t k_no_id = ~std::uint32_t(0);
struct Name {
  Kind kind = Kind::literal;
  std::string_view text;
  std::uint32_t id = k_no_id;
};

bool is_keyword(const AuthToken& t, std::string_view kw) {
  return !t.quoted && t.text == kw;
}

bool is_regex(const AuthToken& t, int pg_version) {
  return pg_version >= 16 && !t.text.empty() && t.text.front() == '/';
}

Name user_name(const AuthToken& t, int pg_version) {
  if (t.unknown) {  // repository mode: an @file not in the copy; like a regex, only itself certainly
    return {Kind::regex, t.text};
  }
  if (is_keyword(t, "all")) {
    return {Kind::any, {}};
  }
  if (!t.quoted && !t.text.empty() && t.text.front() == '+') {
    return {Kind::member, std::string_view(t.text).substr(1)};
  }
  if (is_regex(t, pg_version)) {
    return {Kind::regex, t.text};
  }
  return {Kind::literal, t.text};
}

Name db_name(const AuthToken& t, int pg_version) {
  if (t.unknown) {  // as in user_name (see HbaReach: physical replication is not modelled for it)
    return {Kind::regex, t.text};
  }
  if (is_keyword(t, "all")) {
    return {Kind::any, {}};
  }
  if (is_keyword(t, "sameuser")) {
    return {Kind::sameuser, {}};
  }
  if (is_keyword(t, "samerole") || is_keyword(t, "samegroup")) {
    return {Kind::samerole, {}};
  }
  if (is_keyword(t, "replication")) {
    return {Kind::physical, {}};
  }
  if (is_regex(t, pg_version)) {
    return {Kind::regex, t.text};
  }
  return {Kind::literal, t.text};
}

// Does an earlier user token e match the witness role w? A witness of kind `any` is a role
// that no list names and that is in no +group.
Match match_user(const Name& e, const Name& w) {
  switch (e.kind) {
    case Kind::any: return Match::yes;
    case Kind::member:
      if (w.kind == Kind::member && w.id == e.id) {
        return Match::yes;
      }
      return w.kind == Kind::any ? Match::no : Match::maybe;
    case Kind::regex: return w.kind == Kind::regex && w.id == e.id ? Match::yes : Match::maybe;
    case Kind::literal:
      if (w.kind == Kind::literal) {
        return w.id == e.id ? Match::yes : Match::no;
      }
      return w.kind == Kind::any ? Match::no : Match::maybe;
    default: return Match::maybe;
  }
}

// Does an earlier `sameuser` database token match the witness database wd (role wu)?
Match match_db_sameuser(const Name& wd, const Name& wu) {
  switch (wd.kind) {
    case Kind::sameuser: return Match::yes;
    case Kind::any: return Match::no;
    case Kind::literal:
      if (wu.kind == Kind::literal) {
        return wu.id == wd.id ? Match::yes : Match::no;
      }
      return wu.kind == Kind::any ? Match::no : Match::maybe;
    default: return Match::maybe;
  }
}

// Does an earlier database token e match the witness database wd (with witness role wu)?
Match match_db(const Name& e, const Name& wd, const Name& wu) {
  if (wd.kind == Kind::physical) {
    if (e.kind == Kind::regex && e.text.starts_with('@')) {
      return Match::maybe;  // an unknown @file (repository mode) may list `replication`
    }
    return e.kind == Kind::physical ? Match::yes : Match::no;
  }
  switch (e.kind) {
    case Kind::physical: return Match::no;
    case Kind::any: return Match::yes;
    case Kind::sameuser: return match_db_sameuser(wd, wu);
    case Kind::samerole:
      switch (wd.kind) {
        case Kind::samerole:
        case Kind::sameuser:  // a role is a member of itself
          return Match::yes;
        case Kind::any: return Match::no;
        case Kind::literal:
          // A role outside every list is a member of no other role.
          return wu.kind == Kind::any ? Match::no : Match::maybe;
        default: return Match::maybe;
      }
    case Kind::regex: return wd.kind == Kind::regex && wd.id == e.id ? Match::yes : Match::maybe;
    case Kind::literal:
      switch (wd.kind) {
        case Kind::literal: return wd.id == e.id ? Match::yes : Match::no;
        case Kind::any: return Match::no;
        case Kind::sameuser:
          if (wu.kind == Kind::literal) {
            return wu.id == e.id ? Match::yes : Match::no;
          }
          return wu.kind == Kind::any ? Match::no : Match::maybe;
        default: return Match::maybe;
      }
    default: return Match::maybe;
  }
}

char lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// a and b equal once lower-cased (core::ascii_lower: ASCII letters only).
bool same_host(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower_ascii(x) == lower_ascii(y); });
}

bool is_localhost_name(std::string_view name) {
  return same_host(name, "localhost") || same_host(name, "localhost.") || same_host(name, "localhost.localdomain");
}

IpNet make_net(int family, std::initializer_list<std::uint8_t> bytes, int prefix) {
  IpNet n;
  n.family = family;
  std::size_t i = 0;
  for (auto b : bytes) {
    n.bytes[i++] = b;
  }
  n.prefix = prefix;
  return n;
}

const std::vector<IpNet>& loopback_nets() {
  static const std::vector<IpNet> nets = {
      make_net(4, {127}, 8),
      make_net(6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128),
      make_net(6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127}, 104),
  };
  return nets;
}

// Source addresses no TCP client can have: 0.0.0.0/8, multicast and reserved IPv4,
// IPv6 multicast and the unspecified address.
const std::vector<IpNet>& non_client_nets() {
  static const std::vector<IpNet> nets = {
      make_net(4, {0}, 8), make_net(4, {224}, 4), make_net(4, {240}, 4), make_net(6, {0xff}, 8), make_net(6, {}, 128),
  };
  return nets;
}

bool in_classes(ConnClass c, const std::vector<ConnClass>& cs) {
  return std::find(cs.begin(), cs.end(), c) != cs.end();
}

const char* class_phrase(ConnClass c) {
  switch (c) {
    case ConnClass::local: return "Unix-domain socket";
    case ConnClass::tcp_plain: return "unencrypted TCP";
    case ConnClass::tcp_ssl: return "SSL";
    case ConnClass::tcp_gss: return "GSSAPI-encrypted";
  }
  return "";
}

}  // namespace

const char* to_string(ConnClass c) {
  switch (c) {
    case ConnClass::local: return "local";
    case ConnClass::tcp_plain: return "tcp-plain";
    case ConnClass::tcp_ssl: return "tcp-ssl";
    case ConnClass::tcp_gss: return "tcp-gss";
  }
  return "local";
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::no: return "no";
    case Verdict::maybe: return "maybe";
    case Verdict::yes: return "yes";
  }
  return "no";
}

namespace {

// At most four classes (a connection type's, or the part of them a query keeps), without
// allocating: every query builds these for every record it asks about.
template <typename T>
class ClassList {
 public:
  void push_back(T v) { m_items[m_size++] = v; }
  [[nodiscard]] std::size_t size() const { return m_size; }
  [[nodiscard]] bool empty() const { return m_size == 0; }
  const T& operator[](std::size_t i) const { return m_items[i]; }
  [[nodiscard]] const T* begin() const { return m_items.data(); }
  [[nodiscard]] const T* end() const { return m_items.data() + m_size; }

 private:
  std::array<T, 4> m_items{};
  std::size_t m_size = 0;
};

ClassList<ConnClass> class_list(ConnType type) {
  ClassList<ConnClass> l;
  switch (type) {
    case ConnType::local: l.push_back(ConnClass::local); break;
    case ConnType::host:
      l.push_back(ConnClass::tcp_plain);
      l.push_back(ConnClass::tcp_ssl);
      l.push_back(ConnClass::tcp_gss);
      break;
    case ConnType::hostssl: l.push_back(ConnClass::tcp_ssl); break;
    case ConnType::hostnossl:
      l.push_back(ConnClass::tcp_plain);
      l.push_back(ConnClass::tcp_gss);
      break;
    case ConnType::hostgssenc: l.push_back(ConnClass::tcp_gss); break;
    case ConnType::hostnogssenc:
      l.push_back(ConnClass::tcp_plain);
      l.push_back(ConnClass::tcp_ssl);
      break;
  }
  return l;
}

}  // namespace

std::vector<ConnClass> classes_of(ConnType type) {
  const ClassList<ConnClass> l = class_list(type);
  return {l.begin(), l.end()};
}

bool participates(const HbaRecord& r) {
  return !r.fatal && !r.view_null;
}

bool loopback_only(const HbaRecord& r) {
  if (r.type == ConnType::local) {
    return false;
  }
  switch (r.addr_kind) {
    case AddrKind::ip:
      if (!r.net) {
        return false;
      }
      return std::any_of(loopback_nets().begin(), loopback_nets().end(),
                         [&](const IpNet& lo) { return lo.contains(normalized(*r.net)); });
    case AddrKind::samehost: return true;
    case AddrKind::hostname: return is_localhost_name(r.address);
    default: return false;
  }
}

bool is_hostname_address(const HbaRecord& r) {
  return r.type != ConnType::local && r.addr_kind == AddrKind::hostname;
}

bool has_replication_db(const HbaRecord& r) {
  return std::any_of(r.databases.begin(), r.databases.end(),
                     [](const AuthToken& t) { return is_keyword(t, "replication"); });
}

IpNet normalized(IpNet net) {
  const int total = net.family == 4 ? 32 : 128;
  net.prefix = std::clamp(net.prefix, 0, total);
  // The first `prefix` bits of the 16 bytes stay; the rest (host bits and the bytes past the
  // family's length) is cleared: two 64-bit words in network order.
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  std::memcpy(&hi, net.bytes.data(), 8);
  std::memcpy(&lo, net.bytes.data() + 8, 8);
  hi = __builtin_bswap64(hi);
  lo = __builtin_bswap64(lo);
  const int p = net.prefix;
  hi &= p >= 64 ? ~std::uint64_t(0) : p == 0 ? 0 : ~std::uint64_t(0) << (64 - p);
  lo &= p <= 64 ? 0 : p >= 128 ? ~std::uint64_t(0) : ~std::uint64_t(0) << (128 - p);
  hi = __builtin_bswap64(hi);
  lo = __builtin_bswap64(lo);
  std::memcpy(net.bytes.data(), &hi, 8);
  std::memcpy(net.bytes.data() + 8, &lo, 8);
  return net;
}

// --- address sets -------------------------------------------------------------------

namespace {

int bits_of(int family) {
  return family == 4 ? 32 : 128;
}

Addr host_span(int bits) {
  return bits >= 128 ? ~Addr(0) : (Addr(1) << bits) - 1;
}

// The address bytes as a number: IPv4 from the first 4 bytes, IPv6 from all 16.
Addr load_addr(const IpNet& n) {
  if (n.family == 4) {
    std::uint32_t v = 0;
    std::memcpy(&v, n.bytes.data(), 4);
    return __builtin_bswap32(v);
  }
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  std::memcpy(&hi, n.bytes.data(), 8);
  std::memcpy(&lo, n.bytes.data() + 8, 8);
  return (Addr(__builtin_bswap64(hi)) << 64) | __builtin_bswap64(lo);
}

Addr first_of(const IpNet& n) {
  return load_addr(n) & ~host_span(bits_of(n.family) - n.prefix);
}

Addr last_of(const IpNet& n) {
  return first_of(n) | host_span(bits_of(n.family) - n.prefix);
}

// first_of and last_of of normalized(n), without building it.
void range_of(const IpNet& n, Addr& first, Addr& last) {
  const int bits = bits_of(n.family);
  const int prefix = std::clamp(n.prefix, 0, bits);
  const Addr a = load_addr(n);
  const Addr span = host_span(bits - prefix);
  first = a & ~span;
  last = first | span;
}

IpNet net_at(int family, Addr first, int prefix) {
  IpNet n;
  n.family = family;
  n.prefix = prefix;
  const int nb = family == 4 ? 4 : 16;
  for (int i = nb - 1; i >= 0; --i) {
    n.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(first & 0xff);
    first >>= 8;
  }
  return n;
}

int trailing_zeros(Addr a, int bits) {
  if (a == 0) {
    return bits;
  }
  const auto low = static_cast<std::uint64_t>(a);
  const int z = low != 0 ? __builtin_ctzll(low) : 64 + __builtin_ctzll(static_cast<std::uint64_t>(a >> 64));
  return std::min(z, bits);
}

int floor_log2(Addr a) {  // a > 0
  const auto high = static_cast<std::uint64_t>(a >> 64);
  return high != 0 ? 127 - __builtin_clzll(high) : 63 - __builtin_clzll(static_cast<std::uint64_t>(a));
}

// Calls f(first, prefix) for each maximal aligned block of [lo, hi], in order.
template <typename F>
void blocks(int family, Addr lo, Addr hi, F&& f) {
  const int bits = bits_of(family);
  while (true) {
    const Addr d = hi - lo;
    const int fit = d == ~Addr(0) ? 128 : floor_log2(d + 1);
    const int k = std::min(trailing_zeros(lo, bits), fit);
    f(lo, bits - k);
    const Addr last = lo + host_span(k);
    if (last >= hi) {
      return;
    }
    lo = last + 1;
  }
}

}  // namespace

NetSet::NetSet(IpNet whole) {
  const IpNet n = normalized(whole);
  m_family = n.family;
  m_iv.emplace(first_of(n), last_of(n));
}

void NetSet::subtract(const IpNet& raw) {
  if (raw.family != m_family || m_iv.empty()) {
    return;
  }
  Addr a = 0;
  Addr b = 0;
  range_of(raw, a, b);
  subtract(raw.family, a, b);
}

void NetSet::subtract(int family, Addr a, Addr b) {
  if (family != m_family || m_iv.empty()) {
    return;
  }
  if (b < m_iv.begin()->first || a > m_iv.rbegin()->second) {
    return;  // outside the set's span (most subtractions: no lookup)
  }
  auto it = m_iv.upper_bound(a);
  if (it != m_iv.begin() && std::prev(it)->second >= a) {
    --it;
  }
  while (it != m_iv.end() && it->first <= b) {
    const Addr lo = it->first;
    const Addr hi = it->second;
    it = m_iv.erase(it);
    if (lo < a) {
      m_iv.emplace_hint(it, lo, a - 1);
    }
    if (hi > b) {
      m_iv.emplace_hint(it, b + 1, hi);
      break;
    }
  }
}

bool NetSet::intersects(const IpNet& raw) const {
  if (raw.family != m_family || m_iv.empty()) {
    return false;
  }
  Addr a = 0;
  Addr b = 0;
  range_of(raw, a, b);
  return intersects(raw.family, a, b);
}

bool NetSet::intersects(int family, Addr a, Addr b) const {
  if (family != m_family || m_iv.empty()) {
    return false;
  }
  auto it = m_iv.upper_bound(b);
  if (it == m_iv.begin()) {
    return false;
  }
  --it;
  return it->second >= a;
}

NetSet NetSet::within(const IpNet& raw) const {
  NetSet out;
  out.m_family = raw.family;
  if (raw.family != m_family || m_iv.empty()) {
    return out;
  }
  Addr a = 0;
  Addr b = 0;
  range_of(raw, a, b);
  auto it = m_iv.upper_bound(a);
  if (it != m_iv.begin() && std::prev(it)->second >= a) {
    --it;
  }
  for (; it != m_iv.end() && it->first <= b; ++it) {
    out.m_iv.emplace_hint(out.m_iv.end(), std::max(it->first, a), std::min(it->second, b));
  }
  return out;
}

std::vector<IpNet> NetSet::nets() const {
  std::vector<IpNet> out;
  for (const auto& [lo, hi] : m_iv) {
    blocks(m_family, lo, hi, [&](Addr first, int prefix) { out.push_back(net_at(m_family, first, prefix)); });
  }
  return out;
}

std::optional<IpNet> NetSet::largest() const {
  std::optional<std::pair<int, Addr>> best;
  for (const auto& [lo, hi] : m_iv) {
    blocks(m_family, lo, hi, [&](Addr first, int prefix) {
      if (!best || prefix < best->first) {
        best = std::make_pair(prefix, first);
      }
    });
  }
  if (!best) {
    return std::nullopt;
  }
  return net_at(m_family, best->second, best->first);
}

bool NetSet::has_block_from(int max_prefix) const {
  const int bits = bits_of(m_family);
  if (max_prefix <= 0) {
    return !m_iv.empty();
  }
  // An interval's blocks are all shorter than max_prefix when both its ends are aligned on
  // blocks of prefix max_prefix - 1 (blocks() splits at the alignment of each end).
  const Addr span = host_span(bits - std::min(max_prefix - 1, bits));
  for (const auto& [lo, hi] : m_iv) {
    if ((lo & span) != 0 || ((hi + 1) & span) != 0) {
      return true;
    }
  }
  return false;
}

bool NetSet::keep_larger_than(int max_prefix) {
  std::map<Addr, Addr> kept;
  bool dropped = false;
  for (const auto& [lo, hi] : m_iv) {
    blocks(m_family, lo, hi, [&](Addr first, int prefix) {
      if (prefix >= max_prefix) {
        dropped = true;
        return;
      }
      const Addr last = first | host_span(bits_of(m_family) - prefix);
      if (!kept.empty() && std::prev(kept.end())->second + 1 == first) {
        std::prev(kept.end())->second = last;
      } else {
        kept.emplace_hint(kept.end(), first, last);
      }
    });
  }
  m_iv = std::move(kept);
  return dropped;
}

// --- the index ------------------------------------------------------------------------

namespace {

unsigned class_bit(ConnClass c) {
  return 1U << static_cast<unsigned>(c);
}

unsigned class_mask(ConnType type) {
  unsigned m = 0;
  for (ConnClass c : class_list(type)) {
    m |= class_bit(c);
  }
  return m;
}

struct NetKey {
  Addr first;
  int family;
  int prefix;
  bool operator==(const NetKey&) const = default;
};

// A number for each distinct text (database, role and group names): open addressing in one
// array, each text hashed once, eight bytes at a time.
class TextIds {
 public:
  // text's number; next (and true) when it has none yet.
  std::pair<std::uint32_t, bool> intern(std::string_view text, std::uint32_t next) {
    if ((m_count + 1) * 2 > m_slots.size()) {
      grow();
    }
    const std::uint64_t h = hash(text);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      Slot& s = m_slots[i];
      if (!s.used) {
        s = Slot{text.data(), text.size(), h, next, true};
        ++m_count;
        return {next, true};
      }
      if (s.hash == h && std::string_view(s.data, s.size) == text) {
        return {s.id, false};
      }
    }
  }

 private:
  struct Slot {
    const char* data;
    std::size_t size;
    std::uint64_t hash;
    std::uint32_t id;
    bool used;
  };
  static std::uint64_t hash(std::string_view t) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ t.size();
    std::size_t i = 0;
    for (; i + 8 <= t.size(); i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, t.data() + i, 8);
      h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
      h ^= h >> 29;
    }
    if (i < t.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, t.data() + i, t.size() - i);
      h = (h ^ w) * 0x94d049bb133111ebULL;
    }
    h ^= h >> 32;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    return h;
  }
  void grow() {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(std::max<std::size_t>(64, old.size() * 2), Slot{nullptr, 0, 0, 0, false});
    const std::size_t mask = m_slots.size() - 1;
    for (const Slot& s : old) {
      if (s.used) {
        std::size_t i = static_cast<std::size_t>(s.hash) & mask;
        while (m_slots[i].used) {
          i = (i + 1) & mask;
        }
        m_slots[i] = s;
      }
    }
  }
  std::vector<Slot> m_slots;  // a power of two, at most half used
  std::size_t m_count = 0;
};

// The record lists of each network written on some line (normalised), by network: open
// addressing in one array (a lookup is one hashed probe, mostly a single cache line), asked
// for every prefix length in use of every address component.
class ExactNets {
 public:
  // The list of key, added empty if it is not there yet.
  std::vector<std::size_t>& at(const NetKey& key) {
    if ((m_count + 1) * 2 > m_slots.size()) {
      grow();
    }
    Slot& s = m_slots[probe(key)];
    if (!s.used) {
      s = Slot{key.first, static_cast<std::uint32_t>(m_lists.size()), static_cast<std::uint8_t>(key.family),
               static_cast<std::uint8_t>(key.prefix), true};
      m_lists.emplace_back();
      ++m_count;
    }
    return m_lists[s.list];
  }
  [[nodiscard]] const std::vector<std::size_t>* find(const NetKey& key) const {
    if (m_slots.empty()) {
      return nullptr;
    }
    const Slot& s = m_slots[probe(key)];
    return s.used ? &m_lists[s.list] : nullptr;
  }

 private:
  struct Slot {
    Addr first;
    std::uint32_t list;
    std::uint8_t family;
    std::uint8_t prefix;
    bool used;
  };
  static std::size_t hash(const NetKey& k) {
    const auto lo = static_cast<std::uint64_t>(k.first);
    const auto hi = static_cast<std::uint64_t>(k.first >> 64);
    std::uint64_t h =
        (lo ^ (hi * 0x9e3779b97f4a7c15ULL) ^ (static_cast<std::uint64_t>(k.prefix * 2 + k.family) << 56)) *
        0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    return static_cast<std::size_t>(h);
  }
  // The slot of key, or the empty slot where it would go.
  [[nodiscard]] std::size_t probe(const NetKey& key) const {
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const Slot& s = m_slots[i];
      if (!s.used || (s.first == key.first && s.prefix == key.prefix && s.family == key.family)) {
        return i;
      }
    }
  }
  void grow() {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(std::max<std::size_t>(64, old.size() * 2), Slot{0, 0, 0, 0, false});
    for (const Slot& s : old) {
      if (s.used) {
        m_slots[probe(NetKey{s.first, s.family, s.prefix})] = s;
      }
    }
  }
  std::vector<Slot> m_slots;  // a power of two, at most half used
  std::vector<std::vector<std::size_t>> m_lists;
  std::size_t m_count = 0;
};

using List = std::vector<std::size_t>;

// The number of records of l before index (std::lower_bound's position). Asked for every
// source list of every cell: the search starts where index would be if the list's records
// were evenly spread (they mostly are), then widens by doubling steps, a few comparisons
// instead of a binary search over the whole list.
std::size_t count_before(const List& l, std::size_t index) {
  const std::size_t n = l.size();
  if (n == 0 || l.front() >= index) {
    return 0;
  }
  if (l.back() < index) {
    return n;
  }
  // l.front() < index <= l.back(): the answer is in [1, n - 1].
  const std::size_t guess = (index - l.front()) * (n - 1) / (l.back() - l.front());
  std::size_t lo = 0;  // l[lo] < index
  std::size_t hi = 0;  // l[hi] >= index
  if (l[guess] < index) {
    lo = guess;
    std::size_t step = 1;
    while (lo + step < n && l[lo + step] < index) {
      lo += step;
      step *= 2;
    }
    hi = std::min(n - 1, lo + step);
  } else {
    hi = guess;
    std::size_t step = 1;
    while (hi >= step && l[hi - step] >= index) {
      hi -= step;
      step *= 2;
    }
    lo = hi >= step ? hi - step : 0;
  }
  return static_cast<std::size_t>(std::lower_bound(l.begin() + static_cast<std::ptrdiff_t>(lo) + 1,
                                                   l.begin() + static_cast<std::ptrdiff_t>(hi), index) -
                                  l.begin());
}

bool same_name(const Name& a, const Name& b) {
  return a.kind == b.kind && a.id == b.id;
}

// A few record lists whose union is a source of candidates (a fixed array: asked for every
// cell, it allocates nothing).
class Lists {
 public:
  Lists() = default;
  Lists(std::initializer_list<const List*> lists) {
    for (const List* l : lists) {
      push_back(l);
    }
  }
  void push_back(const List* l) { m_at[m_n++] = l; }
  [[nodiscard]] const List* const* begin() const { return m_at.data(); }
  [[nodiscard]] const List* const* end() const { return m_at.data() + m_n; }

 private:
  std::array<const List*, 8> m_at{};
  std::size_t m_n = 0;
};

const List* nonempty(const List& l) {
  return l.empty() ? nullptr : &l;
}

}  // namespace

namespace {

// The default query's address components of r (local, the one or two sets, or a point).
std::size_t default_comp_count(const HbaRecord& r) {
  if (r.type == ConnType::local) {
    return 1;
  }
  switch (r.addr_kind) {
    case AddrKind::all: return 2;
    case AddrKind::ip: return r.net ? 1 : 0;
    case AddrKind::samehost:
    case AddrKind::samenet:
    case AddrKind::hostname: return 1;
    case AddrKind::none: return 0;
  }
  return 0;
}

}  // namespace

struct HbaReach::Index {
  // A record as the queries read it (96 bytes: its token lists live in `tokens` and
  // `distinct_at`, shared by all records).
  struct Rec {
    bool part = false;
    bool loopback = false;        // loopback_only()
    std::uint8_t classes = 0;     // class_bit() of each class its connection type accepts
    std::uint8_t net_family = 0;  // a numeric address: its family (0: none) and range
    bool unknown_db = false;      // a database token is an @file not in the copy (repository mode)
    std::uint8_t addr_kind = 0;   // model::AddrKind (the queries read no HbaRecord of an earlier line)
    std::uint32_t db_begin = 0;   // its database tokens: tokens[db_begin, +n_dbs)
    std::uint32_t n_dbs = 0;      // (then its role tokens: tokens[db_begin + n_dbs, +n_users))
    std::uint32_t n_users = 0;
    std::uint32_t distinct_begin = 0;    // distinct_at[distinct_begin, +n_distinct_dbs): the first
    std::uint32_t n_distinct_dbs = 0;    // occurrence of each distinct database token, then of
    std::uint32_t n_distinct_users = 0;  // each distinct role token
    Addr net_first = 0;
    Addr net_last = 0;
    std::string_view host;  // a host-name address as written (compared ignoring case)
  };
  std::vector<Rec> recs;
  // Where each record's default-query cells start in HbaReach::Cells (n + 1 entries: record i's
  // are [cell_at[i], cell_at[i + 1])).
  std::vector<std::size_t> cell_at;
  std::vector<Name> tokens;
  std::vector<std::uint32_t> distinct_at;

  [[nodiscard]] std::span<const Name> dbs(const Rec& x) const { return {tokens.data() + x.db_begin, x.n_dbs}; }
  [[nodiscard]] std::span<const Name> users(const Rec& x) const {
    return {tokens.data() + x.db_begin + x.n_dbs, x.n_users};
  }
  [[nodiscard]] std::span<const std::uint32_t> distinct_dbs(const Rec& x) const {
    return {distinct_at.data() + x.distinct_begin, x.n_distinct_dbs};
  }
  [[nodiscard]] std::span<const std::uint32_t> distinct_users(const Rec& x) const {
    return {distinct_at.data() + x.distinct_begin + x.n_distinct_dbs, x.n_distinct_users};
  }

  // The index lists of a role token's own name (nullptr: none, or not that kind of token).
  struct UserLists {
    const List* lit = nullptr;           // literal role: u_lit[name]
    const List* member = nullptr;        // +group: u_member[group]
    const List* anydb_user = nullptr;    // literal role: anydb_by_user[name]
    const List* anydb_member = nullptr;  // +group: anydb_by_member[group]
    const List* phys_user = nullptr;     // literal role: phys_by_user[name]
    const List* db_lit = nullptr;        // literal role: db_lit[name] (sameuser)
  };

  // The lists of each name (database, role or group), by its id: one hash lookup per token
  // when the index is built, none when it is queried.
  struct NameLists {
    List db_lit;           // lines with the literal database of that name
    List u_lit;            // lines with the literal role
    List u_member;         // lines with the +group
    List anydb_by_user;    // lines with database `all` and the literal role
    List anydb_by_member;  // lines with database `all` and the +group
    List phys_by_user;     // lines with database `replication` and the literal role
  };
  std::vector<NameLists> names;
  TextIds ids;  // (while the index is built)

  // Records (participating, in file order) by database token.
  List db_phys, db_any, db_sameuser, db_samerole, db_regex, db_lit_all, db_nonphys;
  // Records with database `all`, by role: those whose roles are all literal names under each
  // name (NameLists::anydb_by_user), the others apart (a role named in no list reaches only
  // the latter).
  List anydb_userwild;      // ... with a role token that is not a literal name
  List anydb_certain_wild;  // ... with role `all` or a regex (can match any role certainly)
  // The same for lines with the database `replication`.
  List phys_userwild;
  // By user token.
  List u_any, u_member_all, u_regex, u_lit_all, u_every;
  // By address.
  List local, a_all, a_fuzzy, a_host;
  ExactNets a_exact;
  struct Sorted {
    int family;
    Addr first;
    int prefix;
    std::size_t index;
  };
  std::vector<Sorted> a_sorted;  // numeric addresses by (family, first address)
  static constexpr std::uint32_t k_nowhere = ~std::uint32_t(0);
  std::vector<std::uint32_t> sorted_of;  // per record: where its network is in a_sorted (k_nowhere: none)
  std::size_t v6_begin = 0;              // a_sorted's first IPv6 network
  std::array<std::array<bool, 129>, 2> prefix_used{};
  std::array<std::vector<int>, 2> prefixes;  // the prefix lengths used, ascending, per family

  // The first occurrence of each distinct token (same kind and text), in order, appended to
  // distinct_at; returns how many.
  std::uint32_t distinct(std::span<const Name> names) {
    const std::size_t begin = distinct_at.size();
    if (names.size() <= 8) {
      for (std::size_t k = 0; k < names.size(); ++k) {
        if (std::none_of(distinct_at.begin() + static_cast<std::ptrdiff_t>(begin), distinct_at.end(),
                         [&](std::uint32_t o) { return same_name(names[o], names[k]); })) {
          distinct_at.push_back(static_cast<std::uint32_t>(k));
        }
      }
    } else {
      std::unordered_map<std::uint32_t, std::array<bool, 8>> seen;
      for (std::size_t k = 0; k < names.size(); ++k) {
        auto& flag = seen[names[k].id][static_cast<std::size_t>(names[k].kind)];
        if (!flag) {
          flag = true;
          distinct_at.push_back(static_cast<std::uint32_t>(k));
        }
      }
    }
    return static_cast<std::uint32_t>(distinct_at.size() - begin);
  }

  std::uint32_t intern(std::string_view text) {
    const auto [id, fresh] = ids.intern(text, static_cast<std::uint32_t>(names.size()));
    if (fresh) {
      names.emplace_back();
    }
    return id;
  }

  static void add(List& l, std::size_t i) {
    if (l.empty() || l.back() != i) {
      l.push_back(i);
    }
  }

  // aside: the addresses indexed on another thread meanwhile (they are written to other
  // fields of the records and to other lists than the names).
  Index(const model::HbaFile& file, int pg_version, bool aside) {
    recs.resize(file.records.size());
    cell_at.resize(file.records.size() + 1);
    std::size_t n_cells = 0;
    // (most records have one or two of each; grows for the others)
    tokens.reserve(file.records.size() * 2);
    distinct_at.reserve(file.records.size() * 2);
    std::exception_ptr failed;
    std::thread addresses;
    if (aside) {
      try {
        addresses = std::thread([&] {
          try {
            index_addresses(file);
          } catch (...) {
            failed = std::current_exception();
          }
        });
      } catch (const std::system_error&) {  // NOLINT(bugprone-empty-catch): no thread to be had: indexed below
      }
    }
    struct Join {
      std::thread& t;
      ~Join() {
        if (t.joinable()) {
          t.join();
        }
      }
    } join{addresses};
    for (std::size_t i = 0; i < file.records.size(); ++i) {
      const HbaRecord& r = file.records[i];
      Rec& x = recs[i];
      cell_at[i] = n_cells;
      x.part = participates(r);
      if (!x.part) {
        continue;
      }
      x.classes = static_cast<std::uint8_t>(class_mask(r.type));
      x.db_begin = static_cast<std::uint32_t>(tokens.size());
      index_databases(i, r, x, pg_version);
      index_users(i, r, x, pg_version);
      x.distinct_begin = static_cast<std::uint32_t>(distinct_at.size());
      x.n_distinct_dbs = distinct(dbs(x));
      x.n_distinct_users = distinct(users(x));
      index_roles_by_database(i, x);
      // The default query records one cell per (database, role, component, class).
      n_cells += std::size_t{x.n_distinct_dbs} * x.n_distinct_users * default_comp_count(r) *
                 static_cast<std::size_t>(__builtin_popcount(x.classes));
    }
    cell_at[file.records.size()] = n_cells;
    ids = {};
    if (addresses.joinable()) {
      addresses.join();
    } else {
      index_addresses(file);
    }
    if (failed) {
      std::rethrow_exception(failed);
    }
  }

  void index_addresses(const model::HbaFile& file) {
    for (std::size_t i = 0; i < file.records.size(); ++i) {
      const HbaRecord& r = file.records[i];
      if (!participates(r)) {
        continue;
      }
      Rec& x = recs[i];
      x.addr_kind = static_cast<std::uint8_t>(r.addr_kind);
      x.loopback = loopback_only(r);
      if (r.type != ConnType::local && r.addr_kind == AddrKind::hostname) {
        x.host = r.address;
      }
      index_address(i, r);
      if (r.type != ConnType::local && r.net) {
        x.net_family = static_cast<std::uint8_t>(r.net->family);
        range_of(*r.net, x.net_first, x.net_last);
      }
    }
    for (std::size_t f = 0; f < 2; ++f) {
      for (int p = 0; p <= 128; ++p) {
        if (prefix_used[f][static_cast<std::size_t>(p)]) {
          prefixes[f].push_back(p);
        }
      }
    }
    std::sort(a_sorted.begin(), a_sorted.end(), [](const Sorted& a, const Sorted& b) {
      return a.family != b.family ? a.family < b.family : a.first < b.first;
    });
    sorted_of.assign(recs.size(), k_nowhere);
    for (std::size_t k = 0; k < a_sorted.size(); ++k) {
      sorted_of[a_sorted[k].index] = static_cast<std::uint32_t>(k);
    }
    v6_begin = static_cast<std::size_t>(
        std::find_if(a_sorted.begin(), a_sorted.end(), [](const Sorted& x) { return x.family != 4; }) -
        a_sorted.begin());
  }

  void index_databases(std::size_t i, const HbaRecord& r, Rec& x, int pg_version) {
    bool nonphys = false;
    x.n_dbs = static_cast<std::uint32_t>(r.databases.size());
    for (const AuthToken& t : r.databases) {
      Name n = db_name(t, pg_version);
      if (n.kind == Kind::literal || n.kind == Kind::regex) {
        n.id = intern(n.text);
      }
      switch (n.kind) {
        case Kind::physical: add(db_phys, i); break;
        case Kind::any: add(db_any, i); break;
        case Kind::sameuser: add(db_sameuser, i); break;
        case Kind::samerole: add(db_samerole, i); break;
        case Kind::regex:
          add(db_regex, i);
          if (t.unknown) {
            add(db_phys, i);  // may list `replication` (match_db)
          }
          break;
        default:
          add(db_lit_all, i);
          add(names[n.id].db_lit, i);
          break;
      }
      nonphys = nonphys || n.kind != Kind::physical;
      x.unknown_db = x.unknown_db || t.unknown;
      tokens.push_back(n);
    }
    if (nonphys) {
      add(db_nonphys, i);
    }
  }

  void index_users(std::size_t i, const HbaRecord& r, Rec& x, int pg_version) {
    x.n_users = static_cast<std::uint32_t>(r.users.size());
    for (const AuthToken& t : r.users) {
      Name n = user_name(t, pg_version);
      if (n.kind == Kind::literal || n.kind == Kind::member || n.kind == Kind::regex) {
        n.id = intern(n.text);
      }
      switch (n.kind) {
        case Kind::any: add(u_any, i); break;
        case Kind::member:
          add(u_member_all, i);
          add(names[n.id].u_member, i);
          break;
        case Kind::regex: add(u_regex, i); break;
        default:
          add(u_lit_all, i);
          add(names[n.id].u_lit, i);
          break;
      }
      tokens.push_back(n);
    }
    add(u_every, i);
  }

  // The roles of the lines whose database is `replication` or `all`.
  void index_roles_by_database(std::size_t i, const Rec& x) {
    if (!db_phys.empty() && db_phys.back() == i) {
      for (const Name& n : users(x)) {
        if (n.kind == Kind::literal) {
          add(names[n.id].phys_by_user, i);
        } else {
          add(phys_userwild, i);
        }
      }
    }
    if (!db_any.empty() && db_any.back() == i) {
      for (const Name& n : users(x)) {
        switch (n.kind) {
          case Kind::literal: add(names[n.id].anydb_by_user, i); break;
          case Kind::member:
            add(names[n.id].anydb_by_member, i);
            add(anydb_userwild, i);
            break;
          default:
            add(anydb_userwild, i);
            add(anydb_certain_wild, i);
            break;
        }
      }
    }
  }

  void index_address(std::size_t i, const HbaRecord& r) {
    if (r.type == ConnType::local) {
      add(local, i);
      return;
    }
    add(a_host, i);
    switch (r.addr_kind) {
      case AddrKind::all: add(a_all, i); break;
      case AddrKind::samehost:
      case AddrKind::samenet:
      case AddrKind::hostname: add(a_fuzzy, i); break;
      case AddrKind::ip:
        if (r.net) {
          const IpNet n = normalized(*r.net);
          add(a_exact.at(NetKey{first_of(n), n.family, n.prefix}), i);
          a_sorted.push_back({n.family, first_of(n), n.prefix, i});
          prefix_used[n.family == 4 ? 0 : 1][static_cast<std::size_t>(n.prefix)] = true;
        }
        break;
      case AddrKind::none: break;
    }
  }

  // The lists of a literal database token's name (nullptr: none, or not a literal).
  [[nodiscard]] const List* db_lit_of(const Name& n) const {
    return n.kind == Kind::literal ? nonempty(names[n.id].db_lit) : nullptr;
  }
  [[nodiscard]] UserLists user_lists_of(const Name& n) const {
    UserLists l;
    if (n.kind == Kind::literal) {
      const NameLists& of = names[n.id];
      l.lit = nonempty(of.u_lit);
      l.anydb_user = nonempty(of.anydb_by_user);
      l.phys_user = nonempty(of.phys_by_user);
      l.db_lit = nonempty(of.db_lit);
    } else if (n.kind == Kind::member) {
      const NameLists& of = names[n.id];
      l.member = nonempty(of.u_member);
      l.anydb_member = nonempty(of.anydb_by_member);
    }
    return l;
  }

  // The records with database `all` that may match witness role wu.
  void any_db(const Name& wu, const UserLists& ul, Lists& to) const {
    if (wu.kind == Kind::literal || wu.kind == Kind::any) {
      to.push_back(&anydb_userwild);
      if (wu.kind == Kind::literal && ul.anydb_user != nullptr) {
        to.push_back(ul.anydb_user);
      }
    } else {
      to.push_back(&db_any);
    }
  }

  // The lists whose union holds every record whose database tokens may match witness wd
  // (for witness role wu).
  // (wd_lit and ul: the lists of the witnesses' own names, db_lit_of and user_lists_of.)
  Lists db_source(const Name& wd, const Name& wu, const List* wd_lit, const UserLists& ul) const {
    Lists out;
    switch (wd.kind) {
      case Kind::physical:
        if (wu.kind == Kind::literal || wu.kind == Kind::any) {
          out = {&phys_userwild};
          if (wu.kind == Kind::literal && ul.phys_user != nullptr) {
            out.push_back(ul.phys_user);
          }
          return out;
        }
        return {&db_phys};
      case Kind::any:
        out = {&db_regex};
        any_db(wu, ul, out);
        return out;
      case Kind::literal:
        // `sameuser` matches database X only for role X; `samerole` unless the role is in no list.
        out = {&db_regex};
        any_db(wu, ul, out);
        if (wu.kind == Kind::literal ? wu.id == wd.id : wu.kind != Kind::any) {
          out.push_back(&db_sameuser);
        }
        if (wu.kind != Kind::any) {
          out.push_back(&db_samerole);
        }
        if (wd_lit != nullptr) {
          out.push_back(wd_lit);
        }
        return out;
      case Kind::sameuser:
        out = {&db_regex, &db_sameuser, &db_samerole};
        any_db(wu, ul, out);
        if (wu.kind == Kind::literal) {
          if (ul.db_lit != nullptr) {
            out.push_back(ul.db_lit);
          }
        } else if (wu.kind != Kind::any) {
          out.push_back(&db_lit_all);
        }
        return out;
      default: return {&db_nonphys};
    }
  }

  Lists user_source(const Name& wu, const UserLists& ul) const {
    switch (wu.kind) {
      case Kind::any: return {&u_any, &u_regex};
      case Kind::literal: {
        Lists out = {&u_any, &u_regex, &u_member_all};
        if (ul.lit != nullptr) {
          out.push_back(ul.lit);
        }
        return out;
      }
      default: return {&u_every};
    }
  }

  // The lists whose union holds every record that can certainly match witnesses wd, wu
  // (once nothing is "possibly" left in a cell only these still change it).
  Lists certain_db(const Name& wd, const Name& wu, const List* wd_lit, const UserLists& ul) const {
    Lists out;
    switch (wd.kind) {
      case Kind::physical: return {&db_phys};
      case Kind::any: return {&db_any};
      case Kind::literal: {
        out = {&anydb_certain_wild};
        if (wu.kind == Kind::literal || wu.kind == Kind::member) {
          const List* by = wu.kind == Kind::literal ? ul.anydb_user : ul.anydb_member;
          if (by != nullptr) {
            out.push_back(by);
          }
        } else if (wu.kind != Kind::any) {
          out = {&db_any};
        }
        if (wd_lit != nullptr) {
          out.push_back(wd_lit);
        }
        if (wu.kind == Kind::literal && wu.id == wd.id) {
          out.push_back(&db_sameuser);
        }
        return out;
      }
      case Kind::sameuser: return {&db_any, &db_sameuser, &db_samerole};
      case Kind::samerole: return {&db_any, &db_samerole};
      default: return {&db_any, &db_regex};
    }
  }
  Lists certain_user(const Name& wu, const UserLists& ul) const {
    Lists out = {&u_any};
    const List* by = nullptr;
    if (wu.kind == Kind::literal) {
      by = ul.lit;
    } else if (wu.kind == Kind::member) {
      by = ul.member;
    } else if (wu.kind == Kind::regex) {
      out.push_back(&u_regex);
    }
    if (by != nullptr) {
      out.push_back(by);
    }
    return out;
  }

  // Numeric-address records that overlap net, with the records whose address is `all` or
  // fuzzy: every record that can change an address cell of net.
  struct AddrSource {
    std::vector<const List*> lists;
    std::size_t range_begin = 0;
    std::size_t range_end = 0;
    int prefix = 0;
  };
  // at: where a network equal to net is in a_sorted (k_nowhere: not known): the range is
  // searched from there outwards, a few steps where a binary search over the whole list
  // would take twenty.
  AddrSource addr_source(const IpNet& net, std::uint32_t at) const {
    AddrSource s;
    s.lists = {&a_all, &a_fuzzy};
    const IpNet n = normalized(net);
    const std::vector<int>& used = prefixes[n.family == 4 ? 0 : 1];
    const int bits = bits_of(n.family);
    const Addr a = first_of(n);
    for (const int p : used) {
      if (p > n.prefix) {
        break;
      }
      // The enclosing network of prefix p: a with the bits past p cleared.
      if (const List* l = a_exact.find(NetKey{a & ~host_span(bits - p), n.family, p})) {
        s.lists.push_back(l);
      }
    }
    const Addr b = last_of(n);
    s.prefix = n.prefix;
    if (n.prefix == 0) {  // the whole family
      s.range_begin = n.family == 4 ? 0 : v6_begin;
      s.range_end = n.family == 4 ? v6_begin : a_sorted.size();
      return s;
    }
    const auto before = [](const Sorted& x, const std::pair<int, Addr>& k) {
      return x.family != k.first ? x.family < k.first : x.first < k.second;
    };
    const auto after = [](const std::pair<int, Addr>& k, const Sorted& x) {
      return k.first != x.family ? k.first < x.family : k.second < x.first;
    };
    const auto key_a = std::make_pair(n.family, a);
    const auto key_b = std::make_pair(n.family, b);
    std::size_t lo_from = 0;
    std::size_t lo_to = a_sorted.size();
    std::size_t hi_from = 0;
    std::size_t hi_to = a_sorted.size();
    if (at != k_nowhere && a_sorted[at].family == n.family && a_sorted[at].first == a) {
      // The first entry not before a is at or before `at`, the first one after b after it.
      lo_to = at;
      for (std::size_t step = 1;; step *= 2) {
        if (lo_to < step) {
          break;
        }
        if (before(a_sorted[lo_to - step], key_a)) {
          lo_from = lo_to - step;
          break;
        }
        lo_to -= step;
      }
      hi_from = at + 1;
      for (std::size_t step = 1;; step *= 2) {
        if (at + step >= a_sorted.size()) {
          break;
        }
        if (after(key_b, a_sorted[at + step])) {
          hi_to = at + step;
          break;
        }
        hi_from = at + step + 1;
      }
    }
    const auto lo = std::lower_bound(a_sorted.begin() + static_cast<std::ptrdiff_t>(lo_from),
                                     a_sorted.begin() + static_cast<std::ptrdiff_t>(lo_to), key_a, before);
    const auto hi = std::upper_bound(a_sorted.begin() + static_cast<std::ptrdiff_t>(std::max(hi_from, lo_from)),
                                     a_sorted.begin() + static_cast<std::ptrdiff_t>(hi_to), key_b, after);
    s.range_begin = static_cast<std::size_t>(lo - a_sorted.begin());
    s.range_end = static_cast<std::size_t>(hi - a_sorted.begin());
    return s;
  }

  template <typename L>
  static std::size_t estimate(const L& lists, std::size_t index) {
    std::size_t n = 0;
    for (const List* l : lists) {
      n += count_before(*l, index);
    }
    return n;
  }
};

namespace {

// The union of sorted record lists in file order, produced on demand (a cell usually stops
// after its first few candidates) and remembered for the cell's other classes.
class Candidates {
 public:
  void clear() {
    m_heap.clear();
    m_seen.clear();
    m_own.clear();
    m_last = ~std::size_t(0);
  }
  void add(const std::size_t* b, const std::size_t* e) {
    if (b != e) {
      m_heap.push_back({b, e});
    }
  }
  // Records not in file order (the enclosed networks): sorted here.
  void add_unsorted(std::vector<std::size_t> v) {
    std::sort(v.begin(), v.end());
    m_own.push_back(std::move(v));
    add(m_own.back().data(), m_own.back().data() + m_own.back().size());
  }
  void start() { std::make_heap(m_heap.begin(), m_heap.end(), later); }
  // The k-th candidate (0-based), if there is one.
  bool get(std::size_t k, std::size_t& out) {
    while (m_seen.size() <= k) {
      if (m_heap.empty()) {
        return false;
      }
      if (m_heap.size() == 1) {  // one list left (often the only one): in order as it is
        Cursor& c = m_heap.front();
        const std::size_t v = *c.p++;
        if (c.p == c.e) {
          m_heap.pop_back();
        }
        if (v != m_last) {
          m_last = v;
          m_seen.push_back(v);
        }
        continue;
      }
      std::pop_heap(m_heap.begin(), m_heap.end(), later);
      Cursor& c = m_heap.back();
      const std::size_t v = *c.p++;
      if (c.p == c.e) {
        m_heap.pop_back();
      } else {
        std::push_heap(m_heap.begin(), m_heap.end(), later);
      }
      if (v != m_last) {
        m_last = v;
        m_seen.push_back(v);
      }
    }
    out = m_seen[k];
    return true;
  }

 private:
  struct Cursor {
    const std::size_t* p;
    const std::size_t* e;
  };
  static bool later(const Cursor& a, const Cursor& b) { return *a.p > *b.p; }
  std::vector<Cursor> m_heap;
  std::vector<std::size_t> m_seen;
  std::vector<std::vector<std::size_t>> m_own;  // (moving a vector keeps its data() valid)
  std::size_t m_last = ~std::size_t(0);
};

template <typename L>
void add_lists(Candidates& c, const L& lists, std::size_t index) {
  for (const List* l : lists) {
    c.add(l->data(), l->data() + count_before(*l, index));
  }
}

}  // namespace

namespace {

// One address component of the record under test: a set of one family, a point
// (samehost/samenet/host name), or the Unix socket.
struct Component {
  enum class What { local, set, point } what = What::local;
  int family = 4;
  IpNet whole;     // for sets: the record's own network (0/0 for `all`)
  NetSet initial;  // for sets: whole minus the exclusions
  int pos = 0;     // order among the record's components (as the default query builds them)
  // The default query's cells of this component answer this query too: they start from
  // the same addresses (what a cell scans depends only on the cell and that start).
  bool as_default = false;
  std::uint32_t sorted_at = HbaReach::Index::k_nowhere;  // sets: where whole is in Index::a_sorted, if known
};

bool is_default(const ReachQuery& q) {
  return q.classes.empty() && q.repl == ReplFilter::any && !q.exclude_loopback && q.exclude.empty();
}

}  // namespace

namespace {

// Asked once per record: one memcmp (an IpNet has no padding) rather than one per network.
bool same_nets(const std::vector<IpNet>& a, const std::vector<IpNet>& b) {
  static_assert(std::has_unique_object_representations_v<IpNet>);
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(IpNet)) == 0);
}

}  // namespace

// The outcome of one cell (database, role, address component, class) of a record.
struct HbaReach::CellOut {
  Verdict verdict = Verdict::no;
  bool touched = false;  // sets: earlier records took part of the possibly reached addresses
  IpNet largest;         // sets, verdict yes and touched: the largest block still reached
};

// The default query's cells of every record, in (database, role, component, class) order,
// with the earlier records that certainly take part of each cell. A record's cells have
// their place from the start (their number is known: database x role x component x class),
// so that records computed on several threads write there directly, in any order.
struct HbaReach::Cells {
  // (no member initialisers: the list is allocated untouched, each cell written once)
  struct Cell {
    std::uint8_t verdict;
    bool touched;
    std::uint8_t family;  // of CellOut::largest
    std::uint8_t prefix;
    std::array<std::uint8_t, 16> bytes;
    std::uint32_t part;  // the list of taken its records are in
    std::uint32_t taken_begin;
    std::uint32_t taken_end;

    void set(const CellOut& co) {
      verdict = static_cast<std::uint8_t>(co.verdict);
      touched = co.touched;
      family = static_cast<std::uint8_t>(co.largest.family);
      prefix = static_cast<std::uint8_t>(co.largest.prefix);
      bytes = co.largest.bytes;
    }
    [[nodiscard]] CellOut get() const {
      CellOut co;
      co.verdict = static_cast<Verdict>(verdict);
      co.touched = touched;
      co.largest.family = family;
      co.largest.prefix = prefix;
      co.largest.bytes = bytes;
      return co;
    }
  };
  static_assert(std::is_trivially_default_constructible_v<Cell>);
  std::unique_ptr<Cell[]> cells;  // NOLINT(modernize-avoid-c-arrays): allocated, not initialised
  // Lists of the earlier records that take part of the cells: 0 for the records computed on
  // the caller's thread one by one, one per block of records computed by in_pending.
  std::vector<std::vector<std::size_t>> taken{1};

  // The addresses the last query with exclusions leaves of each family (every address but
  // the non-client, excluded and, if asked, loopback ones), computed once per query rather
  // than once per record (the sections of `hba exposure` exclude dozens of networks).
  struct Allowed {
    bool valid = false;
    bool exclude_loopback = false;
    std::vector<IpNet> exclude;
    std::array<NetSet, 2> sets;
  };
  Allowed allowed;
  // Every client address of each family (all but the non-client ones): the default query's
  // start, whose part inside a record's network is that record's start.
  std::array<NetSet, 2> client = {client_set(4), client_set(6)};
  static NetSet client_set(int family) {
    IpNet whole;
    whole.family = family;
    whole.prefix = 0;
    NetSet set(whole);
    for (const IpNet& nc : non_client_nets()) {
      set.subtract(nc);
    }
    return set;
  }
  const std::array<NetSet, 2>& allowed_sets(const ReachQuery& q) {
    if (allowed.valid && allowed.exclude_loopback == q.exclude_loopback && same_nets(allowed.exclude, q.exclude)) {
      return allowed.sets;
    }
    allowed.valid = true;
    allowed.exclude_loopback = q.exclude_loopback;
    allowed.exclude = q.exclude;
    for (std::size_t f = 0; f < 2; ++f) {
      IpNet whole;
      whole.family = f == 0 ? 4 : 6;
      whole.prefix = 0;
      NetSet set(whole);
      for (const IpNet& nc : non_client_nets()) {
        set.subtract(nc);
      }
      if (q.exclude_loopback) {
        for (const IpNet& lo : loopback_nets()) {
          set.subtract(lo);
        }
      }
      for (const IpNet& ex : q.exclude) {
        set.subtract(ex);
      }
      allowed.sets[f] = std::move(set);
    }
    return allowed.sets;
  }
};

namespace {

// Repository mode. A record whose database list is an @file not in the copy (read as
// unknown) may also take physical replication connections, and may take no other: its own
// witnesses do not model that, so neither "certainly not" (for a query that includes
// replication) nor "certainly" is certain for it. After an include whose file is not in the
// copy (HbaFile::unknown_lines_from), "certainly" is not certain for any record.
Reach unknown_db_guard(const HbaReach::Index& ix, const model::HbaFile& file, std::size_t index,
                       const ReachQuery& query, Reach out) {
  if (index >= file.records.size() || (out.verdict == Verdict::no && query.repl == ReplFilter::normal)) {
    return out;
  }
  if (out.verdict == Verdict::yes && file.unknown_lines_from && index > *file.unknown_lines_from) {
    out.verdict = Verdict::maybe;  // an included file not in the copy may hold lines that take them first
    return out;
  }
  if (out.verdict != Verdict::maybe && ix.recs[index].part && ix.recs[index].unknown_db) {
    out.verdict = Verdict::maybe;
  }
  return out;
}

}  // namespace

Reach HbaReach::reach(std::size_t index, const ReachQuery& query) const {
  finish_pending();
  if (is_default(query)) {
    return reach_all(index);
  }
  return unknown_db_guard(*m_index, m_file, index, query, compute(index, query, nullptr));
}

Reach HbaReach::reach_after(std::size_t index, std::size_t earlier, const ReachQuery& query) const {
  finish_pending();
  return unknown_db_guard(*m_index, m_file, index, query, compute(index, query, &earlier));
}

// The default query's answer of each record, once computed. Allocated untouched (100,000
// answers are 6.4 MB): each answer is built in its place by the thread that computes it.
struct HbaReach::Memo {
  explicit Memo(std::size_t size)
      : n(size),
        done(std::make_unique<bool[]>(size)),
        at(std::allocator<Reach>().allocate(size)) {}  // NOLINT(modernize-avoid-c-arrays)
  ~Memo() {
    for (std::size_t i = 0; i < n; ++i) {
      if (done[i]) {
        std::destroy_at(at + i);
      }
    }
    std::allocator<Reach>().deallocate(at, n);
  }
  Memo(const Memo&) = delete;
  Memo& operator=(const Memo&) = delete;
  Memo(Memo&&) = delete;
  Memo& operator=(Memo&&) = delete;

  [[nodiscard]] bool has(std::size_t i) const { return done[i]; }
  [[nodiscard]] const Reach& get(std::size_t i) const { return at[i]; }
  void set(std::size_t i, Reach&& r) {
    if (done[i]) {
      at[i] = std::move(r);
    } else {
      std::construct_at(at + i, std::move(r));
      done[i] = true;
    }
  }

  std::size_t n;
  std::unique_ptr<bool[]> done;  // NOLINT(modernize-avoid-c-arrays)
  Reach* at;
};

namespace {
const Reach k_none;  // (namespace scope: built before main, read by every thread)
}  // namespace

const Reach& HbaReach::reach_all(std::size_t index) const {
  finish_pending();
  if (index >= m_file.records.size()) {
    return k_none;
  }
  if (!m_all_computed && m_file.records.size() >= k_parallel_min_records) {
    compute_all();
  }
  if (!m_memo->has(index)) {
    m_memo->set(index, compute_default(index, 0));
  }
  return m_memo->get(index);
}

namespace {

// Calls f(b) for every block b < n_blocks, on this thread and up to threads - 1 others (each
// takes the next block not taken yet); the first exception any of them threw is rethrown
// here once all have stopped.
template <typename F>
void in_blocks(std::size_t n_blocks, unsigned threads, F&& f) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&] {
    try {
      for (std::size_t b = next++; b < n_blocks && !failed; b = next++) {
        f(b);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) {
        error = std::current_exception();
      }
      failed = true;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads && t < n_blocks; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads: the ones there are (and this one) take the remaining blocks
    }
  }
  work();
  for (std::thread& t : pool) {
    t.join();
  }
  if (error) {
    std::rethrow_exception(error);
  }
}

unsigned auto_threads(std::size_t records) {
  const unsigned hw = std::thread::hardware_concurrency();
  const std::size_t by_size = records / (HbaReach::k_parallel_min_records / 2);
  return static_cast<unsigned>(std::clamp<std::size_t>(std::min<std::size_t>(hw, by_size), 1, HbaReach::k_max_threads));
}

}  // namespace

// Records are handed out in blocks (later records have more earlier ones to scan: fixed
// halves would leave one thread waiting); each record's answer and cells are written in
// their own places (Memo, Index::cell_at) and the records its cells take into its block's
// list of taken, so that what the other queries read is what a sequential run would have
// recorded, whichever thread computed it.
void HbaReach::compute_all(unsigned threads) const {
  finish_pending();
  m_all_computed = true;
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < m_memo->n; ++i) {
    if (!m_memo->has(i)) {
      todo.push_back(i);
    }
  }
  if (todo.empty()) {
    return;
  }
  if (threads == 0) {
    threads = m_threads != 0 ? m_threads : auto_threads(todo.size());
  }
  if (threads <= 1 || todo.size() <= k_block) {  // what reach_all would do, record by record
    for (const std::size_t index : todo) {
      (void)reach_all(index);
    }
    return;
  }
  start_pending(std::move(todo), threads - 1);
  finish_pending();  // (this thread takes blocks too)
}

// The default query's records being computed on other threads: blocks of k_block records,
// each taken by the next thread free; finish_pending takes the blocks left and joins.
struct HbaReach::Pending {
  std::vector<std::size_t> todo;
  std::size_t n_blocks = 0;
  std::uint32_t first_part = 0;  // block b's taken records: Cells::taken[first_part + b]
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::vector<std::thread> workers;

  void work(const HbaReach& model) {
    try {
      // Each record's answer and cells have their own places (Memo, Index::cell_at):
      // written by the one thread computing it, read only once every thread is joined.
      for (std::size_t b = next++; b < n_blocks && !stop; b = next++) {
        const std::size_t end = std::min(todo.size(), (b + 1) * k_block);
        for (std::size_t k = b * k_block; k < end; ++k) {
          model.m_memo->set(todo[k], model.compute_default(todo[k], first_part + static_cast<std::uint32_t>(b)));
        }
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) {
        error = std::current_exception();
      }
      stop = true;
    }
  }
};

void HbaReach::start_pending(std::vector<std::size_t> todo, unsigned workers) const {
  // The tables the runs read, built here first (their initialisation is thread-safe anyway;
  // this keeps race detectors that do not model it quiet).
  (void)non_client_nets();
  (void)loopback_nets();
  auto p = std::make_unique<Pending>();
  p->todo = std::move(todo);
  p->n_blocks = (p->todo.size() + k_block - 1) / k_block;
  p->first_part = static_cast<std::uint32_t>(m_cells->taken.size());
  m_cells->taken.resize(m_cells->taken.size() + p->n_blocks);
  Pending& pending = *p;
  for (unsigned t = 0; t < workers && t < pending.n_blocks; ++t) {
    try {
      pending.workers.emplace_back([this, &pending] { pending.work(*this); });
    } catch (const std::system_error&) {
      break;  // no more threads: the ones there are (and finish_pending's) take the blocks
    }
  }
  m_pending = std::move(p);
}

void HbaReach::finish_pending() const {
  if (!m_pending) {
    return;
  }
  const std::unique_ptr<Pending> p = std::move(m_pending);
  p->work(*this);  // the blocks no thread has taken yet
  for (std::thread& t : p->workers) {
    t.join();
  }
  if (p->error) {
    // (the records computed before it are kept; reach_all computes the others one by one)
    std::rethrow_exception(p->error);
  }
}

HbaReach::HbaReach(const model::HbaFile& file, int pg_version) : HbaReach(file, pg_version, 0) {}

HbaReach::HbaReach(const model::HbaFile& file, int pg_version, unsigned threads)
    : m_file(file),
      m_pg_version(pg_version),
      m_index(std::make_unique<Index>(file, pg_version,
                                      threads != 1 && file.records.size() >= k_parallel_min_records &&
                                          (threads != 0 || auto_threads(file.records.size()) > 1))),
      m_cells(std::make_unique<Cells>()),
      m_memo(std::make_unique<Memo>(file.records.size())),
      m_threads(threads) {
  // Untouched until written: pages of cells never computed are never faulted in, and those
  // computed are faulted in by the thread that writes them.
  m_cells->cells =
      std::make_unique_for_overwrite<Cells::Cell[]>(m_index->cell_at.back());  // NOLINT(modernize-avoid-c-arrays)
  if (threads == 1 || file.records.size() < k_parallel_min_records) {
    return;
  }
  // `threads` counts this one, which goes on with the caller's work: on 2 cores, one other
  // thread.
  const unsigned workers = (threads != 0 ? threads : auto_threads(file.records.size())) - 1;
  if (workers == 0) {
    return;
  }
  // Every record's default query, on other threads while the caller goes on (the first
  // query waits for them, and takes the blocks they have not taken yet).
  m_all_computed = true;
  std::vector<std::size_t> todo(file.records.size());
  for (std::size_t i = 0; i < todo.size(); ++i) {
    todo[i] = i;
  }
  start_pending(std::move(todo), workers);
}

HbaReach::~HbaReach() {
  if (m_pending) {  // never asked: the threads stop after their current block
    m_pending->stop = true;
    for (std::thread& t : m_pending->workers) {
      t.join();
    }
  }
}

namespace {

// The state of one cell while the earlier records are applied to it: what they certainly
// take (nc: the addresses not certainly taken yet) and what they may take (np: the addresses
// still possibly reached); for points and the Unix socket, the same as two flags.
// A cell's address set: the component's own until an earlier record changes it (most
// earlier candidates change nothing; the copy is made on the first change).
class CellSet {
 public:
  explicit CellSet(const NetSet& initial) : m_initial(&initial) {}
  [[nodiscard]] const NetSet& get() const { return m_own ? *m_own : *m_initial; }
  NetSet& change() {
    if (!m_own) {
      m_own = *m_initial;
    }
    return *m_own;
  }
  void clear() { m_own.emplace(); }

 private:
  const NetSet* m_initial;
  std::optional<NetSet> m_own;
};

struct CellState {
  explicit CellState(const NetSet& initial) : nc(initial), np(initial) {}
  CellSet nc;
  CellSet np;
  bool np_touched = false;
  bool nc_point = true;
  bool np_point = true;
};

// The first "yes" cell in (class, database, user, component) order gives the example.
struct Best {
  bool any_yes = false;
  bool all_no = true;
  std::tuple<std::size_t, std::size_t, std::size_t, int> rank{~std::size_t(0), 0, 0, 0};
  const Component* comp = nullptr;
  ConnClass cls = ConnClass::local;
  HbaReach::CellOut out;

  void consider(const HbaReach::CellOut& co, std::size_t ci, std::size_t di, std::size_t ui, const Component& c,
                ConnClass cell_class) {
    if (co.verdict != Verdict::no) {
      all_no = false;
    }
    if (co.verdict != Verdict::yes) {
      return;
    }
    any_yes = true;
    const auto r = std::make_tuple(ci, di, ui, c.pos);
    if (r >= rank) {
      return;
    }
    rank = r;
    comp = &c;
    cls = cell_class;
    out = co;
  }
};

Match tokens_match(std::span<const Name> tokens, const Name& w, Match (*one)(const Name&, const Name&)) {
  Match m = Match::no;
  for (const Name& t : tokens) {
    m = combine_any(m, one(t, w));
    if (m == Match::yes) {
      break;
    }
  }
  return m;
}

// Buffers a compute() fills and empties. A query runs once per record and the rules ask
// about every record, so they are kept between runs and their capacity reused rather than
// allocated again each time; a run that starts inside another (the default query's cells
// computed on first need) takes a set of its own.
struct RunScratch {
  std::vector<Component> comps;
  std::vector<std::size_t> dbs;
  std::vector<std::size_t> db_pos;
  std::vector<std::optional<std::pair<HbaReach::Index::AddrSource, std::size_t>>> comp_src;
  Candidates cands;
  Candidates certain;

  void clear() {
    comps.clear();
    dbs.clear();
    db_pos.clear();
    comp_src.clear();
    cands.clear();
    certain.clear();
  }
};

class ScratchLease {
 public:
  ScratchLease() {
    auto& free = pool();
    if (free.empty()) {
      m_scratch = std::make_unique<RunScratch>();
    } else {
      m_scratch = std::move(free.back());
      free.pop_back();
      m_scratch->clear();
    }
  }
  ~ScratchLease() {
    try {
      pool().push_back(std::move(m_scratch));
    } catch (...) {  // NOLINT(bugprone-empty-catch): no room to keep it: freed instead
    }
  }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  ScratchLease(ScratchLease&&) = delete;
  ScratchLease& operator=(ScratchLease&&) = delete;
  RunScratch& get() { return *m_scratch; }

 private:
  static std::vector<std::unique_ptr<RunScratch>>& pool() {
    thread_local std::vector<std::unique_ptr<RunScratch>> free;
    return free;
  }
  std::unique_ptr<RunScratch> m_scratch;
};

}  // namespace

// One compute(): the record under test, the query, the cells being computed and the answer
// being built.
struct HbaReach::Run {
  const HbaReach& self;
  const Index& ix;
  const std::size_t index;
  const HbaRecord& r;
  const Index::Rec& rx;
  const std::span<const Name> r_dbs;  // its tokens
  const std::span<const Name> r_users;
  const std::span<const std::uint32_t> r_ddbs;  // the first of each distinct one
  const std::span<const std::uint32_t> r_dusers;
  const ReachQuery& query;
  const std::size_t* only;
  // The default query records its cells; the others reuse them where they can.
  const bool record;
  const bool reuse;
  const Cells::Cell* memo = nullptr;
  Cells::Cell* sink = nullptr;  // where the default query records its cells (the record's place)
  std::size_t n_recorded = 0;   // how many it has recorded
  std::uint32_t part = 0;       // and the list of taken it records into
  std::vector<std::size_t>* sink_taken = nullptr;

  ClassList<ConnClass> all_classes;
  ClassList<ConnClass> classes;
  ClassList<std::size_t> class_pos;  // position in all_classes (the default query's)
  ScratchLease scratch;
  std::vector<Component>& comps = scratch.get().comps;
  std::vector<std::size_t>& dbs = scratch.get().dbs;        // distinct database tokens the query keeps
  std::vector<std::size_t>& db_pos = scratch.get().db_pos;  // their position among the default query's
  std::size_t n_comps = 0;
  std::vector<std::size_t> taken;
  Best best;
  std::vector<std::optional<std::pair<Index::AddrSource, std::size_t>>>& comp_src = scratch.get().comp_src;
  Candidates& cands = scratch.get().cands;
  Candidates& certain = scratch.get().certain;  // built on first need for the current (database, user, component)
  bool certain_built = false;
  bool certain_usable = false;

  // record_to: the list of taken the default query records into (nullptr: another query).
  Run(const HbaReach& reach, std::size_t i, const ReachQuery& q, const std::size_t* only_record,
      const std::uint32_t* record_to)
      : self(reach),
        ix(*reach.m_index),
        index(i),
        r(reach.m_file.records[i]),
        rx(ix.recs[i]),
        r_dbs(ix.dbs(rx)),
        r_users(ix.users(rx)),
        r_ddbs(ix.distinct_dbs(rx)),
        r_dusers(ix.distinct_users(rx)),
        query(q),
        only(only_record),
        record(record_to != nullptr),
        reuse(only_record == nullptr && !record) {
    if (record) {
      sink = reach.m_cells->cells.get() + ix.cell_at[i];
      part = *record_to;
      sink_taken = &reach.m_cells->taken[part];
    }
  }

  Reach run() {
    if (reuse) {
      (void)self.reach_all(index);
      memo = self.m_cells->cells.get() + ix.cell_at[index];
    }
    select_classes();
    build_components();
    select_databases();
    n_comps = default_comp_count(r);
    comp_src.resize(comps.size());
    for (std::size_t di = 0; di < dbs.size(); ++di) {
      for (std::size_t ui = 0; ui < r_dusers.size(); ++ui) {
        for (const Component& comp : comps) {
          if (reuse && comp.as_default) {
            reuse_cells(di, ui, comp);
          } else {
            compute_cells(di, ui, comp);
          }
        }
      }
    }
    if (record && n_recorded != ix.cell_at[index + 1] - ix.cell_at[index]) {
      throw std::logic_error("first-match model: a record's cells are not the ones placed for it");
    }
    return answer();
  }

  void select_classes() {
    all_classes = class_list(r.type);
    for (std::size_t c = 0; c < all_classes.size(); ++c) {
      if (query.classes.empty() || in_classes(all_classes[c], query.classes)) {
        classes.push_back(all_classes[c]);
        class_pos.push_back(c);
      }
    }
  }

  // Address components, with the exclusions applied once.
  void build_components() {
    if (r.type == ConnType::local) {
      comps.emplace_back();
      comps.back().as_default = true;  // a Unix-socket cell ignores address exclusions
      return;
    }
    int next_pos = 0;
    switch (r.addr_kind) {
      case AddrKind::all:
        for (int fam : {4, 6}) {
          IpNet whole;
          whole.family = fam;
          whole.prefix = 0;
          add_set(whole, next_pos);
        }
        break;
      case AddrKind::ip:
        if (r.net) {
          add_set(*r.net, next_pos);
          if (!comps.empty() && comps.back().what == Component::What::set) {
            comps.back().sorted_at = ix.sorted_of[index];  // (the record's own network)
          }
        }
        break;
      case AddrKind::samehost:
      case AddrKind::samenet:
      case AddrKind::hostname:
        if (!(query.exclude_loopback && rx.loopback)) {
          Component c;
          c.what = Component::What::point;
          c.as_default = !query.exclude_loopback && query.exclude.empty();
          comps.push_back(std::move(c));
        }
        break;
      case AddrKind::none: break;
    }
  }

  void add_set(const IpNet& whole, int& next_pos) {
    Component c;
    c.what = Component::What::set;
    c.family = whole.family;
    c.whole = normalized(whole);
    c.pos = next_pos++;
    const std::size_t f = whole.family == 4 ? 0 : 1;
    if (record) {
      c.initial = self.m_cells->client[f].within(c.whole);  // (= whole - non-client)
    } else {
      // (whole - non-client) - loopback - exclusions = whole's part of what the query allows.
      NetSet allowed = self.m_cells->allowed_sets(query)[f].within(c.whole);
      if (reuse && allowed.empty()) {
        return;  // no address left: every cell of it is "no" and takes nothing
      }
      // (no exclusion: the allowed sets are the client sets, the same start)
      c.as_default =
          (!query.exclude_loopback && query.exclude.empty()) || allowed == self.m_cells->client[f].within(c.whole);
      c.initial = std::move(allowed);
    }
    comps.push_back(std::move(c));
  }

  // Distinct tokens (a repeated token gives the same cells), with their position among the
  // default query's.
  void select_databases() {
    for (std::size_t k = 0; k < r_ddbs.size(); ++k) {
      const Name& n = r_dbs[r_ddbs[k]];
      if (query.repl == ReplFilter::physical && n.kind != Kind::physical) {
        continue;
      }
      if (query.repl == ReplFilter::normal && n.kind == Kind::physical) {
        continue;
      }
      dbs.push_back(r_ddbs[k]);
      db_pos.push_back(k);
    }
  }

  // The default query's cells answer this one: copy them.
  void reuse_cells(std::size_t di, std::size_t ui, const Component& comp) {
    const std::size_t n_users = r_dusers.size();
    const std::size_t base =
        ((db_pos[di] * n_users + ui) * n_comps + static_cast<std::size_t>(comp.pos)) * all_classes.size();
    for (std::size_t ci = 0; ci < classes.size(); ++ci) {
      const Cells::Cell& cell = memo[base + class_pos[ci]];
      const std::vector<std::size_t>& recorded = self.m_cells->taken[cell.part];
      taken.insert(taken.end(), recorded.begin() + cell.taken_begin, recorded.begin() + cell.taken_end);
      best.consider(cell.get(), ci, di, ui, comp, classes[ci]);
    }
  }

  // The candidate earlier records of a (database, user, component): the smallest of the
  // database, user and address sources. Returns the number of candidates.
  std::size_t gather_candidates(const Name& wd, const Name& wu, const List* wd_lit, const Index::UserLists& ul,
                                const Component& comp) {
    cands.clear();
    if (only != nullptr) {
      if (*only < index && ix.recs[*only].part) {
        cands.add(only, only + 1);
      }
      return 1;
    }
    const Lists dsrc = ix.db_source(wd, wu, wd_lit, ul);
    const Lists usrc = ix.user_source(wu, ul);
    const std::size_t de = Index::estimate(dsrc, index);
    const std::size_t ue = Index::estimate(usrc, index);
    const Index::AddrSource* asrc = nullptr;
    std::size_t ae = index;
    if (comp.what == Component::What::local) {
      ae = count_before(ix.local, index);
    } else if (comp.what == Component::What::point) {
      ae = count_before(ix.a_host, index);
    } else {
      // The address source depends on the component only: once per component.
      auto& cached = comp_src[static_cast<std::size_t>(&comp - comps.data())];
      if (!cached) {
        Index::AddrSource src = ix.addr_source(comp.whole, comp.sorted_at);
        const std::size_t est = Index::estimate(src.lists, index) + (src.range_end - src.range_begin);
        cached.emplace(std::move(src), est);
      }
      asrc = &cached->first;
      ae = cached->second;
    }
    if (ae <= de && ae <= ue) {
      add_address_candidates(comp, asrc);
    } else if (de <= ue) {
      add_lists(cands, dsrc, index);
    } else {
      add_lists(cands, usrc, index);
    }
    return std::min({ae, de, ue});
  }

  void add_address_candidates(const Component& comp, const Index::AddrSource* asrc) {
    if (comp.what == Component::What::local) {
      add_lists(cands, Lists{&ix.local}, index);
      return;
    }
    if (comp.what == Component::What::point) {
      add_lists(cands, Lists{&ix.a_host}, index);
      return;
    }
    add_lists(cands, asrc->lists, index);
    std::vector<std::size_t> inner;
    for (std::size_t k = asrc->range_begin; k < asrc->range_end; ++k) {
      const auto& e = ix.a_sorted[k];
      if (e.index < index && e.prefix > asrc->prefix) {
        inner.push_back(e.index);
      }
    }
    cands.add_unsorted(std::move(inner));
  }

  // The certain-only source, when it is smaller than the one phase 1 uses.
  bool build_certain(const Name& wd, const Name& wu, const List* wd_lit, const Index::UserLists& ul,
                     std::size_t phase1_size) {
    if (certain_built) {
      return certain_usable;
    }
    certain_built = true;
    if (only == nullptr) {
      const Lists cd = ix.certain_db(wd, wu, wd_lit, ul);
      const Lists cu = ix.certain_user(wu, ul);
      const std::size_t ed = Index::estimate(cd, index);
      const std::size_t eu = Index::estimate(cu, index);
      if (std::min(ed, eu) < phase1_size) {
        add_lists(certain, ed <= eu ? cd : cu, index);
        certain.start();
        certain_usable = true;
      }
    }
    return certain_usable;
  }

  void compute_cells(std::size_t di, std::size_t ui, const Component& comp) {
    const std::size_t d = dbs[di];
    const std::size_t u = r_dusers[ui];
    const Name& wd = r_dbs[d];
    const Name& wu = r_users[u];
    const List* wd_lit = ix.db_lit_of(wd);
    const Index::UserLists ul = ix.user_lists_of(wu);
    const std::size_t phase1_size = gather_candidates(wd, wu, wd_lit, ul, comp);
    cands.start();
    certain.clear();
    certain_built = false;
    certain_usable = false;
    for (std::size_t ci = 0; ci < classes.size(); ++ci) {
      const std::size_t taken_before = taken.size();
      const CellOut co =
          compute_cell(classes[ci], comp, wd, wu, [&] { return build_certain(wd, wu, wd_lit, ul, phase1_size); });
      if (record) {
        record_cell(co, taken_before);
      }
      best.consider(co, ci, di, ui, comp, classes[ci]);
    }
  }

  // One cell: the earlier records in file order, phase 1 every candidate while something may
  // still be "possibly" reached, phase 2 (nothing possible left) only the records that can
  // match certainly.
  template <typename BuildCertain>
  CellOut compute_cell(ConnClass cls, const Component& comp, const Name& wd, const Name& wu,
                       BuildCertain&& certain_source) {
    const bool is_set = comp.what == Component::What::set;
    CellState st(comp.initial);  // (empty for points and the Unix socket: unused)
    if (comp.what == Component::What::point && !query.exclude.empty()) {
      st.np_point = false;  // cannot tell whether it lies in the excluded ranges
    }
    std::size_t i = 0;
    bool phase2 = false;
    std::optional<std::size_t> after;  // phase 2 resumes after this record
    std::size_t k2 = 0;
    for (std::size_t k = 0;; ++k) {
      const bool possible_left = is_set ? !st.np.get().empty() : st.np_point;
      if (!phase2 && !possible_left && certain_source()) {
        phase2 = true;
        if (k > 0) {
          after = i;
        }
      }
      if (!next_candidate(phase2, k, k2, after, i)) {
        break;
      }
      const Index::Rec& ex = ix.recs[i];
      if ((ex.classes & class_bit(cls)) == 0) {
        continue;
      }
      const Match m = match_record(ix, ex, wd, wu);
      if (m == Match::no) {
        continue;
      }
      if (apply(i, ex, m == Match::yes, cls, comp, st)) {
        break;
      }
    }
    return cell_out(comp, st);
  }

  bool next_candidate(bool phase2, std::size_t k, std::size_t& k2, const std::optional<std::size_t>& after,
                      std::size_t& i) {
    if (!phase2) {
      return cands.get(k, i);
    }
    bool got = false;
    while ((got = certain.get(k2++, i)) && after && i <= *after) {
    }
    return got;
  }

  static Match match_record(const Index& ix, const Index::Rec& ex, const Name& wd, const Name& wu) {
    Match dm = Match::no;
    for (const Name& t : ix.dbs(ex)) {
      dm = combine_any(dm, match_db(t, wd, wu));
      if (dm == Match::yes) {
        break;
      }
    }
    if (dm == Match::no) {
      return Match::no;
    }
    return combine_all(dm, tokens_match(ix.users(ex), wu, match_user));
  }

  // Applies earlier record i (which matches the cell's class, database and role, certainly or
  // possibly) to the cell; true when nothing is left for later records to change.
  bool apply(std::size_t i, const Index::Rec& ex, bool certain_match, ConnClass cls, const Component& comp,
             CellState& st) {
    if (cls == ConnClass::local) {
      if (certain_match) {
        if (st.nc_point) {
          taken.push_back(i);
        }
        st.nc_point = false;
      }
      st.np_point = false;
      return !st.nc_point;
    }
    const auto e_kind = static_cast<AddrKind>(ex.addr_kind);
    if (comp.what != Component::What::set) {
      return apply_to_point(i, ex, e_kind, certain_match, st);
    }
    apply_to_set(i, ex, e_kind, certain_match, comp, st);
    return st.nc.get().empty() && st.np.get().empty();
  }

  // The record under test has samehost/samenet/a host name. A loopback-only earlier record
  // takes none of its non-loopback clients (samenet always has some).
  bool apply_to_point(std::size_t i, const Index::Rec& ex, AddrKind e_kind, bool certain_match, CellState& st) {
    if (ex.loopback && (query.exclude_loopback || r.addr_kind == AddrKind::samenet)) {
      return false;
    }
    const bool covers = e_kind == AddrKind::all ||
                        (e_kind == r.addr_kind && (e_kind != AddrKind::hostname || same_host(ex.host, rx.host)));
    if (covers && certain_match) {
      if (st.nc_point) {
        taken.push_back(i);
      }
      st.nc_point = false;
    }
    if (e_kind != AddrKind::none) {
      st.np_point = false;  // any address might include the named hosts
    }
    return !st.nc_point && !st.np_point;
  }

  void apply_to_set(std::size_t i, const Index::Rec& ex, AddrKind e_kind, bool certain_match, const Component& comp,
                    CellState& st) {
    switch (e_kind) {
      case AddrKind::all:
        if (certain_match) {
          if (!st.nc.get().empty()) {
            taken.push_back(i);
          }
          st.nc.clear();
        }
        st.np.clear();
        st.np_touched = true;
        break;
      case AddrKind::ip:
        if (ex.net_family != comp.family) {  // (0 without a network)
          break;
        }
        // (subtracting a network the set does not meet changes nothing)
        if (certain_match && st.nc.get().intersects(ex.net_family, ex.net_first, ex.net_last)) {
          taken.push_back(i);
          st.nc.change().subtract(ex.net_family, ex.net_first, ex.net_last);
        }
        if (st.np.get().intersects(ex.net_family, ex.net_first, ex.net_last)) {
          st.np_touched = true;
          st.np.change().subtract(ex.net_family, ex.net_first, ex.net_last);
        }
        break;
      case AddrKind::samehost:
      case AddrKind::samenet:
      case AddrKind::hostname:
        // Cannot be subtracted; assumed never to cover a very large block.
        // (copied and rebuilt only when it drops some: mostly it holds only large blocks)
        if (const int max_prefix = comp.family == 4 ? k_fuzzy_max_prefix_v4 : k_fuzzy_max_prefix_v6;
            !st.np.get().empty() && st.np.get().has_block_from(max_prefix)) {
          st.np.change().keep_larger_than(max_prefix);
          st.np_touched = true;
        }
        break;
      case AddrKind::none: break;
    }
  }

  static CellOut cell_out(const Component& comp, const CellState& st) {
    CellOut co;
    if (comp.what == Component::What::set) {
      co.verdict = !st.np.get().empty() ? Verdict::yes : (st.nc.get().empty() ? Verdict::no : Verdict::maybe);
      co.touched = st.np_touched;
      if (co.verdict == Verdict::yes && st.np_touched) {
        co.largest = *st.np.get().largest();
      }
    } else {
      co.verdict = st.np_point ? Verdict::yes : (st.nc_point ? Verdict::maybe : Verdict::no);
    }
    return co;
  }

  void record_cell(const CellOut& co, std::size_t taken_before) {
    if (n_recorded == ix.cell_at[index + 1] - ix.cell_at[index]) {
      throw std::logic_error("first-match model: more cells than placed for a record");
    }
    Cells::Cell& cell = sink[n_recorded++];
    cell.set(co);
    cell.part = part;
    cell.taken_begin = static_cast<std::uint32_t>(sink_taken->size());
    sink_taken->insert(sink_taken->end(), taken.begin() + static_cast<std::ptrdiff_t>(taken_before), taken.end());
    cell.taken_end = static_cast<std::uint32_t>(sink_taken->size());
  }

  // The record's own range when nothing earlier took part of it, else the largest piece left.
  [[nodiscard]] std::string example() const {
    const ConnClass cls = best.cls;
    if (best.comp->what == Component::What::set) {
      std::string from;
      if (!best.out.touched) {
        from = r.addr_kind == AddrKind::all ? (best.comp->family == 4 ? "0.0.0.0/0" : "::/0")
                                            : best.comp->whole.to_string();
      } else {
        from = best.out.largest.to_string();
      }
      return fmt::format("{} connections from {}", class_phrase(cls), from);
    }
    if (cls == ConnClass::local) {
      return fmt::format("{} connections", class_phrase(cls));
    }
    return fmt::format("{} connections from {}", class_phrase(cls), r.address);
  }

  Reach answer() {
    Reach out;
    if (best.comp != nullptr) {
      out.example = example();
    }
    out.verdict = best.any_yes ? Verdict::yes : (best.all_no ? Verdict::no : Verdict::maybe);
    std::sort(taken.begin(), taken.end());
    taken.erase(std::unique(taken.begin(), taken.end()), taken.end());
    out.taken_by = std::move(taken);
    return out;
  }
};

// A query other than the default reads the index, the memo and the recorded cells and the
// query's allowed sets, and writes none of them once they are complete (compute_all, and
// allowed_sets asked here first): its runs can share them on several threads.
std::vector<Reach> HbaReach::reach_each(const std::vector<std::size_t>& indexes, const ReachQuery& query,
                                        unsigned threads) const {
  finish_pending();
  std::vector<Reach> out(indexes.size());
  if (threads == 0) {
    threads = m_threads != 0 ? m_threads : indexes.size() >= k_parallel_min_records ? auto_threads(indexes.size()) : 1;
  }
  if (threads <= 1 || is_default(query) || indexes.size() <= k_block) {
    for (std::size_t k = 0; k < indexes.size(); ++k) {
      out[k] = reach(indexes[k], query);
    }
    return out;
  }
  compute_all(threads);
  (void)m_cells->allowed_sets(query);
  in_blocks((indexes.size() + k_block - 1) / k_block, threads, [&](std::size_t b) {
    for (std::size_t k = b * k_block; k < std::min(indexes.size(), (b + 1) * k_block); ++k) {
      out[k] = reach(indexes[k], query);
    }
  });
  return out;
}

Reach HbaReach::compute(std::size_t index, const ReachQuery& query, const std::size_t* only) const {
  if (index >= m_file.records.size() || !m_index->recs[index].part) {
    return {};
  }
  Run run(*this, index, query, only, nullptr);
  return run.run();
}

// Reads only the index and the file (never the memo or other records' cells) and writes only
// the record's own cells and the list of taken `part`: safe on several threads at once, each
// with its own part.
Reach HbaReach::compute_default(std::size_t index, std::uint32_t part) const {
  const ReachQuery query;
  if (!m_index->recs[index].part) {
    return unknown_db_guard(*m_index, m_file, index, query, {});
  }
  Run run(*this, index, query, nullptr, &part);
  Reach out = run.run();
  return unknown_db_guard(*m_index, m_file, index, query, std::move(out));
}

const HbaReach* hba_model(const model::Config& config) {
  if (!config.hba) {
    return nullptr;
  }
  if (!config.hba_model || &config.hba_model->file() != &*config.hba) {
    config.hba_model = std::make_shared<const HbaReach>(*config.hba, config.pg_version);
  }
  return config.hba_model.get();
}

}  // namespace pgl::analysis
