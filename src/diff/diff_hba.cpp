// pg_hba.conf compared by first-match semantics.
//
// Each record is canonicalized (type, sorted database and user sets, address as a
// network, method, sorted options). Records are matched between primary and replica by
// canonical form; a matched pair that appears in a different order is drift only when
// the two records can match a common connection with different outcomes (they do not
// commute). Unmatched records are paired when they select the same connections (a
// changed method, type or option) or differ only in the address; the rest are missing or
// extra lines. Whether the replica is weaker decides between drift-weaker-security and
// drift-hba.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "analysis/hba_reach.hpp"
#include "core/text.hpp"
#include "diff/diff_internal.hpp"

namespace pgl::diff {

namespace {

using model::AddrKind;
using model::ConnType;

bool is_secret_option(std::string_view name) {
  return name == "ldapbindpasswd" || name == "radiussecrets" || name == "radiussecret";
}

struct Canon {
  const model::HbaRecord* rec = nullptr;
  std::vector<std::string> dbs;    // sorted; keywords bare, quoted names in double quotes
  std::vector<std::string> users;  // same
  std::string addr;                // "" (local), all, samehost, samenet, a.b.c.d/n, host name
  std::vector<std::string> opts;   // sorted name=value
  std::string selector;            // type family + dbs + users + addr
  std::string key;                 // full canonical text, compared for equality
  std::string shown_selector;      // printable (type dbs users addr)
  std::string row_item;            // matrix row: dbs users addr (the cells show the type)
  std::string outcome;             // method + options, secrets masked
};

// Quoting matters only where it takes a special meaning away ("all", "+group", "/regex").
std::string token_text(const model::AuthToken& t) {
  const bool special = t.text == "all" || t.text == "sameuser" || t.text == "samerole" || t.text == "samegroup" ||
                       t.text == "replication" ||
                       (!t.text.empty() && (t.text[0] == '+' || t.text[0] == '@' || t.text[0] == '/'));
  return t.quoted && special ? "\"" + t.text + "\"" : t.text;
}

std::vector<std::string> token_set(const std::vector<model::AuthToken>& tokens) {
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const auto& t : tokens) {
    out.push_back(token_text(t));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) {
      out += sep;
    }
    out += v[i];
  }
  return out;
}

Canon canonicalize(const model::HbaRecord& r) {
  Canon c;
  c.rec = &r;
  c.dbs = token_set(r.databases);
  c.users = token_set(r.users);
  if (r.type != ConnType::local) {
    switch (r.addr_kind) {
      case AddrKind::ip: c.addr = r.net ? analysis::normalized(*r.net).to_string() : r.address + "/" + r.netmask; break;
      case AddrKind::hostname: c.addr = core::ascii_lower(r.address); break;
      case AddrKind::all: c.addr = "all"; break;
      case AddrKind::samehost: c.addr = "samehost"; break;
      case AddrKind::samenet: c.addr = "samenet"; break;
      case AddrKind::none: break;
    }
  }
  std::vector<std::string> shown_opts;
  if (!r.view_options.empty()) {
    c.opts = r.view_options;
    shown_opts = r.view_options;
    for (auto& o : shown_opts) {
      const auto eq = o.find('=');
      if (eq != std::string::npos && is_secret_option(o.substr(0, eq))) {
        o = o.substr(0, eq) + "=***";
      }
    }
  } else {
    for (const auto& o : r.options) {
      const std::string name = core::ascii_lower(o.name);
      c.opts.push_back(name + "=" + o.value);
      shown_opts.push_back(name + "=" + (is_secret_option(name) ? "***" : o.value));
    }
  }
  std::sort(c.opts.begin(), c.opts.end());
  std::sort(shown_opts.begin(), shown_opts.end());
  const std::string family = r.type == ConnType::local ? "local" : "host";
  c.selector = fmt::format("{} {} {} {}", family, join(c.dbs, ","), join(c.users, ","), c.addr);
  c.key = fmt::format("{} {} {} {} {} {}", model::to_string(r.type), join(c.dbs, ","), join(c.users, ","), c.addr,
                      r.method, join(c.opts, " "));
  c.shown_selector = fmt::format("{} {} {}{}{}", model::to_string(r.type), join(c.dbs, ","), join(c.users, ","),
                                 c.addr.empty() ? "" : " ", c.addr);
  c.row_item = fmt::format("{}{} {}{}{}", r.type == ConnType::local ? "local " : "", join(c.dbs, ","),
                           join(c.users, ","), c.addr.empty() ? "" : " ", c.addr);
  c.outcome = shown_opts.empty() ? r.method : r.method + " " + join(shown_opts, " ");
  return c;
}

