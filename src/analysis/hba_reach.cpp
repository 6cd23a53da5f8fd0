#include "analysis/hba_reach.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace pgl::analysis {

using model::AddrKind;
using model::AuthToken;
using model::ConnType;
using model::HbaRecord;
using model::IpNet;

namespace {

constexpr std::size_t k_max_fragments = 4096;
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

struct Name {
  Kind kind = Kind::literal;
  std::string text;
};

bool is_keyword(const AuthToken& t, std::string_view kw) { return !t.quoted && t.text == kw; }

bool is_regex(const AuthToken& t, int pg_version) {
  return pg_version >= 16 && !t.text.empty() && t.text.front() == '/';
}

Name user_name(const AuthToken& t, int pg_version) {
  if (is_keyword(t, "all")) {
    return {Kind::any, {}};
  }
  if (!t.quoted && !t.text.empty() && t.text.front() == '+') {
    return {Kind::member, t.text.substr(1)};
  }
  if (is_regex(t, pg_version)) {
    return {Kind::regex, t.text};
  }
  return {Kind::literal, t.text};
}

Name db_name(const AuthToken& t, int pg_version) {
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
    case Kind::any:
      return Match::yes;
    case Kind::member:
      if (w.kind == Kind::member && w.text == e.text) {
        return Match::yes;
      }
      return w.kind == Kind::any ? Match::no : Match::maybe;
    case Kind::regex:
      return w.kind == Kind::regex && w.text == e.text ? Match::yes : Match::maybe;
    case Kind::literal:
      if (w.kind == Kind::literal) {
        return w.text == e.text ? Match::yes : Match::no;
      }
      return w.kind == Kind::any ? Match::no : Match::maybe;
    default:
      return Match::maybe;
  }
}

// Does an earlier database token e match the witness database wd (with witness role wu)?
Match match_db(const Name& e, const Name& wd, const Name& wu) {
  if (wd.kind == Kind::physical) {
    return e.kind == Kind::physical ? Match::yes : Match::no;
  }
  switch (e.kind) {
    case Kind::physical:
      return Match::no;
    case Kind::any:
      return Match::yes;
    case Kind::sameuser:
      switch (wd.kind) {
        case Kind::sameuser:
          return Match::yes;
        case Kind::any:
          return Match::no;
        case Kind::literal:
          if (wu.kind == Kind::literal) {
            return wu.text == wd.text ? Match::yes : Match::no;
          }
          return wu.kind == Kind::any ? Match::no : Match::maybe;
        default:
          return Match::maybe;
      }
    case Kind::samerole:
      switch (wd.kind) {
        case Kind::samerole:
        case Kind::sameuser:  // a role is a member of itself
          return Match::yes;
        case Kind::any:
          return Match::no;
        case Kind::literal:
          // A role outside every list is a member of no other role.
          return wu.kind == Kind::any ? Match::no : Match::maybe;
        default:
          return Match::maybe;
      }
    case Kind::regex:
      return wd.kind == Kind::regex && wd.text == e.text ? Match::yes : Match::maybe;
    case Kind::literal:
      switch (wd.kind) {
        case Kind::literal:
          return wd.text == e.text ? Match::yes : Match::no;
        case Kind::any:
          return Match::no;
        case Kind::sameuser:
          if (wu.kind == Kind::literal) {
            return wu.text == e.text ? Match::yes : Match::no;
          }
          return wu.kind == Kind::any ? Match::no : Match::maybe;
        default:
          return Match::maybe;
      }
    default:
      return Match::maybe;
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool is_localhost_name(const std::string& name) {
  const std::string l = lower(name);
  return l == "localhost" || l == "localhost." || l == "localhost.localdomain";
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
      make_net(4, {0}, 8),
      make_net(4, {224}, 4),
      make_net(4, {240}, 4),
      make_net(6, {0xff}, 8),
      make_net(6, {}, 128),
  };
  return nets;
}

bool in_classes(ConnClass c, const std::vector<ConnClass>& cs) {
  return std::find(cs.begin(), cs.end(), c) != cs.end();
}

const char* class_phrase(ConnClass c) {
  switch (c) {
    case ConnClass::local:
      return "Unix-domain socket";
    case ConnClass::tcp_plain:
      return "unencrypted TCP";
    case ConnClass::tcp_ssl:
      return "SSL";
    case ConnClass::tcp_gss:
      return "GSSAPI-encrypted";
  }
  return "";
}

// Address part of a cell: either a set of networks of one family, or a single opaque
// "point" (a Unix socket, or samehost/samenet/a host name on the record under test).
struct Cell {
  ConnClass cls = ConnClass::local;
  Name db;
  Name user;
  bool is_set = false;
  int family = 4;
  NetSet nc;  // not certainly taken by an earlier record
  NetSet np;  // not possibly taken by an earlier record
  bool np_touched = false;  // an earlier record removed part of np
  bool nc_point = true;  // point cells: not certainly taken
  bool np_point = true;  // point cells: not possibly taken
  const HbaRecord* point_rec = nullptr;  // the record whose special address the point is
};

// 10.0.0.0/8, 2001:db8::/32 (compressed IPv6 form).
std::string display(const IpNet& n) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(n.family == 4 ? AF_INET : AF_INET6, n.bytes.data(), buf, sizeof buf) == nullptr) {
    return n.to_string();
  }
  return fmt::format("{}/{}", buf, n.prefix);
}

