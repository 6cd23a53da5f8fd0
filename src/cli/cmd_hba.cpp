// pgconflint hba who|exposure PATH : questions answered from the first-match model of one
// pg_hba.conf (with its include files and @file lists).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "analysis/hba_reach.hpp"
#include "analysis/hba_who.hpp"
#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "core/source.hpp"
#include "load/loader.hpp"
#include "parse/parse.hpp"

namespace pgl::cli {

namespace {

constexpr std::string_view k_usage =
    "usage: pgconflint hba who PATH --user U --database D (--address A | --local) [options]\n"
    "       pgconflint hba exposure PATH [--format text|json|markdown]\n"
    "Run 'pgconflint hba who --help' or 'pgconflint hba exposure --help' for the options.\n";

std::optional<model::IpNet> parse_net(const std::string& text, bool allow_prefix) {
  const auto slash = text.find('/');
  if (slash != std::string::npos && !allow_prefix) {
    return std::nullopt;
  }
  const std::string addr = text.substr(0, slash);
  model::IpNet n;
  if (inet_pton(AF_INET, addr.c_str(), n.bytes.data()) == 1) {
    n.family = 4;
    n.prefix = 32;
  } else if (inet_pton(AF_INET6, addr.c_str(), n.bytes.data()) == 1) {
    n.family = 6;
    n.prefix = 128;
  } else {
    return std::nullopt;
  }
  if (slash != std::string::npos) {
    const std::string bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), ::isdigit)) {
      return std::nullopt;
    }
    const int p = std::stoi(bits);
    if (p > n.prefix) {
      return std::nullopt;
    }
    n.prefix = p;
  }
  return n;
}

// Reads PATH as the server reads pg_hba.conf; an error message when it would not load.
struct Loaded {
  model::HbaFile file;
  core::SourceSet sources;
};

std::optional<std::string> load_hba(const std::string& path, int pg_version, Loaded& out) {
  parse::AuthParseOptions options;
  options.pg_version = pg_version;
  options.ssl_on = true;
  out.file = parse::parse_hba(path, options, out.sources);
  // A file read_text_file refuses (unreadable, too large, not a regular file, NUL bytes) is
  // reported with its message. The parse read the file already: it is read again only when
  // the parse could not read it or found a NUL byte (the 6.5 MB of bench/'s file read once).
  const core::SourceFile* source = out.sources.find(out.file.path);
  if (out.file.file_error || source == nullptr ||
      std::memchr(source->bytes().data(), '\0', source->bytes().size()) != nullptr) {
    if (auto read = load::read_text_file(path); !read) {
      return read.error().message;
    }
  }
  if (out.file.file_error) {
    return fmt::format("{}: {}", path, *out.file.file_error);
  }
  for (const auto& r : out.file.records) {
    if (r.fatal) {
      return fmt::format("the server would not load {}: line {} of {}: {}", path, r.line, r.file.str(),
                         r.error.value_or(r.warning.value_or("invalid line")));
    }
  }
  return std::nullopt;
}

std::string quoted_line(const Loaded& l, const model::HbaRecord& r) {
  if (const auto* f = l.sources.find(r.file)) {
    std::string text(f->line(r.line));
    const auto first = text.find_first_not_of(" \t");
    return first == std::string::npos ? text : text.substr(first);
  }
  return {};
}

std::string where(const Loaded& l, const model::HbaRecord& r) {
  if (r.file == l.file.path) {
    return fmt::format("line {}", r.line);
  }
  return fmt::format("line {} of {}", r.line, r.file.str());
}

// Passed-over lines the text answer names (the rest are counted).
constexpr std::size_t k_passed_shown = 20;

struct WhoArgs {
  std::string path;
  std::string user;
  std::string database;
  std::string address;
  bool local = false;
  bool ssl = false;
  bool no_ssl = false;
  bool gss = false;
  bool replication = false;
  std::vector<std::string> member_of;
  bool member_of_none = false;
  std::vector<std::string> local_address;
  std::vector<std::string> resolve;
  std::string format = "text";
  int pg_version = 18;
};

