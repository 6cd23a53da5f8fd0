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

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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
  std::vector<ConnClass> classes;  // empty = every class
  ReplFilter repl = ReplFilter::any;
  bool exclude_loopback = false;      // ignore clients on 127.0.0.0/8, ::1 (and localhost, samehost)
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

// An address as a number: IPv4 in the low 32 bits, IPv6 in all 128.
using Addr = unsigned __int128;

// Address-set arithmetic: a set of addresses of one family as disjoint, sorted intervals
// (logarithmic subtract and intersects whatever the number of pieces).
class NetSet {
 public:
  NetSet() = default;
  explicit NetSet(model::IpNet whole);
  void subtract(const model::IpNet& net);
  // The same for the addresses [first, last] of the given family.
  void subtract(int family, Addr first, Addr last);
  [[nodiscard]] bool empty() const { return m_iv.empty(); }
  // Kept for callers of the former fragment list: the interval form is always exact.
  [[nodiscard]] bool overflowed() const { return false; }
  // The set as its maximal aligned blocks (CIDR networks), in address order.
  [[nodiscard]] std::vector<model::IpNet> nets() const;
  // The largest block of nets() (shortest prefix, lowest address first), if any.
  [[nodiscard]] std::optional<model::IpNet> largest() const;
  // Keeps only the blocks whose prefix is shorter than max_prefix; true when it dropped some.
  bool keep_larger_than(int max_prefix);
  // True when keep_larger_than(max_prefix) would drop a block (the set unchanged).
  [[nodiscard]] bool has_block_from(int max_prefix) const;
  [[nodiscard]] bool intersects(const model::IpNet& net) const;
  [[nodiscard]] bool intersects(int family, Addr first, Addr last) const;
  // The part of this set inside net (empty when net is of the other family).
  [[nodiscard]] NetSet within(const model::IpNet& net) const;
  [[nodiscard]] int family() const { return m_family; }
  friend bool operator==(const NetSet& a, const NetSet& b) { return a.m_family == b.m_family && a.m_iv == b.m_iv; }

 private:
  int m_family = 4;
  std::map<Addr, Addr> m_iv;  // first address -> last address (inclusive)
};

// The first-match model of one loaded pg_hba.conf: its records indexed by connection
// class, database and role tokens and address ranges, so that "which earlier records can
// take these connections" is answered from the index rather than by scanning every earlier
// record. Built once per file (analysis::hba_model caches it on the Config); every hba rule,
// `hba who`, `hba exposure` and `diff` query it. Not thread-safe for its callers (answers
// are memoised): the threads it runs itself are its own, joined before a query returns (or
// by the destructor).
class HbaReach {
 public:
  // On a file of at least k_parallel_min_records records, the default query of every record
  // starts at once on threads - 1 other threads (0: as many as the machine has cores, at most
  // k_max_threads; 1: none, each computed when first asked); the first query waits for them
  // and computes the records they have not taken yet.
  HbaReach(const model::HbaFile& file, int pg_version);
  HbaReach(const model::HbaFile& file, int pg_version, unsigned threads);
  ~HbaReach();
  HbaReach(const HbaReach&) = delete;
  HbaReach& operator=(const HbaReach&) = delete;

  // Reachability of records[index] by the connections described in query.
  [[nodiscard]] Reach reach(std::size_t index, const ReachQuery& query = {}) const;
  // Reachability of records[index] with only records[earlier] before it (does that one
  // record, on its own, take every connection records[index] could match?).
  [[nodiscard]] Reach reach_after(std::size_t index, std::size_t earlier, const ReachQuery& query = {}) const;
  // reach(index) with the default query, memoised. On a file of at least
  // k_parallel_min_records records the first call computes every record's (compute_all)
  // unless the constructor started them.
  [[nodiscard]] const Reach& reach_all(std::size_t index) const;
  // Computes the default query of every record not computed yet, on up to `threads` threads
  // (0: as many as the machine has, at most k_max_threads, fewer on a small file; 1: record by
  // record, as reach_all would). The answers, and the cells the other queries reuse, are the
  // same whatever the thread count.
  void compute_all(unsigned threads = 0) const;

  // reach(i, query) for each i of indexes, in that order; on up to `threads` threads (0: as
  // compute_all, when there are at least k_parallel_min_records indexes). The same answers
  // whatever the thread count.
  [[nodiscard]] std::vector<Reach> reach_each(const std::vector<std::size_t>& indexes, const ReachQuery& query,
                                              unsigned threads = 0) const;

  static constexpr std::size_t k_parallel_min_records = 4096;
  static constexpr unsigned k_max_threads = 4;
  static constexpr std::size_t k_block = 512;  // records per block handed to a thread

  [[nodiscard]] const model::HbaFile& file() const { return m_file; }
  [[nodiscard]] int pg_version() const { return m_pg_version; }

  struct Index;
  struct CellOut;
  struct Cells;
  struct Run;

 private:
  Reach compute(std::size_t index, const ReachQuery& query, const std::size_t* only) const;
  // The default query of records[index], its cells written in their place and the records
  // they take into the list of taken `part` (Cells::taken).
  Reach compute_default(std::size_t index, std::uint32_t part) const;
  struct Pending;
  // Starts `workers` threads on the default query of the records of todo.
  void start_pending(std::vector<std::size_t> todo, unsigned workers) const;
  // Waits for them (this thread takes the blocks they have not taken) and keeps their answers.
  void finish_pending() const;

  const model::HbaFile& m_file;
  int m_pg_version;
  std::unique_ptr<Index> m_index;
  std::unique_ptr<Cells> m_cells;  // the default query's cells, reused by the other queries
  struct Memo;
  std::unique_ptr<Memo> m_memo;  // (its answers are written by const queries)
  mutable bool m_all_computed = false;
  unsigned m_threads = 0;
  mutable std::unique_ptr<Pending> m_pending;  // (declared last: destroyed first)
};

// Network with host bits cleared.
[[nodiscard]] model::IpNet normalized(model::IpNet net);

}  // namespace pgl::analysis

namespace pgl::model {
struct Config;
}

namespace pgl::analysis {

// The model of config.hba (nullptr when pg_hba.conf was not read), built on first use and
// kept on the Config so that every rule and command shares it.
[[nodiscard]] const HbaReach* hba_model(const model::Config& config);

}  // namespace pgl::analysis