// --- may two records match a common connection? (true when unsure)

bool types_overlap(ConnType a, ConnType b) {
  if ((a == ConnType::local) != (b == ConnType::local)) {
    return false;
  }
  auto disjoint = [&](ConnType x, ConnType y) { return (a == x && b == y) || (a == y && b == x); };
  return !disjoint(ConnType::hostssl, ConnType::hostnossl) && !disjoint(ConnType::hostgssenc, ConnType::hostnogssenc) &&
         !disjoint(ConnType::hostssl, ConnType::hostgssenc);
}

bool is_wide_token(const std::string& t, bool database) {
  if (t.empty() || t.front() == '"') {
    return false;
  }
  if (t == "all" || t.front() == '@' || t.front() == '/' || (!database && t.front() == '+')) {
    return true;
  }
  return database && (t == "sameuser" || t == "samerole" || t == "samegroup");
}

bool names_overlap(const std::vector<std::string>& a, const std::vector<std::string>& b, bool database) {
  std::vector<std::string> la;
  std::vector<std::string> lb;
  bool ra = false;
  bool rb = false;
  bool wa = false;
  bool wb = false;
  for (const auto& t : a) {
    if (database && t == "replication") {
      ra = true;  // the keyword matches physical replication connections only
    } else if (is_wide_token(t, database)) {
      wa = true;
    } else {
      la.push_back(t.front() == '"' ? t.substr(1, t.size() - 2) : t);
    }
  }
  for (const auto& t : b) {
    if (database && t == "replication") {
      rb = true;
    } else if (is_wide_token(t, database)) {
      wb = true;
    } else {
      lb.push_back(t.front() == '"' ? t.substr(1, t.size() - 2) : t);
    }
  }
  if (ra && rb) {
    return true;
  }
  if ((wa && (wb || !lb.empty())) || (wb && !la.empty())) {
    return true;
  }
  std::sort(la.begin(), la.end());
  std::sort(lb.begin(), lb.end());
  std::vector<std::string> common;
  std::set_intersection(la.begin(), la.end(), lb.begin(), lb.end(), std::back_inserter(common));
  return !common.empty();
}

bool addresses_overlap(const model::HbaRecord& a, const model::HbaRecord& b) {
  if (a.type == ConnType::local) {
    return true;
  }
  if (a.addr_kind == AddrKind::ip && b.addr_kind == AddrKind::ip && a.net && b.net) {
    return a.net->contains(*b.net) || b.net->contains(*a.net);
  }
  return true;
}

bool may_overlap(const Canon& a, const Canon& b) {
  return types_overlap(a.rec->type, b.rec->type) && names_overlap(a.dbs, b.dbs, true) &&
         names_overlap(a.users, b.users, false) && addresses_overlap(*a.rec, *b.rec);
}

std::string outcome_key(const Canon& c) {
  return c.rec->method + " " + join(c.opts, " ");
}

bool commute(const Canon& a, const Canon& b) {
  return outcome_key(a) == outcome_key(b) || !may_overlap(a, b);
}

// --- weaker?

bool has_client_cert(const Canon& c) {
  return c.rec->method == "cert" || std::any_of(c.opts.begin(), c.opts.end(), [](const std::string& o) {
           return o.rfind("clientcert=verify-", 0) == 0;
         });
}

