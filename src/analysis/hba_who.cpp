#include "analysis/hba_who.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>

#include "analysis/hba_reach.hpp"

namespace pgl::analysis {

using model::AddrKind;
using model::AuthToken;
using model::ConnType;
using model::HbaRecord;
using model::IpNet;

std::string display_addr(const IpNet& net);

namespace {

enum class M { no, maybe, yes };

struct Test {
  M m = M::yes;
  std::string reason;      // why not (no) or on what it depends (maybe)
  std::string depends_on;  // for maybe
};

bool keyword(const AuthToken& t, std::string_view kw) {
  return !t.quoted && t.text == kw;
}

bool regex_token(const AuthToken& t, int pg_version) {
  return pg_version >= 16 && !t.text.empty() && t.text.front() == '/';
}

// PostgreSQL compiles the text after the slash as an (unanchored) Advanced Regular
// Expression; the common syntax is the same as ECMAScript's.
M regex_match(const std::string& re, const std::string& subject) {
  try {
    const std::regex r(re.substr(1), std::regex::ECMAScript);
    return std::regex_search(subject, r) ? M::yes : M::no;
  } catch (const std::regex_error&) {
    return M::maybe;
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string tokens_text(const std::vector<AuthToken>& ts) {
  std::string out;
  for (const auto& t : ts) {
    if (!out.empty()) {
      out += ",";
    }
    out += t.quoted ? "\"" + t.text + "\"" : t.text;
  }
  return out;
}

std::string addr_text(const IpNet& n) {
  return display_addr(n);
}

// is_member(): the role itself, or a group of --member-of.
M member(const WhoQuery& q, const std::string& group, std::string& depends) {
  if (group == q.user) {
    return M::yes;
  }
  if (!q.member_of) {
    depends = fmt::format("whether role \"{}\" is a member of \"{}\" (--member-of)", q.user, group);
    return M::maybe;
  }
  return std::find(q.member_of->begin(), q.member_of->end(), group) != q.member_of->end() ? M::yes : M::no;
}

M any_of(M a, M b) {
  if (a == M::yes || b == M::yes) {
    return M::yes;
  }
  return a == M::maybe || b == M::maybe ? M::maybe : M::no;
}

Test check_type(const HbaRecord& r, const WhoQuery& q) {
  Test t;
  const char* type = model::to_string(r.type);
  if (r.type == ConnType::local) {
    if (!q.local) {
      t = {M::no, fmt::format("connection type: `local` is for Unix-domain socket connections"), {}};
    }
    return t;
  }
  if (q.local) {
    return {M::no, fmt::format("connection type: `{}` is for TCP connections", type), {}};
  }
  const bool ssl = q.encryption == Encryption::ssl;
  const bool gss = q.encryption == Encryption::gss;
  if (ssl && r.type == ConnType::hostnossl) {
    return {M::no, "connection type: `hostnossl` does not match SSL connections", {}};
  }
  if (!ssl && r.type == ConnType::hostssl) {
    return {M::no, "connection type: `hostssl` needs an SSL connection", {}};
  }
  if (gss && r.type == ConnType::hostnogssenc) {
    return {M::no, "connection type: `hostnogssenc` does not match GSSAPI-encrypted connections", {}};
  }
  if (!gss && r.type == ConnType::hostgssenc) {
    return {M::no, "connection type: `hostgssenc` needs a GSSAPI-encrypted connection", {}};
  }
  return t;
}

Test check_ip(const HbaRecord& r, const IpNet& a, bool explain) {
  if (r.net && normalized(*r.net).contains(a)) {
    return {};
  }
  if (!explain) {
    return {M::no, "address", {}};
  }
  return {M::no, fmt::format("address: {} is not in {}", addr_text(a), r.net ? display_addr(*r.net) : r.address), {}};
}

Test check_samehost_samenet(const HbaRecord& r, const WhoQuery& q, const IpNet& a) {
  const bool host = r.addr_kind == AddrKind::samehost;
  if (!q.local_addresses) {
    return {M::maybe, {}, "the server's network interfaces (--local-address)"};
  }
  for (const IpNet& ifa : *q.local_addresses) {
    if (ifa.family != a.family) {
      continue;
    }
    IpNet probe = ifa;
    if (host) {
      probe.prefix = a.family == 4 ? 32 : 128;
    }
    if (normalized(probe).contains(a)) {
      return {};
    }
  }
  return {M::no,
          fmt::format("address: {} is {} (`{}`)", addr_text(a),
                      host ? "not one of the server's addresses" : "in none of the server's networks",
                      host ? "samehost" : "samenet"),
          {}};
}

// check_hostname: the client's reverse-resolved name equals the line's name
// (case-insensitively; a leading dot matches a suffix), and resolves back to it.
Test check_hostname(const HbaRecord& r, const WhoQuery& q, const IpNet& a) {
  const std::string want = lower(r.address);
  bool known = false;
  for (const auto& [name, addr] : q.resolve) {
    if (addr.family != a.family || !addr.contains(a)) {
      continue;
    }
    known = true;
    const std::string have = lower(name);
    if (have == want || (want.size() > 1 && want.front() == '.' && have.size() > want.size() &&
                         have.compare(have.size() - want.size(), want.size(), want) == 0)) {
      return {};
    }
  }
  if (!known) {
    return {M::maybe, {}, fmt::format("DNS: the host name of {} (--resolve NAME={})", addr_text(a), addr_text(a))};
  }
  return {M::no, fmt::format("address: {} is not host \"{}\"", addr_text(a), r.address), {}};
}

Test check_address(const HbaRecord& r, const WhoQuery& q, bool explain) {
  if (r.type == ConnType::local || !q.address) {
    return {};
  }
  const IpNet& a = *q.address;
  switch (r.addr_kind) {
    case AddrKind::all: return {};
    case AddrKind::ip: return check_ip(r, a, explain);
    case AddrKind::samehost:
    case AddrKind::samenet: return check_samehost_samenet(r, q, a);
    case AddrKind::hostname: return check_hostname(r, q, a);
    case AddrKind::none: return {};
  }
  return {};
}

// check_db
Test check_db(const HbaRecord& r, const WhoQuery& q, int pg_version) {
  M m = M::no;
  std::string depends;
  for (const AuthToken& t : r.databases) {
    M one = M::no;
    if (q.replication) {
      one = keyword(t, "replication") ? M::yes : M::no;
    } else if (keyword(t, "all")) {
      one = M::yes;
    } else if (keyword(t, "sameuser")) {
      one = q.database == q.user ? M::yes : M::no;
    } else if (keyword(t, "samegroup") || keyword(t, "samerole")) {
      one = member(q, q.database, depends);
    } else if (keyword(t, "replication")) {
      one = M::no;
    } else if (regex_token(t, pg_version)) {
      one = regex_match(t.text, q.database);
    } else {
      one = t.text == q.database ? M::yes : M::no;
    }
    m = any_of(m, one);
    if (m == M::yes) {
      return {};
    }
  }
  if (m == M::maybe) {
    return {M::maybe, {}, depends};
  }
  if (q.replication) {
    return {M::no,
            fmt::format("database: physical replication matches only `replication`, not {}", tokens_text(r.databases)),
            {}};
  }
  return {M::no, fmt::format("database: \"{}\" is not matched by {}", q.database, tokens_text(r.databases)), {}};
}

// check_role
Test check_role(const HbaRecord& r, const WhoQuery& q, int pg_version) {
  M m = M::no;
  std::string depends;
  for (const AuthToken& t : r.users) {
    M one = M::no;
    if (!t.quoted && !t.text.empty() && t.text.front() == '+') {
      one = member(q, t.text.substr(1), depends);
    } else if (keyword(t, "all")) {
      one = M::yes;
    } else if (regex_token(t, pg_version)) {
      one = regex_match(t.text, q.user);
    } else {
      one = t.text == q.user ? M::yes : M::no;
    }
    m = any_of(m, one);
    if (m == M::yes) {
      return {};
    }
  }
  if (m == M::maybe) {
    return {M::maybe, {}, depends};
  }
  return {M::no, fmt::format("user: \"{}\" is not matched by {}", q.user, tokens_text(r.users)), {}};
}

}  // namespace

std::string display_addr(const IpNet& net) {
  const IpNet n = normalized(net);
  return n.prefix == (n.family == 4 ? 32 : 128) ? n.address() : n.to_string();
}

const char* to_string(WhoDecision d) {
  switch (d) {
    case WhoDecision::accept: return "accept";
    case WhoDecision::reject: return "reject";
    case WhoDecision::no_match: return "no-match";
    case WhoDecision::depends: return "depends";
  }
  return "no-match";
}

namespace {

enum class LineOutcome { passed, uncertain, match };

// The server's tests of one line (type, address, database, role) for the connection: the
// first that fails passes the line over; one that cannot tell makes it uncertain.
LineOutcome test_line(std::size_t i, const HbaRecord& r, int pg_version, const WhoQuery& query, WhoResult& out) {
  bool maybe = false;
  std::string why_not;
  for (int step = 0; step < 4 && why_not.empty(); ++step) {
    const Test t = step == 0   ? check_type(r, query)
                   : step == 1 ? check_address(r, query, out.passed.size() < query.explained)
                   : step == 2 ? check_db(r, query, pg_version)
                               : check_role(r, query, pg_version);
    if (t.m == M::no) {
      why_not = t.reason;
    } else if (t.m == M::maybe) {
      maybe = true;
      if (out.uncertain.empty() || out.uncertain.back().index != i) {
        out.uncertain.push_back({i, t.depends_on});
      } else {
        out.uncertain.back().reason += "; " + t.depends_on;
      }
    }
  }
  if (!why_not.empty()) {
    if (maybe) {
      out.uncertain.pop_back();  // certainly not after all
    }
    out.passed.push_back({i, why_not});
    return LineOutcome::passed;
  }
  return maybe ? LineOutcome::uncertain : LineOutcome::match;
}

// Dependencies only count when they come from a line that stays uncertain: each distinct
// one, in the order of the lines.
std::vector<std::string> dependencies(const std::vector<WhoLine>& uncertain) {
  std::vector<std::string> deps;
  for (const auto& u : uncertain) {
    std::size_t start = 0;
    while (start <= u.reason.size()) {
      auto end = u.reason.find("; ", start);
      std::string d = u.reason.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (std::find(deps.begin(), deps.end(), d) == deps.end()) {
        deps.push_back(std::move(d));
      }
      if (end == std::string::npos) {
        break;
      }
      start = end + 2;
    }
  }
  return deps;
}

}  // namespace

WhoResult who(const model::HbaFile& file, int pg_version, const WhoQuery& query) {
  WhoResult out;
  out.passed.reserve(file.records.size());  // at most one per line (not copied as it grows)
  for (std::size_t i = 0; i < file.records.size(); ++i) {
    const HbaRecord& r = file.records[i];
    if (participates(r) && test_line(i, r, pg_version, query, out) == LineOutcome::match) {
      out.match = i;
      break;
    }
  }
  out.depends_on = dependencies(out.uncertain);
  if (!out.uncertain.empty()) {
    out.decision = WhoDecision::depends;
  } else if (!out.match) {
    out.decision = WhoDecision::no_match;
  } else {
    out.decision = file.records[*out.match].method == "reject" ? WhoDecision::reject : WhoDecision::accept;
  }
  return out;
}

}  // namespace pgl::analysis