// The connection the options describe; a usage error's exit code when they do not.
std::optional<int> who_query(const WhoArgs& a, analysis::WhoQuery& q) {
  if (a.local == !a.address.empty()) {
    return usage_error("hba who", "give exactly one of --address A and --local");
  }
  if (static_cast<int>(a.ssl) + static_cast<int>(a.no_ssl) + static_cast<int>(a.gss) > 1) {
    return usage_error("hba who", "give at most one of --ssl, --no-ssl and --gss");
  }
  if (a.local && (a.ssl || a.gss)) {
    return usage_error("hba who", "--ssl and --gss are for TCP connections (--address)");
  }
  q.user = a.user;
  q.database = a.database;
  q.local = a.local;
  q.replication = a.replication;
  q.encryption = a.ssl ? analysis::Encryption::ssl : a.gss ? analysis::Encryption::gss : analysis::Encryption::none;
  if (!a.local) {
    q.address = parse_net(a.address, false);
    if (!q.address) {
      return usage_error("hba who", fmt::format("--address: \"{}\" is not an IP address", a.address));
    }
  }
  if (!a.member_of.empty() || a.member_of_none) {
    q.member_of = a.member_of;
  }
  if (!a.local_address.empty()) {
    q.local_addresses.emplace();
    for (const auto& s : a.local_address) {
      auto n = parse_net(s, true);
      if (!n) {
        return usage_error("hba who", fmt::format("--local-address: \"{}\" is not an address or CIDR", s));
      }
      q.local_addresses->push_back(*n);
    }
  }
  for (const auto& s : a.resolve) {
    const auto eq = s.find('=');
    auto n = eq == std::string::npos ? std::nullopt : parse_net(s.substr(eq + 1), false);
    if (!n || eq == 0) {
      return usage_error("hba who", fmt::format("--resolve: \"{}\" is not NAME=ADDR", s));
    }
    q.resolve.emplace_back(s.substr(0, eq), *n);
  }
  return std::nullopt;
}

void print_who_json(const Loaded& l, const analysis::WhoResult& res) {
  nlohmann::ordered_json j;
  j["decision"] = analysis::to_string(res.decision);
  if (res.match) {
    const auto& r = l.file.records[*res.match];
    nlohmann::ordered_json m;
    m["file"] = r.file.str();
    m["line"] = r.line;
    m["type"] = model::to_string(r.type);
    m["method"] = r.method;
    m["options"] = r.view_options;
    j["match"] = m;
  } else {
    j["match"] = nullptr;
  }
  auto lines = [&](const std::vector<analysis::WhoLine>& ls) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& p : ls) {
      const auto& r = l.file.records[p.index];
      arr.push_back({{"file", r.file.str()}, {"line", r.line}, {"reason", p.reason}});
    }
    return arr;
  };
  j["passed"] = lines(res.passed);
  j["uncertain"] = lines(res.uncertain);
  j["depends_on"] = res.depends_on;
  fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string who_connection(const analysis::WhoQuery& q) {
  return fmt::format(
      "user \"{}\" {} {}", q.user,
      q.replication ? std::string("(physical replication)") : fmt::format("to database \"{}\"", q.database),
      q.local ? std::string("over the Unix-domain socket")
              : fmt::format("from {}{}", analysis::display_addr(*q.address),
                            q.encryption == analysis::Encryption::ssl   ? " with SSL"
                            : q.encryption == analysis::Encryption::gss ? " with GSSAPI encryption"
                                                                        : " without SSL"));
}

void print_who_text(const Loaded& l, const analysis::WhoQuery& q, const analysis::WhoResult& res) {
  const std::string conn = who_connection(q);
  std::string text;
  auto matched = [&]() {
    const auto& r = l.file.records[*res.match];
    return fmt::format("{} (`{}`, method {})", where(l, r), quoted_line(l, r), r.method);
  };
  switch (res.decision) {
    case analysis::WhoDecision::accept: text = fmt::format("Accepted: {} reaches {}.", conn, matched()); break;
    case analysis::WhoDecision::reject:
      text = fmt::format("Rejected: {} reaches {}, which rejects it.", conn, matched());
      break;
    case analysis::WhoDecision::no_match:
      text = fmt::format("Rejected: no line matches {} (\"no pg_hba.conf entry\").", conn);
      break;
    case analysis::WhoDecision::depends: {
      std::vector<std::string> refs;
      for (const auto& u : res.uncertain) {
        refs.push_back(fmt::format("{} ({})", where(l, l.file.records[u.index]), u.reason));
      }
      text = fmt::format("Depends: for {}, {} may match first; ", conn, fmt::join(refs, ", "));
      text += res.match ? fmt::format("otherwise {}.", matched()) : std::string("otherwise no line matches.");
      break;
    }
  }
  if (!res.passed.empty()) {
    std::vector<std::string> refs;
    const std::size_t limit = k_passed_shown;
    for (std::size_t k = 0; k < res.passed.size() && k < limit; ++k) {
      refs.push_back(fmt::format("{} ({})", where(l, l.file.records[res.passed[k].index]), res.passed[k].reason));
    }
    if (res.passed.size() > limit) {
      refs.push_back(fmt::format("and {} more", res.passed.size() - limit));
    }
    text += fmt::format(" Passed over: {}.", fmt::join(refs, "; "));
  }
  fmt::print("{}\n", text);
}

