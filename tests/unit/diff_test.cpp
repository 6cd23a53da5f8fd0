// pgconflint diff: settings, pg_hba.conf and pg_ident.conf compared by meaning.
//
// Part 1 builds model::Config values by hand (no parser involved) so that each
// equivalence and each finding is pinned down precisely. Part 2 runs the diff over the
// fixture directories rules/drift/<id>.fixtures/<case>/{primary,replica1,...} through the
// loader, with expectations in <case>/expected.txt.
#include "diff/diff.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "load/loader.hpp"
#include "tls_testutil.hpp"

namespace pgl::diff {
namespace {

// ---------------------------------------------------------------- hand-built nodes

struct ConfLine {
  std::string name;
  std::string value;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    if (!cur.empty()) {
      out.push_back(cur);
    }
  }
  return out;
}

model::HbaRecord hba_record(const std::string& file, std::uint32_t line, const std::string& text) {
  model::HbaRecord r;
  r.file = file;
  r.line = line;
  const auto f = split(text, ' ');
  std::size_t i = 0;
  const std::string& type = f.at(i++);
  for (auto t : {model::ConnType::local, model::ConnType::host, model::ConnType::hostssl, model::ConnType::hostnossl,
                 model::ConnType::hostgssenc, model::ConnType::hostnogssenc}) {
    if (type == model::to_string(t)) {
      r.type = t;
    }
  }
  r.type_span = core::Span::at(file, line, 1, static_cast<std::uint32_t>(type.size()));
  for (const auto& d : split(f.at(i++), ',')) {
    r.databases.push_back(model::AuthToken{d, false, {}});
  }
  for (const auto& u : split(f.at(i++), ',')) {
    r.users.push_back(model::AuthToken{u, false, {}});
  }
  if (r.type != model::ConnType::local) {
    r.address = f.at(i++);
    if (r.address == "all") {
      r.addr_kind = model::AddrKind::all;
    } else if (r.address == "samehost") {
      r.addr_kind = model::AddrKind::samehost;
    } else if (r.address == "samenet") {
      r.addr_kind = model::AddrKind::samenet;
    } else {
      const auto slash = r.address.find('/');
      const std::string ip = r.address.substr(0, slash);
      model::IpNet net;
      if (inet_pton(AF_INET, ip.c_str(), net.bytes.data()) == 1) {
        net.family = 4;
        net.prefix = slash == std::string::npos ? 32 : std::stoi(r.address.substr(slash + 1));
      } else if (inet_pton(AF_INET6, ip.c_str(), net.bytes.data()) == 1) {
        net.family = 6;
        net.prefix = slash == std::string::npos ? 128 : std::stoi(r.address.substr(slash + 1));
      }
      if (net.prefix != 32 || slash != std::string::npos || net.family == 6 || ip.find('.') != std::string::npos) {
        r.addr_kind = model::AddrKind::ip;
        r.net = net;
      }
      if (ip.find_first_not_of("0123456789.:abcdef") != std::string::npos) {
        r.addr_kind = model::AddrKind::hostname;
        r.net.reset();
      }
    }
  }
  r.method = f.at(i++);
  for (; i < f.size(); ++i) {
    const auto eq = f[i].find('=');
    r.options.push_back(model::HbaOption{f[i].substr(0, eq), f[i].substr(eq + 1), {}});
  }
  return r;
}

Node make_node(const std::string& name, Role role, const std::vector<ConfLine>& conf,
               const std::vector<std::string>& hba = {}, const std::vector<std::string>& ident = {}, int version = 16) {
  Node n;
  n.name = name;
  n.role = role;
  n.config.pg_version = version;
  n.config.config_dir = "/c/" + name;
  const std::string conf_file = n.config.config_dir + "/postgresql.conf";
  model::ConfSet set;
  set.main_file = conf_file;
  std::uint32_t line = 0;
  for (const auto& c : conf) {
    model::ConfEntry e;
    e.name = c.name;
    e.value = c.value;
    e.raw_value = c.value;
    e.file = conf_file;
    e.line = ++line;
    e.name_span = core::Span::at(conf_file, e.line, 1, static_cast<std::uint32_t>(c.name.size()));
    set.items.push_back(model::ConfItem{e, std::nullopt});
  }
  n.config.conf = std::move(set);
  for (const auto& item : n.config.conf->items) {
    n.config.settings[item.entry->name] = model::EffectiveSetting{item.entry->name, item.entry->value, &*item.entry};
  }
  model::HbaFile hf;
  hf.path = n.config.config_dir + "/pg_hba.conf";
  line = 0;
  for (const auto& h : hba) {
    hf.records.push_back(hba_record(hf.path, ++line, h));
  }
  n.config.hba = std::move(hf);
  model::IdentFile idf;
  idf.path = n.config.config_dir + "/pg_ident.conf";
  line = 0;
  for (const auto& m : ident) {
    const auto f = split(m, ' ');
    model::IdentRecord r;
    r.file = idf.path;
    r.line = ++line;
    r.map_name = f.at(0);
    r.system_user = model::AuthToken{f.at(1), false, {}};
    r.pg_user = model::AuthToken{f.at(2), false, {}};
    idf.records.push_back(r);
  }
  n.config.ident = std::move(idf);
  return n;
}

std::vector<Node> pair_of(const std::vector<ConfLine>& primary, const std::vector<ConfLine>& replica) {
  std::vector<Node> nodes;
  nodes.push_back(make_node("primary", Role::primary, primary));
  nodes.push_back(make_node("replica1", Role::replica, replica));
  return nodes;
}

std::vector<Node> hba_pair(const std::vector<std::string>& primary, const std::vector<std::string>& replica) {
  std::vector<Node> nodes;
  nodes.push_back(make_node("primary", Role::primary, {}, primary));
  nodes.push_back(make_node("replica1", Role::replica, {}, replica));
  return nodes;
}

std::string dump(const DiffResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) {
    out += fmt::format("{}:{}: {} [{}] {}\n", d.span.begin.file, d.span.begin.line, core::to_string(d.severity), d.rule,
                       d.message);
  }
  return out;
}