// Why the replica's record r accepts connections the primary's record p refuses ("" = not weaker).
std::string weaker_reason(const Canon& p, const Canon& r) {
  std::vector<std::string> why;
  const ConnType pt = p.rec->type;
  const ConnType rt = r.rec->type;
  if (pt == ConnType::hostssl && rt != ConnType::hostssl) {
    why.push_back(fmt::format("{} instead of hostssl accepts connections without TLS", model::to_string(rt)));
  }
  if (pt == ConnType::hostgssenc && rt != ConnType::hostgssenc) {
    why.push_back(
        fmt::format("{} instead of hostgssenc accepts connections without GSSAPI encryption", model::to_string(rt)));
  }
  if (auth_method_rank(r.rec->method) < auth_method_rank(p.rec->method)) {
    why.push_back(fmt::format("method {} is weaker than the primary's {}", r.rec->method, p.rec->method));
  }
  if (p.rec->net && r.rec->net && r.rec->net->contains(*p.rec->net) && !p.rec->net->contains(*r.rec->net)) {
    why.push_back(fmt::format("address {} is broader than the primary's {}", r.addr, p.addr));
  } else if (p.rec->addr_kind == AddrKind::ip && r.rec->addr_kind == AddrKind::all) {
    why.push_back(fmt::format("address all is broader than the primary's {}", p.addr));
  }
  if (has_client_cert(p) && !has_client_cert(r)) {
    why.push_back("no client certificate is required");
  }
  return join(why, "; ");
}

core::Span record_span(const model::HbaRecord& r) {
  if (!r.type_span.begin.file.empty()) {
    return core::Span::at(r.type_span.begin.file, r.line, 1);
  }
  return core::Span::at(r.file, r.line, 1);
}

std::string hba_path(const Node& n) {
  if (n.config.hba && !n.config.hba->path.empty()) {
    return n.config.hba->path;
  }
  return n.config.config_dir.empty() ? n.name : n.config.config_dir + "/pg_hba.conf";
}

// The record matches no connection on its own node: the node's earlier lines take every
// connection it could match (the node's first-match model, analysis::hba_model).
bool never_matches(const Node& n, const Canon& c) {
  const analysis::HbaReach* model = analysis::hba_model(n.config);
  if (model == nullptr || !analysis::participates(*c.rec)) {
    return false;
  }
  const auto index = static_cast<std::size_t>(c.rec - n.config.hba->records.data());
  return model->reach_all(index).verdict == analysis::Verdict::no;
}

std::vector<Canon> canonical_records(const Node& n) {
  std::vector<Canon> out;
  if (!n.config.hba) {
    return out;
  }
  for (const auto& r : n.config.hba->records) {
    if (r.error && r.fatal) {
      continue;  // the parse rules report it; the server would not load the file
    }
    if (r.error && r.method.empty()) {
      continue;
    }
    out.push_back(canonicalize(r));
  }
  return out;
}

// One replica's pg_hba.conf against the primary's: the steps of diff_hba, in order.
class HbaNodeDiff {
 public:
  HbaNodeDiff(detail::Collector& out, const Node& node, std::size_t ni, const std::vector<Canon>& pc)
      : m_out(out), m_node(node), m_ni(ni), m_pc(pc), m_rc(canonical_records(node)), m_rpath(hba_path(node)) {}

  void run() {
    match_identical();
    report_order();
    collect_unmatched();
    pair_unmatched();
    report_pairs();
    report_missing();
    report_extra();
  }

 private:
  void report(model::DriftKind kind, core::Span span, std::string message, std::optional<core::Related> related,
              std::string help) {
    model::DriftFact d;
    d.kind = kind;
    d.span = std::move(span);
    d.message = std::move(message);
    if (related) {
      d.related.push_back(std::move(*related));
    }
    d.help = std::move(help);
    m_out.report(std::move(d));
  }

  void row(const Canon* p, const Canon* r, const std::string& note) {
    const std::string item = p ? p->row_item : r->row_item;
    auto text = [](const Canon* c) {
      return c ? fmt::format("{} {}", model::to_string(c->rec->type), c->outcome) : std::string("-");
    };
    const std::string ptext = text(p);
    m_out.set_cell("hba", item, ptext, 0, ptext, false);
    m_out.set_cell("hba", item, ptext, m_ni, text(r) + note, true);
  }

  static core::Related primary_line(const Canon& p, std::string_view what) {
    return core::Related{record_span(*p.rec), std::string(what)};
  }