bool same_special(const HbaRecord& a, const HbaRecord& b) {
  if (a.addr_kind != b.addr_kind) {
    return false;
  }
  if (a.addr_kind == AddrKind::hostname) {
    return lower(a.address) == lower(b.address);
  }
  return a.addr_kind == AddrKind::samehost || a.addr_kind == AddrKind::samenet;
}

}  // namespace

const char* to_string(ConnClass c) {
  switch (c) {
    case ConnClass::local:
      return "local";
    case ConnClass::tcp_plain:
      return "tcp-plain";
    case ConnClass::tcp_ssl:
      return "tcp-ssl";
    case ConnClass::tcp_gss:
      return "tcp-gss";
  }
  return "local";
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::no:
      return "no";
    case Verdict::maybe:
      return "maybe";
    case Verdict::yes:
      return "yes";
  }
  return "no";
}

std::vector<ConnClass> classes_of(ConnType type) {
  switch (type) {
    case ConnType::local:
      return {ConnClass::local};
    case ConnType::host:
      return {ConnClass::tcp_plain, ConnClass::tcp_ssl, ConnClass::tcp_gss};
    case ConnType::hostssl:
      return {ConnClass::tcp_ssl};
    case ConnType::hostnossl:
      return {ConnClass::tcp_plain, ConnClass::tcp_gss};
    case ConnType::hostgssenc:
      return {ConnClass::tcp_gss};
    case ConnType::hostnogssenc:
      return {ConnClass::tcp_plain, ConnClass::tcp_ssl};
  }
  return {};
}

bool participates(const HbaRecord& r) { return !r.fatal && !r.view_null; }

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
    case AddrKind::samehost:
      return true;
    case AddrKind::hostname:
      return is_localhost_name(r.address);
    default:
      return false;
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
  for (int bit = net.prefix; bit < total; ++bit) {
    net.bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  }
  for (std::size_t i = static_cast<std::size_t>(total / 8); i < net.bytes.size(); ++i) {
    net.bytes[i] = 0;
  }
  return net;
}

NetSet::NetSet(IpNet whole) { m_nets.push_back(normalized(whole)); }

void NetSet::subtract(const IpNet& raw) {
  if (m_overflow) {
    return;
  }
  const IpNet n = normalized(raw);
  std::vector<IpNet> out;
  out.reserve(m_nets.size() + 8);
  for (const IpNet& p : m_nets) {
    if (p.family != n.family) {
      out.push_back(p);
      continue;
    }
    if (n.contains(p)) {
      continue;  // p lies inside n: gone
    }
    if (!p.contains(n)) {
      out.push_back(p);  // prefixes are nested or disjoint: disjoint
      continue;
    }
    // n strictly inside p: keep the siblings along the path from p down to n.
    for (int len = p.prefix; len < n.prefix; ++len) {
      IpNet sib = n;
      sib.prefix = len + 1;
      sib.bytes[static_cast<std::size_t>(len / 8)] ^= static_cast<std::uint8_t>(0x80 >> (len % 8));
      out.push_back(normalized(sib));
    }
  }
  if (out.size() > k_max_fragments) {
    m_overflow = true;  // keep the (larger) previous set
    return;
  }
  m_nets = std::move(out);
}

