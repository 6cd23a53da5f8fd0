// Connection-string data (model/conninfo.hpp): libpq's keyword list and lookups.
#include "model/conninfo.hpp"

#include <algorithm>
#include <array>

namespace pgl::model {

namespace {

// PQconninfoOptions of libpq 12-18 (union; keywords removed in some version are kept so
// that a connection string valid for one of them is not reported).
constexpr std::array k_keywords = {
    "application_name",
    "authtype",
    "channel_binding",
    "client_encoding",
    "connect_timeout",
    "dbname",
    "fallback_application_name",
    "gssdelegation",
    "gssencmode",
    "gsslib",
    "host",
    "hostaddr",
    "keepalives",
    "keepalives_count",
    "keepalives_idle",
    "keepalives_interval",
    "krbsrvname",
    "load_balance_hosts",
    "max_protocol_version",
    "min_protocol_version",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_issuer",
    "oauth_scope",
    "options",
    "passfile",
    "password",
    "port",
    "replication",
    "require_auth",
    "requirepeer",
    "requiressl",
    "scram_client_key",
    "scram_server_key",
    "service",
    "ssl_max_protocol_version",
    "ssl_min_protocol_version",
    "sslcert",
    "sslcertmode",
    "sslcompression",
    "sslcrl",
    "sslcrldir",
    "sslkey",
    "sslkeylogfile",
    "sslmode",
    "sslnegotiation",
    "sslpassword",
    "sslrootcert",
    "sslsni",
    "target_session_attrs",
    "tcp_user_timeout",
    "tty",
    "user",
};
}  // namespace

const ConninfoParam* Conninfo::find(std::string_view key) const {
  for (auto it = params.rbegin(); it != params.rend(); ++it) {
    if (it->key == key) {
      return &*it;
    }
  }
  return nullptr;
}

bool is_conninfo_keyword(std::string_view key) {
  return std::any_of(k_keywords.begin(), k_keywords.end(), [&](const char* k) { return key == k; });
}

}  // namespace pgl::model