  // 1. Match identical records, in order.
  void match_identical() {
    std::map<std::string, std::vector<std::size_t>> by_key;
    for (std::size_t j = 0; j < m_rc.size(); ++j) {
      by_key[m_rc[j].key].push_back(j);
    }
    std::map<std::string, std::size_t> used;
    m_match.assign(m_pc.size(), std::nullopt);
    m_r_matched.assign(m_rc.size(), false);
    for (std::size_t i = 0; i < m_pc.size(); ++i) {
      auto it = by_key.find(m_pc[i].key);
      if (it == by_key.end()) {
        continue;
      }
      std::size_t& k = used[m_pc[i].key];
      if (k < it->second.size()) {
        m_match[i] = it->second[k];
        m_r_matched[it->second[k]] = true;
        ++k;
      }
    }
  }

  // 2. Order: matched pairs in a different relative order must commute.
  void report_order() {
    std::vector<bool> order_reported(m_pc.size(), false);
    for (std::size_t a = 0; a < m_pc.size(); ++a) {
      for (std::size_t b = a + 1; b < m_pc.size() && m_match[a]; ++b) {
        if (!m_match[b] || *m_match[b] > *m_match[a] || order_reported[b]) {
          continue;
        }
        if (commute(m_pc[a], m_pc[b])) {
          continue;
        }
        if (report_moved(a, b)) {
          order_reported[b] = true;
        }
      }
    }
  }

  // Primary lines a before b (not commuting) matched in the reverse order; false when not reported.
  bool report_moved(std::size_t a, std::size_t b) {
    // On their common connections the primary applies a, the replica applies b, unless
    // b matches nothing on the replica (its earlier lines take all of b's connections).
    const Canon& ra = m_rc[*m_match[a]];
    const Canon& rb = m_rc[*m_match[b]];
    if (never_matches(m_node, rb)) {
      return false;
    }
    const bool weaker = auth_method_rank(m_pc[b].rec->method) < auth_method_rank(m_pc[a].rec->method);
    const std::string message = fmt::format(
        "on {}, line {} ({}) comes before line {} ({}), the reverse of the primary: connections matching both "
        "get {} instead of {}",
        detail::describe(m_node), rb.rec->line, rb.shown_selector + " " + rb.outcome, ra.rec->line,
        ra.shown_selector + " " + ra.outcome, m_pc[b].rec->method, m_pc[a].rec->method);
    report(weaker ? model::DriftKind::weaker_security : model::DriftKind::hba, record_span(*rb.rec), message,
           primary_line(m_pc[a], "the primary's line that matches first"), "keep the primary's order of these lines");
    row(&m_pc[b], &rb, " (moved)");
    return true;
  }

  void collect_unmatched() {
    for (std::size_t i = 0; i < m_pc.size(); ++i) {
      if (!m_match[i]) {
        m_p_un.push_back(i);
      }
    }
    for (std::size_t j = 0; j < m_rc.size(); ++j) {
      if (!m_r_matched[j]) {
        m_r_un.push_back(j);
      }
    }
  }

  template <class Same>
  void pair_by(Same same) {
    for (auto pi = m_p_un.begin(); pi != m_p_un.end();) {
      auto rj = std::find_if(m_r_un.begin(), m_r_un.end(), [&](std::size_t j) { return same(m_pc[*pi], m_rc[j]); });
      if (rj == m_r_un.end()) {
        ++pi;
        continue;
      }
      m_pairs.emplace_back(*pi, *rj);
      m_r_un.erase(rj);
      pi = m_p_un.erase(pi);
    }
  }

  // 3. Pair the unmatched: same selector (changed type/method/options), then same
  //    everything but the address.
  void pair_unmatched() {
    pair_by([](const Canon& p, const Canon& r) { return p.selector == r.selector; });
    pair_by([](const Canon& p, const Canon& r) {
      return p.rec->type == r.rec->type && p.dbs == r.dbs && p.users == r.users && outcome_key(p) == outcome_key(r);
    });
  }

  void report_pairs() {
    for (const auto& [i, j] : m_pairs) {
      const Canon& p = m_pc[i];
      const Canon& r = m_rc[j];
      // A replica line that matches nothing there accepts nothing.
      const std::string why = never_matches(m_node, r) ? std::string() : weaker_reason(p, r);
      const std::string shown_r = r.shown_selector + " " + r.outcome;
      const std::string shown_p = p.shown_selector + " " + p.outcome;
      if (!why.empty()) {
        report(model::DriftKind::weaker_security, record_span(*r.rec),
               fmt::format("{} accepts what the primary refuses: '{}' where the primary has '{}' ({})",
                           detail::describe(m_node), shown_r, shown_p, why),
               primary_line(p, "the primary's line"), "use the primary's line on every replica");
      } else {
        report(model::DriftKind::hba, record_span(*r.rec),
               fmt::format("pg_hba.conf line differs on {}: '{}' where the primary has '{}'", detail::describe(m_node),
                           shown_r, shown_p),
               primary_line(p, "the primary's line"), "use the same pg_hba.conf lines on every node");
      }
      row(&p, &r, "");
    }
  }