int cmd_who(const std::vector<std::string>& args) {
  WhoArgs a;
  CLI::App app{"Which pg_hba.conf line the server uses for one connection (as check_hba decides).",
               "pgconflint hba who"};
  app.add_option("PATH", a.path, "pg_hba.conf")->required();
  app.add_option("--user", a.user, "role name")->required();
  app.add_option("--database", a.database, "database name (ignored with --replication)")->required();
  app.add_option("--address", a.address, "client IP address (TCP connection)");
  app.add_flag("--local", a.local, "connection over the Unix-domain socket");
  app.add_flag("--ssl", a.ssl, "SSL-encrypted TCP connection");
  app.add_flag("--no-ssl", a.no_ssl, "unencrypted TCP connection (the default)");
  app.add_flag("--gss", a.gss, "GSSAPI-encrypted TCP connection");
  app.add_flag("--replication", a.replication, "physical replication connection");
  app.add_option("--member-of", a.member_of, "a group the role is a member of (repeatable; exactly these)");
  app.add_flag("--no-groups", a.member_of_none, "the role is a member of no group");
  app.add_option("--local-address", a.local_address,
                 "a server interface address with its prefix, e.g. 10.0.0.5/24 (samehost, samenet; repeatable)");
  app.add_option("--resolve", a.resolve, "NAME=ADDR: the client at ADDR has host name NAME (repeatable)");
  app.add_option("--format", a.format, "output format")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--pg-version", a.pg_version, "PostgreSQL major version (default 18)")->check(CLI::Range(12, 18));
  if (auto done = parse_options(app, args, "hba who")) {
    return *done;
  }
  analysis::WhoQuery q;
  if (auto err = who_query(a, q)) {
    return *err;
  }

  // Deliberately never freed: the process ends after printing the answer, and freeing
  // the records of a 100,000-line file one by one costs more than the scan itself. Kept
  // reachable from a static (no leak report under LeakSanitizer).
  static Loaded* const kept = new Loaded;
  Loaded& l = *kept;
  if (auto err = load_hba(a.path, a.pg_version, l)) {
    return input_error(*err);
  }
  if (a.format == "text") {
    q.explained = k_passed_shown;
  }
  const auto res = analysis::who(l.file, a.pg_version, q);
  const int code = res.decision == analysis::WhoDecision::accept ? k_exit_ok : k_exit_findings;

  if (a.format == "json") {
    print_who_json(l, res);
  } else {
    print_who_text(l, q, res);
  }
  return code;
}

struct Section {
  std::string name;
  bool tcp = true;
  bool network = false;  // not only the server itself
  std::optional<bool> ssl;
  analysis::ReachQuery query;
};

model::IpNet net_of(const char* text) {
  return *parse_net(text, true);
}

// Every address of both families except `keep`.
std::vector<model::IpNet> complement(const std::vector<model::IpNet>& keep) {
  std::vector<model::IpNet> out;
  for (int fam : {4, 6}) {
    model::IpNet whole;
    whole.family = fam;
    whole.prefix = 0;
    analysis::NetSet s(whole);
    for (const auto& k : keep) {
      s.subtract(k);
    }
    for (const auto& n : s.nets()) {
      out.push_back(n);
    }
  }
  return out;
}