void NetSet::keep_larger_than(int max_prefix) {
  std::erase_if(m_nets, [&](const IpNet& n) { return n.prefix >= max_prefix; });
}

bool NetSet::intersects(const IpNet& raw) const {
  const IpNet n = normalized(raw);
  return std::any_of(m_nets.begin(), m_nets.end(), [&](const IpNet& p) {
    return p.family == n.family && (p.contains(n) || n.contains(p));
  });
}

HbaReach::HbaReach(const model::HbaFile& file, int pg_version) : m_file(file), m_pg_version(pg_version) {}

Reach HbaReach::reach(std::size_t index, const ReachQuery& query) const {
  Reach out;
  if (index >= m_file.records.size()) {
    return out;
  }
  const HbaRecord& r = m_file.records[index];
  if (!participates(r)) {
    return out;
  }

  // Build the cells of r.
  std::vector<Cell> cells;
  for (ConnClass cls : classes_of(r.type)) {
    if (!query.classes.empty() && !in_classes(cls, query.classes)) {
      continue;
    }
    for (const AuthToken& dt : r.databases) {
      Name db = db_name(dt, m_pg_version);
      if (query.repl == ReplFilter::physical && db.kind != Kind::physical) {
        continue;
      }
      if (query.repl == ReplFilter::normal && db.kind == Kind::physical) {
        continue;
      }
      for (const AuthToken& ut : r.users) {
        Cell base;
        base.cls = cls;
        base.db = db;
        base.user = user_name(ut, m_pg_version);
        if (cls == ConnClass::local) {
          cells.push_back(base);
          continue;
        }
        switch (r.addr_kind) {
          case AddrKind::all:
            for (int fam : {4, 6}) {
              Cell c = base;
              c.is_set = true;
              c.family = fam;
              IpNet whole;
              whole.family = fam;
              whole.prefix = 0;
              c.nc = NetSet(whole);
              c.np = NetSet(whole);
              cells.push_back(std::move(c));
            }
            break;
          case AddrKind::ip:
            if (r.net) {
              Cell c = base;
              c.is_set = true;
              c.family = r.net->family;
              c.nc = NetSet(*r.net);
              c.np = NetSet(*r.net);
              cells.push_back(std::move(c));
            }
            break;
          case AddrKind::samehost:
          case AddrKind::samenet:
          case AddrKind::hostname: {
            if (query.exclude_loopback && loopback_only(r)) {
              break;
            }
            Cell c = base;
            c.point_rec = &r;
            if (!query.exclude.empty()) {
              c.np_point = false;  // cannot tell whether it lies in the excluded ranges
            }
            cells.push_back(std::move(c));
            break;
          }
          case AddrKind::none:
            break;
        }
      }
    }
  }

  // Exclusions apply to the address sets before matching (they only shrink them).
  for (Cell& c : cells) {
    if (!c.is_set) {
      continue;
    }
    for (const IpNet& nc : non_client_nets()) {
      c.nc.subtract(nc);
      c.np.subtract(nc);
    }
    if (query.exclude_loopback) {
      for (const IpNet& lo : loopback_nets()) {
        c.nc.subtract(lo);
        c.np.subtract(lo);
      }
    }
    for (const IpNet& ex : query.exclude) {
      c.nc.subtract(ex);
      c.np.subtract(ex);
    }
  }

  std::vector<bool> taken(index, false);
  for (std::size_t i = 0; i < index; ++i) {
    const HbaRecord& e = m_file.records[i];
    if (!participates(e)) {
      continue;
    }
    const auto e_classes = classes_of(e.type);
    for (Cell& c : cells) {
      if (!in_classes(c.cls, e_classes)) {
        continue;
      }
      const Name& wu = c.user;
      Match dm = Match::no;
      for (const AuthToken& t : e.databases) {
        dm = combine_any(dm, match_db(db_name(t, m_pg_version), c.db, wu));
      }
      Match um = Match::no;
      for (const AuthToken& t : e.users) {
        um = combine_any(um, match_user(user_name(t, m_pg_version), wu));
      }
      const Match m = combine_all(dm, um);
      if (m == Match::no) {
        continue;
      }
      const bool certain = m == Match::yes;

      if (c.cls == ConnClass::local) {
        if (certain) {
          if (c.nc_point) {
            taken[i] = true;
          }
          c.nc_point = false;
        }
        c.np_point = false;
        continue;
      }

      if (!c.is_set) {
        // The record under test has samehost/samenet/a host name. A loopback-only earlier
        // record takes none of its non-loopback clients (samenet always has some).
        if (loopback_only(e) && (query.exclude_loopback || c.point_rec->addr_kind == AddrKind::samenet)) {
          continue;
        }
        const bool covers = e.addr_kind == AddrKind::all || same_special(e, *c.point_rec);
        if (covers && certain) {
          if (c.nc_point) {
            taken[i] = true;
          }
          c.nc_point = false;
        }
        if (e.addr_kind != AddrKind::none) {
          c.np_point = false;  // any address might include the named hosts
        }
        continue;
      }

      switch (e.addr_kind) {
        case AddrKind::all: {
          if (certain) {
            if (!c.nc.empty()) {
              taken[i] = true;
            }
            c.nc = NetSet();
          }
          c.np = NetSet();
          c.np_touched = true;
          break;
        }
        case AddrKind::ip: {
          if (!e.net || e.net->family != c.family) {
            break;
          }
          if (certain) {
            if (c.nc.intersects(*e.net)) {
              taken[i] = true;
            }
            c.nc.subtract(*e.net);
          }
          if (c.np.intersects(*e.net)) {
            c.np_touched = true;
          }
          c.np.subtract(*e.net);
          break;
        }
        case AddrKind::samehost:
        case AddrKind::samenet:
        case AddrKind::hostname:
          // Cannot be subtracted; assumed never to cover a very large block.
          {
            const std::size_t before = c.np.nets().size();
            c.np.keep_larger_than(c.family == 4 ? k_fuzzy_max_prefix_v4 : k_fuzzy_max_prefix_v6);
            c.np_touched = c.np_touched || c.np.nets().size() != before;
          }
          break;
        case AddrKind::none:
          break;
      }
    }
  }

  bool any_yes = false;
  bool all_no = true;
  for (const Cell& c : cells) {
    Verdict v;
    if (c.is_set) {
      if (!c.np.empty() && !c.np.overflowed()) {
        v = Verdict::yes;
      } else if (c.nc.empty()) {
        v = Verdict::no;
      } else {
        v = Verdict::maybe;
      }
    } else {
      v = c.np_point ? Verdict::yes : (c.nc_point ? Verdict::maybe : Verdict::no);
    }
    if (v == Verdict::yes && !any_yes) {
      any_yes = true;
      if (c.is_set) {
        // The record's own range when nothing earlier took part of it, else the largest piece left.
        std::string from;
        if (!c.np_touched) {
          from = r.addr_kind == AddrKind::all ? (c.family == 4 ? "0.0.0.0/0" : "::/0")
                                              : display(normalized(*r.net));
        } else {
          const auto& nets = c.np.nets();
          from = display(*std::min_element(nets.begin(), nets.end(), [](const IpNet& a, const IpNet& b) {
            return a.prefix != b.prefix ? a.prefix < b.prefix : a.bytes < b.bytes;
          }));
        }
        out.example = fmt::format("{} connections from {}", class_phrase(c.cls), from);
      } else if (c.cls == ConnClass::local) {
        out.example = fmt::format("{} connections", class_phrase(c.cls));
      } else {
        out.example = fmt::format("{} connections from {}", class_phrase(c.cls), r.address);
      }
    }
    if (v != Verdict::no) {
      all_no = false;
    }
  }
  out.verdict = any_yes ? Verdict::yes : (all_no ? Verdict::no : Verdict::maybe);
  for (std::size_t i = 0; i < index; ++i) {
    if (taken[i]) {
      out.taken_by.push_back(i);
    }
  }
  return out;
}

}  // namespace pgl::analysis