  // 4. Primary lines missing on the replica.
  void report_missing() {
    for (std::size_t i : m_p_un) {
      const Canon& p = m_pc[i];
      const std::string shown_p = p.shown_selector + " " + p.outcome;
      if (p.rec->method == "reject") {
        report(model::DriftKind::weaker_security, detail::file_span(m_rpath),
               fmt::format("{} lacks the primary's reject line '{}'", detail::describe(m_node), shown_p),
               primary_line(p, "the primary's line"), "add the primary's reject line to the replica's pg_hba.conf");
      } else {
        report(model::DriftKind::hba, detail::file_span(m_rpath),
               fmt::format("{} lacks the primary's line '{}'", detail::describe(m_node), shown_p),
               primary_line(p, "the primary's line"), "use the same pg_hba.conf lines on every node");
      }
      row(&p, nullptr, "");
    }
  }

  // 5. Replica lines the primary does not have: weaker when the primary refuses those
  //    connections (no line matches) or its first line that may match is stronger.
  void report_extra() {
    for (std::size_t j : m_r_un) {
      const Canon& r = m_rc[j];
      const bool dead = never_matches(m_node, r);  // accepts nothing: earlier replica lines take it all
      if (r.rec->method != "reject" && !dead && report_extra_weaker(r)) {
        continue;
      }
      const std::string shown_r = r.shown_selector + " " + r.outcome;
      report(model::DriftKind::hba, record_span(*r.rec),
             fmt::format("{} has a line the primary lacks: '{}'{}", detail::describe(m_node), shown_r,
                         dead ? " (it never matches there: earlier lines take every connection it could match)" : ""),
             std::nullopt, "use the same pg_hba.conf lines on every node");
      row(nullptr, &r, "");
    }
  }

  // An extra replica line that accepts what the primary refuses; false when it does not.
  bool report_extra_weaker(const Canon& r) {
    std::string why;
    auto first = std::find_if(m_pc.begin(), m_pc.end(), [&](const Canon& p) { return may_overlap(p, r); });
    if (first == m_pc.end()) {
      why = "no line of the primary matches these connections";
    } else if (auth_method_rank(r.rec->method) < auth_method_rank(first->rec->method)) {
      why = fmt::format("the primary's first matching line uses {}", first->rec->method);
    }
    if (why.empty()) {
      return false;
    }
    std::optional<core::Related> rel;
    if (first != m_pc.end()) {
      rel = primary_line(*first, "the primary's first line for these connections");
    }
    const std::string shown_r = r.shown_selector + " " + r.outcome;
    report(model::DriftKind::weaker_security, record_span(*r.rec),
           fmt::format("{} accepts what the primary refuses: extra line '{}' ({})", detail::describe(m_node), shown_r,
                       why),
           rel, "remove the line or add it to the primary");
    row(nullptr, &r, "");
    return true;
  }

  detail::Collector& m_out;
  const Node& m_node;
  std::size_t m_ni;
  const std::vector<Canon>& m_pc;
  const std::vector<Canon> m_rc;
  const std::string m_rpath;
  std::vector<std::optional<std::size_t>> m_match;  // primary index -> replica index
  std::vector<bool> m_r_matched;
  std::vector<std::size_t> m_p_un;
  std::vector<std::size_t> m_r_un;
  std::vector<std::pair<std::size_t, std::size_t>> m_pairs;
};

}  // namespace

namespace detail {

void diff_hba(Collector& out) {
  const auto& nodes = out.nodes();
  const Node& primary = nodes.front();
  const std::vector<Canon> pc = canonical_records(primary);
  for (std::size_t ni = 1; ni < nodes.size(); ++ni) {
    HbaNodeDiff(out, nodes[ni], ni, pc).run();
  }
}

}  // namespace detail

}  // namespace pgl::diff
