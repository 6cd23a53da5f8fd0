// Which pg_hba.conf line the server uses for one connection (check_hba in
// src/backend/libpq/hba.c): the records are tried in order; the first whose connection
// type, client address, database and role match decides; no match is an implicit reject.
//
// What the files cannot say (group membership beyond --member-of, DNS, the server's network
// interfaces) is given by the caller or reported as a dependency: a line that might match
// makes the answer "depends" unless an earlier line certainly matches.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/hba.hpp"

namespace pgl::analysis {

enum class Encryption { none, ssl, gss };

struct WhoQuery {
  std::string user;
  std::string database;
  bool local = false;                   // Unix-domain socket (no address)
  std::optional<model::IpNet> address;  // client address (a /32 or /128)
  Encryption encryption = Encryption::none;
  bool replication = false;  // physical replication (walsender without a database)
  // Groups the role is a member of, exactly (besides itself); nullopt: unknown.
  std::optional<std::vector<std::string>> member_of;
  // The server's interface addresses with their prefix (for samehost/samenet); nullopt: unknown.
  std::optional<std::vector<model::IpNet>> local_addresses;
  // Host names: reverse and forward DNS agree that `first` is the name of `second`.
  std::vector<std::pair<std::string, model::IpNet>> resolve;
  // Passed-over lines whose reason is spelled out in full; after that many, an address
  // mismatch says only "address" (the text output shows the first few, JSON every one).
  std::size_t explained = static_cast<std::size_t>(-1);
};

enum class WhoDecision { accept, reject, no_match, depends };
[[nodiscard]] const char* to_string(WhoDecision d);

struct WhoLine {
  std::size_t index;   // into HbaFile::records
  std::string reason;  // e.g. `database "sales" is not "hr"`
};

struct WhoResult {
  WhoDecision decision = WhoDecision::no_match;
  std::optional<std::size_t> match;     // the first line that certainly matches (if any)
  std::vector<WhoLine> passed;          // earlier lines that certainly do not match, in order
  std::vector<WhoLine> uncertain;       // earlier lines that might match first
  std::vector<std::string> depends_on;  // what the uncertain lines depend on (distinct)
};

// 10.1.2.3 for a single address, else 10.0.0.0/8 (host bits cleared).
[[nodiscard]] std::string display_addr(const model::IpNet& net);

[[nodiscard]] WhoResult who(const model::HbaFile& file, int pg_version, const WhoQuery& query);

}  // namespace pgl::analysis