std::vector<Section> sections() {
  const std::vector<model::IpNet> loopback = {net_of("127.0.0.0/8"), net_of("::1/128")};
  const std::vector<model::IpNet> priv = {net_of("10.0.0.0/8"),     net_of("172.16.0.0/12"), net_of("192.168.0.0/16"),
                                          net_of("169.254.0.0/16"), net_of("fc00::/7"),      net_of("fe80::/10")};
  std::vector<Section> out;
  Section unix_socket;
  unix_socket.name = "Unix socket";
  unix_socket.tcp = false;
  unix_socket.query.classes = {analysis::ConnClass::local};
  out.push_back(unix_socket);
  for (const char* where : {"loopback", "private networks", "any address"}) {
    for (bool ssl : {false, true}) {
      Section s;
      s.name = fmt::format("{}, {}", where, ssl ? "SSL" : "no SSL");
      s.ssl = ssl;
      s.query.classes = {ssl ? analysis::ConnClass::tcp_ssl : analysis::ConnClass::tcp_plain};
      const std::string w = where;
      if (w == "loopback") {
        s.query.exclude = complement(loopback);
      } else if (w == "private networks") {
        s.network = true;
        s.query.exclude_loopback = true;
        s.query.exclude = complement(priv);
      } else {
        s.network = true;
        s.query.exclude_loopback = true;
        s.query.exclude = priv;
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::vector<std::string> findings_for(const Section& s, const std::string& method) {
  if (!s.network || s.ssl.value_or(true)) {
    return {};
  }
  if (method == "trust") {
    return {"hba-trust-over-network"};
  }
  if (method == "password") {
    return {"hba-cleartext-password", "hba-host-not-ssl"};
  }
  if (method == "md5") {
    return {"hba-md5", "hba-host-not-ssl"};
  }
  return {};
}

std::string token_list(const std::vector<model::AuthToken>& ts) {
  std::string out;
  for (const auto& t : ts) {
    out += (out.empty() ? "" : ",") + (t.quoted ? "\"" + t.text + "\"" : t.text);
  }
  return out;
}

std::string fit(std::string s, std::size_t width) {
  if (s.size() <= width) {
    return s;
  }
  return s.substr(0, width - 3) + "...";
}

struct Entry {
  std::size_t index;
  bool certain;
};

// Per section: method -> lines that some such connection reaches (in file order).
using ExposureTable = std::vector<std::vector<std::pair<std::string, std::vector<Entry>>>>;

ExposureTable exposure_table(const Loaded& l, const analysis::HbaReach& model, const std::vector<Section>& secs) {
  ExposureTable table(secs.size());
  for (std::size_t s = 0; s < secs.size(); ++s) {
    std::map<std::string, std::size_t> slot;
    std::vector<std::size_t> asked;
    for (std::size_t i = 0; i < l.file.records.size(); ++i) {
      const auto& r = l.file.records[i];
      if (analysis::participates(r) && (r.type == model::ConnType::local) != secs[s].tcp) {
        asked.push_back(i);
      }
    }
    const std::vector<analysis::Reach> answers = model.reach_each(asked, secs[s].query);
    for (std::size_t k = 0; k < asked.size(); ++k) {
      const std::size_t i = asked[k];
      const auto& r = l.file.records[i];
      const auto& reach = answers[k];
      if (reach.verdict == analysis::Verdict::no) {
        continue;
      }
      auto [it, fresh] = slot.emplace(r.method, table[s].size());
      if (fresh) {
        table[s].push_back({r.method, {}});
      }
      table[s][it->second].second.push_back({i, reach.verdict == analysis::Verdict::yes});
    }
  }
  return table;
}

nlohmann::ordered_json exposure_line_json(const model::HbaRecord& r, bool certain) {
  nlohmann::ordered_json o;
  o["file"] = r.file.str();
  o["line"] = r.line;
  nlohmann::ordered_json dbs = nlohmann::ordered_json::array();
  for (const auto& t : r.databases) {
    dbs.push_back(t.text);
  }
  nlohmann::ordered_json users = nlohmann::ordered_json::array();
  for (const auto& t : r.users) {
    users.push_back(t.text);
  }
  o["databases"] = dbs;
  o["users"] = users;
  o["certain"] = certain;
  return o;
}

void print_exposure_json(const Loaded& l, const std::vector<Section>& secs, const ExposureTable& table) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (std::size_t s = 0; s < secs.size(); ++s) {
    nlohmann::ordered_json sec;
    sec["class"] = secs[s].name;
    sec["ssl"] = secs[s].ssl ? nlohmann::ordered_json(*secs[s].ssl) : nlohmann::ordered_json();
    nlohmann::ordered_json methods = nlohmann::ordered_json::array();
    for (const auto& [method, entries] : table[s]) {
      nlohmann::ordered_json lines = nlohmann::ordered_json::array();
      for (const auto& e : entries) {
        lines.push_back(exposure_line_json(l.file.records[e.index], e.certain));
      }
      methods.push_back({{"method", method},
                         {"exposed", !findings_for(secs[s], method).empty()},
                         {"findings", findings_for(secs[s], method)},
                         {"lines", lines}});
    }
    sec["methods"] = methods;
    j.push_back(sec);
  }
  fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

// The text and Markdown forms of the table.
class ExposureWriter {
 public:
  ExposureWriter(const Loaded& l, bool md, std::size_t limit) : m_l(l), m_md(md), m_limit(limit) {}

  void section(const Section& sec, const std::vector<std::pair<std::string, std::vector<Entry>>>& methods) {
    m_out += m_md ? fmt::format("### {}\n\n", sec.name) : fmt::format("{}\n", sec.name);
    if (methods.empty()) {
      m_out += m_md ? "No line is reachable.\n\n" : "  (no line is reachable)\n";
      return;
    }
    if (m_md) {
      m_out += "| method | line | databases | users |\n|---|---|---|---|\n";
    }
    for (const auto& [method, entries] : methods) {
      this->method(sec, method, entries);
    }
    m_out += m_md ? "\n" : "";
  }

  // The legend; in Markdown, the note on exposed methods is a paragraph of its own.
  std::string finish() {
    m_out += m_md ? "" : "\n";
    m_out += "Columns: method, line (? = depends on roles, DNS, interfaces), databases, users\n";
    if (m_any_exposed) {
      m_out += m_md ? "\n**Exposed**: a password method or trust reachable from the network without SSL.\n"
                    : "! = trust, password or md5 reachable from the network without SSL\n";
    }
    return std::move(m_out);
  }

 private:
  void method(const Section& sec, const std::string& method, const std::vector<Entry>& entries) {
    const auto finds = findings_for(sec, method);
    m_any_exposed = m_any_exposed || !finds.empty();
    for (std::size_t k = 0; k < entries.size() && k < m_limit; ++k) {
      line(method, !finds.empty(), k == 0, entries[k]);
    }
    if (entries.size() > m_limit) {
      m_out += m_md ? fmt::format("| {} | and {} more lines | | |\n", method, entries.size() - m_limit)
                    : fmt::format("  {:<15} {:>7} and {} more lines\n", "", "", entries.size() - m_limit);
    }
    if (!finds.empty() && !m_md) {
      m_out += fmt::format("  {:<15} {:>7} {}\n", "", "", fit("see " + fmt::format("{}", fmt::join(finds, ", ")), 53));
    } else if (!finds.empty()) {
      m_out += fmt::format("| {} | see {} | | |\n", method, fmt::join(finds, ", "));
    }
  }

  void line(const std::string& method, bool exposed, bool first, const Entry& e) {
    const auto& r = m_l.file.records[e.index];
    const std::string ln = fmt::format("{}{}", r.line, e.certain ? "" : "?");
    if (m_md) {
      m_out += fmt::format("| {}{} | {} | {} | {} |\n", method, exposed ? " **(exposed)**" : "", ln,
                           token_list(r.databases), token_list(r.users));
    } else {
      // 2 + 15 + 1 + 7 + 1 + 26 + 1 + 26 = 79 columns.
      m_out += fmt::format("  {:<15} {:>7} {:<26} {}\n", fit(first ? method + (exposed ? " !" : "") : "", 15),
                           fit(ln, 7), fit(token_list(r.databases), 26), fit(token_list(r.users), 26));
    }
  }

  const Loaded& m_l;
  bool m_md;
  std::size_t m_limit;
  bool m_any_exposed = false;
  std::string m_out;
};

int cmd_exposure(const std::vector<std::string>& args) {
  std::string path;
  std::string format = "text";
  int pg_version = 18;
  std::size_t limit = 5;
  CLI::App app{
      "Who can reach what: per address class, with and without SSL, the roles and databases that "
      "reach each authentication method.",
      "pgconflint hba exposure"};
  app.add_option("PATH", path, "pg_hba.conf")->required();
  app.add_option("--format", format, "output format")->check(CLI::IsMember({"text", "json", "markdown"}));
  app.add_option("--pg-version", pg_version, "PostgreSQL major version (default 18)")->check(CLI::Range(12, 18));
  app.add_option("--limit", limit, "lines listed per method in text and markdown (default 5)");
  if (auto done = parse_options(app, args, "hba exposure")) {
    return *done;
  }
  Loaded l;
  if (auto err = load_hba(path, pg_version, l)) {
    return input_error(*err);
  }
  const analysis::HbaReach model(l.file, pg_version);
  const auto secs = sections();
  const ExposureTable table = exposure_table(l, model, secs);
  if (format == "json") {
    print_exposure_json(l, secs, table);
    return k_exit_ok;
  }
  ExposureWriter writer(l, format == "markdown", limit);
  for (std::size_t s = 0; s < secs.size(); ++s) {
    writer.section(secs[s], table[s]);
  }
  fmt::print("{}", writer.finish());
  return k_exit_ok;
}

}  // namespace

int cmd_hba(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    fmt::print(args.empty() ? stderr : stdout, "{}", k_usage);
    return args.empty() ? k_exit_error : k_exit_ok;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "who") {
    return cmd_who(rest);
  }
  if (args[0] == "exposure") {
    return cmd_exposure(rest);
  }
  fmt::print(stderr, "pgconflint hba: unknown question '{}' (expected who or exposure)\n{}", args[0], k_usage);
  return k_exit_error;
}

}  // namespace pgl::cli
