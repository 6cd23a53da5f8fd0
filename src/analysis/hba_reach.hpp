// First-match reachability over pg_hba.conf records (spec 3.4, 3.7).
//
// The server tries records in order and the first one whose connection type, database,
// user and address match decides (no fall-through). For a record R this analysis answers:
// can a connection of a given kind (transport and encryption, physical replication or not,
// client address outside some excluded ranges) match R without matching an earlier
// loaded record first?
//
// The answer is three-valued and conservative in both directions:
//   yes   - certainly: some such connection reaches R whatever the roles, databases,
//           DNS and network interfaces are;
//   no    - certainly not: earlier records take every such connection;
//   maybe - it depends on what cannot be known from the files (role membership,
//           regular expressions, host names, samehost/samenet).
//
// Model of a connection: a class (Unix socket, or TCP without encryption, with SSL, or
// with GSSAPI encryption), physical replication or not, a database name, a role name and
// a client address. For each database token x user token x class x address family of R
// the analysis builds a witness ("a role not named in any list", "the database named like
// the role", ...) and subtracts the address ranges of the earlier records that certainly
// match it. Assumptions, documented in the rule pages:
//   * a database or role name exists outside every finite list and outside every +group;
//   * samehost, samenet and host names never cover a whole /7 IPv4 (/15 IPv6) block;
//   * samehost is the server itself (not "the network"); a host name `localhost` is loopback;
//   * no client connects from 0.0.0.0/8, 224.0.0.0/3 (multicast, reserved), ff00::/8 or ::.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/hba.hpp"

namespace pgl::analysis {

// How a client connects. Every host* type accepts a subset of the TCP classes.
enum class ConnClass { local, tcp_plain, tcp_ssl, tcp_gss };
[[nodiscard]] const char* to_string(ConnClass c);

// Classes a connection type accepts (local -> {local}, host -> all TCP classes, ...).
[[nodiscard]] std::vector<ConnClass> classes_of(model::ConnType type);

enum class Verdict { no, maybe, yes };
[[nodiscard]] const char* to_string(Verdict v);

enum class ReplFilter { any, physical, normal };

struct ReachQuery {
  std::vector<ConnClass> classes;   // empty = every class
  ReplFilter repl = ReplFilter::any;
  bool exclude_loopback = false;    // ignore clients on 127.0.0.0/8, ::1 (and localhost, samehost)
  std::vector<model::IpNet> exclude;  // further client ranges to ignore (e.g. trusted networks)
};

struct Reach {
  Verdict verdict = Verdict::no;
  // When yes: a description of connections that certainly reach the record, e.g.
  // "non-SSL TCP connections from 0.0.0.0/0".
  std::string example;
  // Earlier records (indexes into HbaFile::records) that certainly take part of the
  // queried connections, in file order; when verdict is no they take all of them.
  std::vector<std::size_t> taken_by;
};

// True when the record takes part in matching: loaded by the server (no error, or a
// non-fatal one such as hostssl with ssl off).
[[nodiscard]] bool participates(const model::HbaRecord& r);

// True when the record's address (host* lines) can only be a loopback client:
// 127.0.0.0/8, ::1/128, samehost, or the host name localhost. False for local lines.
[[nodiscard]] bool loopback_only(const model::HbaRecord& r);

// True when the record's address token names a host (DNS decides), not `all`,
// samehost, samenet or a numeric address.
[[nodiscard]] bool is_hostname_address(const model::HbaRecord& r);

// A database token that is the unquoted keyword `replication`.
[[nodiscard]] bool has_replication_db(const model::HbaRecord& r);

class HbaReach {
 public:
  HbaReach(const model::HbaFile& file, int pg_version);

  // Reachability of records[index] by the connections described in query.
  [[nodiscard]] Reach reach(std::size_t index, const ReachQuery& query = {}) const;

 private:
  const model::HbaFile& m_file;
  int m_pg_version;
};

// Address-set arithmetic, exposed for tests: disjoint networks of one family.
class NetSet {
 public:
  NetSet() = default;
  explicit NetSet(model::IpNet whole);
  void subtract(const model::IpNet& net);
  [[nodiscard]] bool empty() const { return m_nets.empty(); }
  [[nodiscard]] bool overflowed() const { return m_overflow; }
  [[nodiscard]] const std::vector<model::IpNet>& nets() const { return m_nets; }
  // Keeps only the networks whose prefix is shorter than max_prefix.
  void keep_larger_than(int max_prefix);
  [[nodiscard]] bool intersects(const model::IpNet& net) const;

 private:
  std::vector<model::IpNet> m_nets;
  bool m_overflow = false;  // too many fragments: the set is no longer exact
};

// Network with host bits cleared.
[[nodiscard]] model::IpNet normalized(model::IpNet net);

}  // namespace pgl::analysis