// ---------------------------------------------------------------- settings: equivalences

TEST(DiffSettings, SharedBuffersSpelledDifferentlyIsTheSame) {
  for (const char* other : {"131072kB", "16384", "128MB", " 128MB", "0.125GB"}) {
    auto r = diff_nodes(pair_of({{"shared_buffers", "128MB"}}, {{"shared_buffers", other}}), {});
    EXPECT_TRUE(r.diagnostics.empty()) << other << "\n" << dump(r);
    EXPECT_TRUE(r.rows.empty()) << other;
  }
}

TEST(DiffSettings, BooleanSpellingsAreTheSame) {
  for (const char* other : {"on", "yes", "true", "1", "ON", "Yes", "t", "y"}) {
    auto r = diff_nodes(pair_of({{"fsync", "on"}}, {{"fsync", other}}), {});
    EXPECT_TRUE(r.diagnostics.empty()) << other << "\n" << dump(r);
  }
  for (const char* other : {"off", "no", "false", "0", "OFF", "of"}) {
    auto r = diff_nodes(pair_of({{"jit", "off"}}, {{"jit", other}}), {});
    EXPECT_TRUE(r.diagnostics.empty()) << other << "\n" << dump(r);
  }
}

TEST(DiffSettings, EnumCaseAndAliasesAreTheSame) {
  for (const char* other : {"REPLICA", "Replica", "hot_standby", "archive"}) {
    auto r = diff_nodes(pair_of({{"wal_level", "replica"}}, {{"wal_level", other}}), {});
    EXPECT_TRUE(r.diagnostics.empty()) << other << "\n" << dump(r);
  }
  auto r =
      diff_nodes(pair_of({{"ssl_min_protocol_version", "TLSv1.3"}}, {{"ssl_min_protocol_version", "tlsv1.3"}}), {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(DiffSettings, DefaultSpelledOutEqualsUnset) {
  // Boot values: max_connections 100, shared_buffers 16384 blocks (128MB), wal_level replica.
  auto r = diff_nodes(pair_of({}, {{"max_connections", "100"},
                                   {"shared_buffers", "128MB"},
                                   {"wal_level", "replica"},
                                   {"checkpoint_timeout", "5min"},
                                   {"work_mem", "4MB"}}),
                      {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  r = diff_nodes(pair_of({{"work_mem", "4096kB"}, {"checkpoint_timeout", "300s"}}, {}), {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(DiffSettings, TimeUnitsCompareByValue) {
  auto r = diff_nodes(pair_of({{"statement_timeout", "1min"}}, {{"statement_timeout", "60000"}}), {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  r = diff_nodes(pair_of({{"statement_timeout", "1min"}}, {{"statement_timeout", "61s"}}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
}

// ---------------------------------------------------------------- settings: findings

TEST(DiffSettings, DifferentValueIsDriftAtTheReplicasLine) {
  auto r = diff_nodes(
      pair_of({{"work_mem", "4MB"}, {"random_page_cost", "1.1"}}, {{"random_page_cost", "4"}, {"work_mem", "8MB"}}),
      {});
  ASSERT_EQ(r.diagnostics.size(), 2U) << dump(r);
  const auto& d = r.diagnostics[0];  // sorted by line: random_page_cost is line 1 of the replica
  EXPECT_EQ(d.rule, "drift-setting");
  EXPECT_EQ(d.severity, core::Severity::warning);
  EXPECT_EQ(d.span.begin.file, "/c/replica1/postgresql.conf");
  EXPECT_EQ(d.span.begin.line, 1U);
  EXPECT_NE(d.message.find("random_page_cost is 4 on replica 'replica1' but 1.1 on the primary"), std::string::npos)
      << d.message;
  ASSERT_EQ(d.related.size(), 1U);
  EXPECT_EQ(d.related[0].span.begin.file, "/c/primary/postgresql.conf");
  EXPECT_EQ(d.related[0].span.begin.line, 2U);
  EXPECT_EQ(r.diagnostics[1].span.begin.line, 2U);
  ASSERT_EQ(r.rows.size(), 2U);
  EXPECT_EQ(r.rows[0].item, "random_page_cost");
  EXPECT_FALSE(r.rows[0].cells[0].marked);
  EXPECT_TRUE(r.rows[0].cells[1].marked);
  EXPECT_EQ(r.rows[0].cells[1].text, "4");
}

TEST(DiffSettings, UnsetOnOneSideSaysDefault) {
  auto r = diff_nodes(pair_of({{"work_mem", "64MB"}}, {}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].span.begin.line, 0U);  // whole file: nothing sets it on the replica
  EXPECT_NE(r.diagnostics[0].message.find("the default (4096)"), std::string::npos) << r.diagnostics[0].message;
  ASSERT_EQ(r.rows.size(), 1U);
  EXPECT_EQ(r.rows[0].cells[1].text, "default");
}

TEST(DiffSettings, ExpectedPerNodeClassesAreIgnoredAndListed) {
  auto r = diff_nodes(pair_of({{"cluster_name", "main"}, {"listen_addresses", "10.0.0.1"}},
                              {{"primary_conninfo", "host=db1 user=replicator"},
                               {"primary_slot_name", "r1"},
                               {"restore_command", "cp /arch/%f %p"},
                               {"cluster_name", "replica"},
                               {"listen_addresses", "10.0.0.2"},
                               {"hot_standby", "on"}}),
                      {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  std::vector<std::string> names;
  for (const auto& i : r.ignored) {
    names.push_back(i.name);
  }
  // hot_standby is on by default, so it does not differ at all.
  EXPECT_EQ(names, (std::vector<std::string>{"cluster_name", "listen_addresses", "primary_conninfo",
                                             "primary_slot_name", "restore_command"}));
  EXPECT_EQ(r.ignored[0].reason, IgnoreClass::identity);
  EXPECT_EQ(r.ignored[2].reason, IgnoreClass::replication);
}

TEST(DiffSettings, SizingIsComparedUnlessAllowed) {
  auto nodes = pair_of({{"work_mem", "4MB"}, {"effective_cache_size", "8GB"}},
                       {{"work_mem", "16MB"}, {"effective_cache_size", "16GB"}});
  EXPECT_EQ(diff_nodes(nodes, {}).diagnostics.size(), 2U);
  DiffOptions sizing;
  sizing.allow_sizing = true;
  auto r = diff_nodes(nodes, sizing);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  EXPECT_EQ(r.ignored.size(), 2U);
}

TEST(DiffSettings, IgnoreAndAddFromTheProjectConfig) {
  auto nodes = pair_of({{"log_line_prefix", "%m "}, {"cluster_name", "a"}, {"port", "5432"}},
                       {{"log_line_prefix", "%t "}, {"cluster_name", "b"}, {"port", "5433"}});
  DiffOptions o;
  o.ignore = {"log_*"};
  o.add = {"cluster_name"};
  auto r = diff_nodes(nodes, o);
  ASSERT_EQ(r.diagnostics.size(), 2U) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("cluster_name"), std::string::npos);
  EXPECT_NE(r.diagnostics[1].message.find("port"), std::string::npos);
  EXPECT_EQ(ignore_class("log_line_prefix", o), IgnoreClass::user);
  DiffOptions cls;
  cls.add = {"replication"};
  EXPECT_EQ(ignore_class("primary_conninfo", cls), IgnoreClass::none);
  cls.ignore = {"sizing"};
  EXPECT_EQ(ignore_class("work_mem", cls), IgnoreClass::sizing);
}

TEST(DiffSettings, StandbyTooSmall) {
  auto r = diff_nodes(
      pair_of({{"max_connections", "200"}, {"max_worker_processes", "16"}}, {{"max_connections", "150"}}), {});
  ASSERT_EQ(r.diagnostics.size(), 2U) << dump(r);
  for (const auto& d : r.diagnostics) {
    EXPECT_EQ(d.rule, "drift-standby-too-small");
    EXPECT_EQ(d.severity, core::Severity::error);
  }
  EXPECT_NE(dump(r).find("max_worker_processes is the default (8) on replica 'replica1', below the primary's 16"),
            std::string::npos)
      << dump(r);
  // Larger on the standby: fine for startup, still a (sizing) difference.
  r = diff_nodes(pair_of({{"max_connections", "100"}}, {{"max_connections", "300"}}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
  DiffOptions sizing;
  sizing.allow_sizing = true;
  EXPECT_TRUE(
      diff_nodes(pair_of({{"max_connections", "100"}}, {{"max_connections", "300"}}), sizing).diagnostics.empty());
  // Too small stays an error even when sizing may differ.
  r = diff_nodes(pair_of({{"max_connections", "100"}}, {{"max_connections", "50"}}), sizing);
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-standby-too-small");
}

TEST(DiffSettings, WeakerTlsSettings) {
  auto r = diff_nodes(
      pair_of({{"ssl", "on"}, {"ssl_min_protocol_version", "TLSv1.3"}, {"password_encryption", "scram-sha-256"}},
              {{"ssl", "off"}, {"ssl_min_protocol_version", "TLSv1.2"}, {"password_encryption", "md5"}}),
      {});
  ASSERT_EQ(r.diagnostics.size(), 3U) << dump(r);
  for (const auto& d : r.diagnostics) {
    EXPECT_EQ(d.rule, "drift-weaker-security");
    EXPECT_EQ(d.severity, core::Severity::error);
    ASSERT_EQ(d.related.size(), 1U);
    EXPECT_EQ(d.related[0].span.begin.file, "/c/primary/postgresql.conf");
  }
  // ssl unset on the replica means off.
  r = diff_nodes(pair_of({{"ssl", "on"}}, {}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-weaker-security");
  // Stronger on the replica is only drift.
  r = diff_nodes(pair_of({{"ssl_min_protocol_version", "TLSv1.2"}}, {{"ssl_min_protocol_version", "TLSv1.3"}}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
}

TEST(DiffSettings, PrimaryOnlyIsNeverASmallerStandby) {
  // Two primaries' worth of nodes: the second is the primary of a comparison only if its role says so.
  std::vector<Node> nodes;
  nodes.push_back(make_node("a", Role::primary, {{"max_connections", "100"}}));
  nodes.push_back(make_node("b", Role::primary, {{"max_connections", "50"}}));
  auto r = diff_nodes(nodes, {});
  ASSERT_EQ(r.diagnostics.size(), 1U);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
}

// ---------------------------------------------------------------- pg_hba.conf

TEST(DiffHba, IdenticalAndCanonicallyEqualLinesAreSilent) {
  auto r = diff_nodes(hba_pair({"local all postgres peer", "host app,db2 alice,bob 10.0.0.0/8 scram-sha-256"},
                               {"local all postgres peer", "host db2,app bob,alice 10.1.2.3/8 scram-sha-256"}),
                      {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(DiffHba, ReorderingDisjointLinesIsSilent) {
  auto r = diff_nodes(hba_pair({"hostssl app alice 10.0.0.0/8 scram-sha-256", "hostssl app bob 10.0.0.0/8 md5",
                                "hostssl all all 192.168.0.0/16 cert", "local all all peer"},
                               {"local all all peer", "hostssl all all 192.168.0.0/16 cert",
                                "hostssl app bob 10.0.0.0/8 md5", "hostssl app alice 10.0.0.0/8 scram-sha-256"}),
                      {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(DiffHba, ReorderingOverlappingLinesWithTheSameOutcomeIsSilent) {
  auto r = diff_nodes(hba_pair({"host app all 10.0.0.0/8 scram-sha-256", "host all alice 10.1.0.0/16 scram-sha-256"},
                               {"host all alice 10.1.0.0/16 scram-sha-256", "host app all 10.0.0.0/8 scram-sha-256"}),
                      {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(DiffHba, ReorderingThatChangesTheFirstMatchIsDrift) {
  // Primary: alice from 10.1/16 is rejected before the broad rule; replica lets her in.
  auto r = diff_nodes(hba_pair({"host all alice 10.1.0.0/16 reject", "host all all 10.0.0.0/8 scram-sha-256"},
                               {"host all all 10.0.0.0/8 scram-sha-256", "host all alice 10.1.0.0/16 reject"}),
                      {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-weaker-security");
  EXPECT_EQ(r.diagnostics[0].span.begin.file, "/c/replica1/pg_hba.conf");
  EXPECT_EQ(r.diagnostics[0].span.begin.line, 1U);
  EXPECT_EQ(r.diagnostics[0].related.at(0).span.begin.line, 1U);
  // The reverse move makes the replica stricter: drift-hba.
  r = diff_nodes(hba_pair({"host all all 10.0.0.0/8 scram-sha-256", "host all alice 10.1.0.0/16 reject"},
                          {"host all alice 10.1.0.0/16 reject", "host all all 10.0.0.0/8 scram-sha-256"}),
                 {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-hba");
  // hostssl and hostnossl never match the same connection.
  r = diff_nodes(hba_pair({"hostnossl all all 0.0.0.0/0 reject", "hostssl all all 0.0.0.0/0 scram-sha-256"},
                          {"hostssl all all 0.0.0.0/0 scram-sha-256", "hostnossl all all 0.0.0.0/0 reject"}),
                 {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(DiffHba, HostInsteadOfHostsslIsWeaker) {
  auto r =
      diff_nodes(hba_pair({"hostssl all all 10.0.0.0/8 scram-sha-256"}, {"host all all 10.0.0.0/8 scram-sha-256"}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  const auto& d = r.diagnostics[0];
  EXPECT_EQ(d.rule, "drift-weaker-security");
  EXPECT_NE(d.message.find("host instead of hostssl"), std::string::npos) << d.message;
  EXPECT_EQ(d.related.at(0).span.begin.file, "/c/primary/pg_hba.conf");
  ASSERT_EQ(r.rows.size(), 1U);
  EXPECT_EQ(r.rows[0].kind, "hba");
  EXPECT_TRUE(r.rows[0].cells[1].marked);
}

TEST(DiffHba, WeakerMethodBroaderAddressMissingReject) {
  auto r = diff_nodes(hba_pair({"host all all 10.0.0.0/8 scram-sha-256"}, {"host all all 10.0.0.0/8 md5"}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("method md5 is weaker than the primary's scram-sha-256"), std::string::npos);
  r = diff_nodes(hba_pair({"host all all 10.1.0.0/16 scram-sha-256"}, {"host all all 10.0.0.0/8 scram-sha-256"}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-weaker-security");
  EXPECT_NE(r.diagnostics[0].message.find("broader"), std::string::npos);
  r = diff_nodes(hba_pair({"hostnossl all all 0.0.0.0/0 reject", "host all all 10.0.0.0/8 scram-sha-256"},
                          {"host all all 10.0.0.0/8 scram-sha-256"}),
                 {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-weaker-security");
  EXPECT_NE(r.diagnostics[0].message.find("lacks the primary's reject line"), std::string::npos);
  EXPECT_EQ(r.diagnostics[0].span.begin.line, 0U);
  // Stronger method on the replica: drift-hba only.
  r = diff_nodes(hba_pair({"host all all 10.0.0.0/8 md5"}, {"host all all 10.0.0.0/8 scram-sha-256"}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-hba");
  EXPECT_EQ(r.diagnostics[0].severity, core::Severity::warning);
}

TEST(DiffHba, ExtraLines) {
  // An extra line for connections the primary refuses (nothing matches them there).
  auto r = diff_nodes(hba_pair({"host app app 10.0.0.0/8 scram-sha-256"},
                               {"host app app 10.0.0.0/8 scram-sha-256", "host all all 192.168.0.0/16 trust"}),
                      {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-weaker-security");
  EXPECT_EQ(r.diagnostics[0].span.begin.line, 2U);
  // An extra reject line: stricter.
  r = diff_nodes(hba_pair({"host app app 10.0.0.0/8 scram-sha-256"},
                          {"host all mallory 10.0.0.0/8 reject", "host app app 10.0.0.0/8 scram-sha-256"}),
                 {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-hba");
  // A missing accept line: stricter.
  r = diff_nodes(hba_pair({"host app app 10.0.0.0/8 scram-sha-256", "local all postgres peer"},
                          {"host app app 10.0.0.0/8 scram-sha-256"}),
                 {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-hba");
}

TEST(DiffHba, ChangedOptionsShowBothLines) {
  auto r = diff_nodes(
      hba_pair({"hostssl all all 10.0.0.0/8 cert clientname=DN"}, {"hostssl all all 10.0.0.0/8 cert clientname=CN"}),
      {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-hba");
  EXPECT_NE(r.diagnostics[0].message.find("clientname=CN"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].message.find("clientname=DN"), std::string::npos);
  // Dropping clientcert=verify-full is weaker.
  r = diff_nodes(hba_pair({"hostssl all all 10.0.0.0/8 scram-sha-256 clientcert=verify-full"},
                          {"hostssl all all 10.0.0.0/8 scram-sha-256"}),
                 {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-weaker-security");
}

TEST(DiffHba, SecretsAreMasked) {
  auto r = diff_nodes(hba_pair({"host all all 10.0.0.0/8 ldap ldapserver=a ldapbindpasswd=s3cret"},
                               {"host all all 10.0.0.0/8 ldap ldapserver=b ldapbindpasswd=s3cret"}),
                      {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(dump(r).find("s3cret"), std::string::npos) << dump(r);
  for (const auto& row : r.rows) {
    for (const auto& c : row.cells) {
      EXPECT_EQ(c.text.find("s3cret"), std::string::npos);
    }
  }
}

// ---------------------------------------------------------------- pg_ident.conf

TEST(DiffIdent, MappingsAreSets) {
  std::vector<Node> nodes;
  nodes.push_back(make_node("primary", Role::primary, {}, {}, {"ops alice postgres", "ops bob bob"}));
  nodes.push_back(make_node("replica1", Role::replica, {}, {}, {"ops bob bob", "ops alice postgres"}));
  EXPECT_TRUE(diff_nodes(nodes, {}).diagnostics.empty());
  nodes.push_back(make_node("replica2", Role::replica, {}, {}, {"ops bob bob", "ops eve postgres"}));
  auto r = diff_nodes(nodes, {});
  ASSERT_EQ(r.diagnostics.size(), 2U) << dump(r);
  for (const auto& d : r.diagnostics) {
    EXPECT_EQ(d.rule, "drift-ident");
  }
  EXPECT_NE(dump(r).find("lacks the primary's pg_ident.conf mapping 'ops alice postgres'"), std::string::npos);
  EXPECT_NE(dump(r).find("mapping the primary lacks: 'ops eve postgres'"), std::string::npos);
}

// ---------------------------------------------------------------- matrix renderers

TEST(DiffRender, TableFitsEightyColumns) {
  std::vector<Node> nodes;
  nodes.push_back(
      make_node("primary", Role::primary,
                {{"shared_preload_libraries", "pg_stat_statements,auto_explain,pg_cron,pgaudit,timescaledb"},
                 {"work_mem", "4MB"}},
                {"hostssl all all 10.0.0.0/8 scram-sha-256"}));
  for (int i = 1; i <= 6; ++i) {
    nodes.push_back(make_node(fmt::format("replica-number-{}", i), Role::replica,
                              {{"shared_preload_libraries", "pg_stat_statements,auto_explain"}, {"work_mem", "8MB"}},
                              {"host all all 10.0.0.0/8 scram-sha-256"}));
  }
  auto r = diff_nodes(nodes, {});
  const std::string table = render_table(r, 80);
  std::istringstream in(table);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    EXPECT_LE(line.size(), 80U) << line;
    ++lines;
  }
  EXPECT_GT(lines, 6);
  EXPECT_NE(table.find("replica-number-6"), std::string::npos) << table;
  EXPECT_NE(table.find("8MB *"), std::string::npos) << table;
  EXPECT_NE(table.find("hba: all all"), std::string::npos) << table;
  EXPECT_NE(table.find("shared_preload_libraries"), std::string::npos) << table;
  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("| item | primary | replica-number-1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("**8MB** \\*"), std::string::npos) << md;
}

TEST(DiffRender, NoDifferences) {
  auto r = diff_nodes(pair_of({{"work_mem", "4MB"}}, {{"work_mem", "4096kB"}}), {});
  EXPECT_EQ(render_table(r), "no differences\n");
}

// ---------------------------------------------------------------- cluster.toml / [diff]

TEST(DiffCluster, ReadsNodesRelativeToTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("pgl_diff_cluster_{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto file = (dir / "cluster.toml").string();
  std::ofstream(file) << "[[node]]\nname = \"r1\"\nrole = \"standby\"\nconfig_dir = \"r1\"\n\n"
                         "[[node]]\nname = \"p\"\nrole = \"primary\"\nconfig_dir = \"/etc/pg\"\n"
                         "data_dir = \"data\"\nhosts = [\"db1.example.com\"]\n";
  auto nodes = read_cluster_file(file);
  ASSERT_TRUE(nodes) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 2U);
  EXPECT_EQ((*nodes)[0].name, "p");  // the primary comes first
  EXPECT_EQ((*nodes)[0].config_dir, "/etc/pg");
  EXPECT_EQ((*nodes)[0].data_dir.value_or(""), (dir / "data").string());
  EXPECT_EQ((*nodes)[0].hosts, std::vector<std::string>{"db1.example.com"});
  EXPECT_EQ((*nodes)[1].config_dir, (dir / "r1").string());
  std::ofstream(file) << "[[node]]\nname = \"a\"\nrole = \"primary\"\nconfig_dir = \"a\"\n"
                         "[[node]]\nname = \"b\"\nrole = \"primary\"\nconfig_dir = \"b\"\n";
  auto bad = read_cluster_file(file);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("at most one node"), std::string::npos);
  // Roles are optional: the first node is the reference.
  std::ofstream(file) << "[[node]]\nname = \"a\"\nconfig_dir = \"a\"\n[[node]]\nname = \"b\"\nconfig_dir = \"b\"\n";
  auto plain = read_cluster_file(file);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ((*plain)[0].name, "a");
  EXPECT_FALSE((*plain)[0].role_given);
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------- list-valued settings

TEST(DiffSettings, ListsCompareByElements) {
  auto r = diff_nodes(pair_of({{"shared_preload_libraries", "pg_stat_statements, auto_explain"}},
                              {{"shared_preload_libraries", "pg_stat_statements,auto_explain"}}),
                      {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  // Load order matters for the preload libraries and search_path ...
  r = diff_nodes(pair_of({{"shared_preload_libraries", "pg_stat_statements,auto_explain"}},
                         {{"shared_preload_libraries", "auto_explain, pg_stat_statements"}}),
                 {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
  r = diff_nodes(pair_of({{"search_path", "\"$user\", public"}}, {{"search_path", "public, \"$user\""}}), {});
  EXPECT_EQ(r.diagnostics.size(), 1U) << dump(r);
  // ... not for sets such as log_destination.
  r = diff_nodes(pair_of({{"log_destination", "stderr,csvlog"}}, {{"log_destination", " csvlog , stderr"}}), {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  r = diff_nodes(pair_of({{"log_destination", "stderr,csvlog"}}, {{"log_destination", "stderr"}}), {});
  EXPECT_EQ(r.diagnostics.size(), 1U) << dump(r);
}

TEST(DiffSettings, NormalizeList) {
  EXPECT_EQ(normalize_list("shared_preload_libraries", " a ,b,  c "), "a, b, c");
  EXPECT_EQ(normalize_list("shared_preload_libraries", "b,a"), "b, a");
  EXPECT_EQ(normalize_list("log_destination", "stderr, csvlog,stderr"), "csvlog, stderr");
  EXPECT_EQ(normalize_list("search_path", "\"$user\",  Public"), "\"$user\", public");
  EXPECT_EQ(normalize_list("search_path", "\"My Schema\", my"), "\"My Schema\", my");
  EXPECT_EQ(normalize_list("temp_tablespaces", ""), "");
}

TEST(DiffSettings, WeakCiphersOnAReplicaAreWeakerSecurity) {
  auto r = diff_nodes(pair_of({{"ssl_ciphers", "HIGH:!aNULL"}}, {{"ssl_ciphers", "HIGH:aNULL"}}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-weaker-security");
  // Another list without new weaknesses is an ordinary difference.
  r = diff_nodes(pair_of({{"ssl_ciphers", "HIGH:!aNULL"}}, {{"ssl_ciphers", "HIGH:!aNULL:!SHA1"}}), {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
}

// ---------------------------------------------------------------- standby detection

TEST(DiffStandby, OnlyStandbysOfAPrimaryMustNotBeSmaller) {
  auto nodes = pair_of({{"max_connections", "200"}}, {{"max_connections", "100"}});
  auto r = diff_nodes(nodes, {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-standby-too-small");
  nodes[1].standby = false;  // e.g. a logical subscriber: any size
  r = diff_nodes(nodes, {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
  nodes[1].standby = true;
  nodes[0].standby = true;  // two standbys compared: both follow the primary's WAL, not each other
  r = diff_nodes(nodes, {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
}

class TempTree {
 public:
  TempTree()
      : m_dir(std::filesystem::temp_directory_path() / fmt::format("pgl_diff_tree_{}_{}", ::getpid(), ++s_count)) {
    std::filesystem::create_directories(m_dir);
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  std::string write(const std::string& rel, const std::string& text,
                    std::filesystem::perms mode = std::filesystem::perms(0644)) const {
    const auto p = m_dir / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    std::filesystem::permissions(p, mode);
    return p.string();
  }
  [[nodiscard]] std::string path(const std::string& rel = {}) const { return (m_dir / rel).string(); }

 private:
  static inline int s_count = 0;
  std::filesystem::path m_dir;
};

TEST(DiffStandby, StandbySignalThenRoleThenPosition) {
  TempTree t;
  for (const char* n : {"a", "b", "c"}) {
    t.write(fmt::format("{}/PG_VERSION", n), "16\n");
    t.write(fmt::format("{}/postgresql.conf", n), "max_connections = 100\n");
  }
  t.write("a/postgresql.conf", "max_connections = 200\n");
  // Command-line order: every node after the first is a standby; the first is not.
  auto loaded = load_nodes(nodes_from_paths({t.path("a"), t.path("b"), t.path("c")}), {});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_FALSE((*loaded)[0].is_standby());
  EXPECT_TRUE((*loaded)[1].is_standby());
  EXPECT_EQ(diff_nodes(*loaded, {}).diagnostics.size(), 2U);
  // The reference has standby.signal: it is a standby too, nothing is too small for it.
  t.write("a/standby.signal", "");
  loaded = load_nodes(nodes_from_paths({t.path("a"), t.path("b")}), {});
  ASSERT_TRUE(loaded);
  EXPECT_TRUE((*loaded)[0].is_standby());
  auto r = diff_nodes(*loaded, {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-setting");
  // recovery.signal is targeted recovery, not a standby.
  std::filesystem::remove(t.path("a/standby.signal"));
  t.write("a/recovery.signal", "");
  loaded = load_nodes(nodes_from_paths({t.path("a"), t.path("b")}), {});
  ASSERT_TRUE(loaded);
  EXPECT_FALSE((*loaded)[0].is_standby());
  // cluster.toml role wins over standby.signal.
  t.write("a/standby.signal", "");
  t.write("cluster.toml",
          "[[node]]\nname = \"b\"\nconfig_dir = \"b\"\n"
          "[[node]]\nname = \"a\"\nrole = \"primary\"\nconfig_dir = \"a\"\n");
  auto members = read_cluster_file(t.path("cluster.toml"));
  ASSERT_TRUE(members) << members.error().message;
  loaded = load_nodes(*members, {});
  ASSERT_TRUE(loaded);
  EXPECT_EQ((*loaded)[0].name, "a");
  EXPECT_FALSE((*loaded)[0].is_standby());
  EXPECT_TRUE((*loaded)[1].is_standby());
  r = diff_nodes(*loaded, {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_EQ(r.diagnostics[0].rule, "drift-standby-too-small");
  // A node that cannot be loaded is named.
  auto bad = load_nodes(nodes_from_paths({t.path("a"), t.path("missing")}), {});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("node 'missing'"), std::string::npos) << bad.error().message;
}

// ---------------------------------------------------------------- server TLS material

TEST(DiffTls, KeyFileModeAndGeneratedCertificates) {
  using namespace pgl::tls::testutil;
  TempTree t;
  const TestKey ca_key = rsa_key(2048);
  CertSpec ca_spec;
  ca_spec.cn = "Test CA";
  ca_spec.ca = true;
  ca_spec.not_before = k_now - 10 * k_day;
  ca_spec.not_after = k_now + 3650 * k_day;
  const TestCert ca = make_cert(ca_spec, ca_key);
  const TestKey key = rsa_key(2048);
  CertSpec spec;
  spec.cn = "db1.example.com";
  spec.not_before = k_now - 10 * k_day;
  spec.not_after = k_now + 365 * k_day;
  const TestCert c1 = make_cert(spec, key, &ca, &ca_key);
  spec.cn = "db2.example.com";
  spec.not_after = k_now + 365 * k_day + 3600;  // same day, an hour later
  const TestCert c2 = make_cert(spec, key, &ca, &ca_key);
  const std::string conf = "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n";
  for (const char* n : {"p", "r"}) {
    t.write(fmt::format("{}/PG_VERSION", n), "16\n");
    t.write(fmt::format("{}/postgresql.conf", n), conf);
  }
  t.write("p/server.crt", c1.pem());
  t.write("r/server.crt", c2.pem());
  t.write("p/server.key", key.pem(), std::filesystem::perms(0600));
  t.write("r/server.key", key.pem(), std::filesystem::perms(0600));
  auto loaded = load_nodes(nodes_from_paths({t.path("p"), t.path("r")}), {});
  ASSERT_TRUE(loaded) << loaded.error().message;
  auto r = diff_nodes(*loaded, {});
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);

  std::filesystem::permissions(t.path("r/server.key"), std::filesystem::perms(0640));
  r = diff_nodes(*loaded, {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  const auto& d = r.diagnostics[0];
  EXPECT_EQ(d.rule, "drift-tls");
  EXPECT_EQ(d.severity, core::Severity::warning);
  EXPECT_NE(d.message.find("the key file of replica 'r' has mode 0640, the primary's 0600"), std::string::npos)
      << d.message;
  EXPECT_EQ(d.span.begin.line, 3U);  // ssl_key_file
  ASSERT_EQ(d.related.size(), 1U);
  EXPECT_EQ(d.related[0].span.begin.file, t.path("p/postgresql.conf"));
  EXPECT_EQ(d.related[0].span.begin.line, 3U);
  ASSERT_EQ(r.rows.size(), 1U);
  EXPECT_EQ(r.rows[0].kind, "tls");
  EXPECT_EQ(r.rows[0].cells[0].text, "0600");
  EXPECT_EQ(r.rows[0].cells[1].text, "0640");
  EXPECT_TRUE(r.rows[0].cells[1].marked);

  // Expiry a day later, UTC dates in the message; ssl off on the replica: no comparison.
  std::filesystem::permissions(t.path("r/server.key"), std::filesystem::perms(0600));
  spec.not_after = k_now + 366 * k_day;
  t.write("r/server.crt", make_cert(spec, key, &ca, &ca_key).pem());
  r = diff_nodes(*loaded, {});
  ASSERT_EQ(r.diagnostics.size(), 1U) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("expire on different days: 2027-01-02 00:00:00 UTC on replica 'r', "
                                          "2027-01-01 00:00:00 UTC on the primary"),
            std::string::npos)
      << r.diagnostics[0].message;
  t.write("r/postgresql.conf", "ssl = off\n");
  loaded = load_nodes(nodes_from_paths({t.path("p"), t.path("r")}), {});
  ASSERT_TRUE(loaded);
  r = diff_nodes(*loaded, {});
  for (const auto& diag : r.diagnostics) {
    EXPECT_NE(diag.rule, "drift-tls") << dump(r);
  }
}

// ---------------------------------------------------------------- fixture cases
// rules/drift/<id>.fixtures/<case>/: subdirectories primary/ and replica*/ (sorted), each a
// configuration directory; <case>/expected.txt lists every finding of <id>:
//   <path relative to the case>:<line>[:<col>]: <severity> [<id>] <message substring>

namespace fs = std::filesystem;

struct DriftCase {
  std::string rule;
  fs::path dir;
  std::string name;
};

std::vector<DriftCase> drift_cases() {
  std::vector<DriftCase> out;
  const fs::path root = fs::path(PGL_SOURCE_DIR) / "rules" / "drift";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !name.ends_with(".fixtures")) {
      continue;
    }
    const std::string rule = name.substr(0, name.size() - std::string_view(".fixtures").size());
    for (const auto& c : fs::directory_iterator(entry.path(), ec)) {
      if (c.is_directory()) {
        std::string test_name = rule + "__" + c.path().filename().string();
        std::replace_if(
            test_name.begin(), test_name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); },
            '_');
        out.push_back({rule, c.path(), test_name});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

class DriftFixture : public ::testing::TestWithParam<DriftCase> {};

TEST_P(DriftFixture, Matches) {
  const DriftCase& c = GetParam();
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(c.dir)) {
    if (e.is_directory()) {
      dirs.push_back(e.path());
    }
  }
  std::sort(dirs.begin(), dirs.end(), [](const fs::path& a, const fs::path& b) {
    const bool pa = a.filename() == "primary";
    const bool pb = b.filename() == "primary";
    return pa != pb ? pa : a < b;
  });
  ASSERT_GE(dirs.size(), 2U) << c.dir << ": needs primary/ and at least one replica directory";
  ASSERT_EQ(dirs.front().filename(), "primary") << c.dir;
  std::vector<Node> nodes;
  for (const auto& d : dirs) {
    model::LoadOptions lo;
    lo.paths = {d.string()};
    auto loaded = load::load_config(lo);
    ASSERT_TRUE(loaded) << loaded.error().message;
    nodes.push_back(Node{d.filename().string(), nodes.empty() ? Role::primary : Role::replica, std::move(*loaded), {}});
  }
  DiffResult r = diff_nodes(nodes, {});
  std::vector<core::Diagnostic> found;
  for (const auto& d : r.diagnostics) {
    if (d.rule == c.rule) {
      found.push_back(d);
    }
  }
  const std::regex line_re(R"(^(.+?):(\d+)(?::(\d+))?:\s*(note|warning|error)\s+\[([A-Za-z0-9_-]+)\]\s*(.*?)\s*$)");
  std::vector<int> hits(found.size(), 0);
  std::ifstream in(c.dir / "expected.txt");
  std::string line;
  int n = 0;
  auto canonical = [](const fs::path& p) {
    std::error_code ec;
    auto cp = fs::weakly_canonical(p, ec);
    return ec ? p.string() : cp.string();
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, line_re)) << "expected.txt:" << n << ": cannot parse: " << line;
    EXPECT_EQ(m[5].str(), c.rule) << "expected.txt:" << n;
    const std::string file = canonical(c.dir / m[1].str());
    const auto want_line = static_cast<std::uint32_t>(std::stoul(m[2].str()));
    int matched = 0;
    for (std::size_t i = 0; i < found.size(); ++i) {
      const auto& d = found[i];
      if (canonical(d.span.begin.file) == file && d.span.begin.line == want_line &&
          (!m[3].matched || d.span.begin.column == std::stoul(m[3].str())) &&
          core::to_string(d.severity) == m[4].str() && d.message.find(m[6].str()) != std::string::npos) {
        ++matched;
        ++hits[i];
      }
    }
    EXPECT_EQ(matched, 1) << c.dir << "/expected.txt:" << n << " " << line << "\nfindings:\n" << dump(r);
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_GT(hits[i], 0) << c.dir << ": unexpected finding " << found[i].span.begin.file << ":"
                          << found[i].span.begin.line << ": " << found[i].message;
  }
}

INSTANTIATE_TEST_SUITE_P(Drift, DriftFixture, ::testing::ValuesIn(drift_cases()),
                         [](const ::testing::TestParamInfo<DriftCase>& info) { return info.param.name; });

TEST(DriftFixtures, EveryRuleHasFiringAndSilentCases) {
  std::map<std::string, std::pair<int, int>> counts;
  for (const auto& c : drift_cases()) {
    auto& [firing, silent] = counts[c.rule];
    (fs::exists(c.dir / "expected.txt") ? firing : silent)++;
  }
  for (const char* id :
       {"drift-hba", "drift-ident", "drift-setting", "drift-standby-too-small", "drift-tls", "drift-weaker-security"}) {
    EXPECT_GE(counts[id].first, 1) << id;
    EXPECT_GE(counts[id].second, 1) << id;
  }
}

}  // namespace
}  // namespace pgl::diff
