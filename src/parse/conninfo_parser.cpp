// The only caller of pegtl::parse for connection strings.
#include <algorithm>
#include <array>

#include "grammar/conninfo_actions.hpp"
#include "grammar/conninfo_errors.hpp"
#include "grammar/conninfo_grammar.hpp"
#include "parse/conninfo.hpp"

namespace pgl::parse {

namespace {
namespace pegtl = grammar::pegtl;

// PQconninfoOptions of libpq 12-18 (union; keywords removed in some version are kept so
// that a connection string valid for one of them is not reported).
constexpr std::array k_keywords = {
    "application_name", "authtype", "channel_binding", "client_encoding", "connect_timeout", "dbname",
    "fallback_application_name", "gssdelegation", "gssencmode", "gsslib", "host", "hostaddr", "keepalives",
    "keepalives_count", "keepalives_idle", "keepalives_interval", "krbsrvname", "load_balance_hosts",
    "max_protocol_version", "min_protocol_version", "oauth_client_id", "oauth_client_secret", "oauth_issuer",
    "oauth_scope", "options", "passfile", "password", "port", "replication", "require_auth", "requirepeer",
    "requiressl", "scram_client_key", "scram_server_key", "service", "ssl_max_protocol_version",
    "ssl_min_protocol_version", "sslcert", "sslcertmode", "sslcompression", "sslcrl", "sslcrldir", "sslkey",
    "sslkeylogfile", "sslmode", "sslnegotiation", "sslpassword", "sslrootcert", "sslsni", "target_session_attrs",
    "tcp_user_timeout", "tty", "user",
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

bool is_connection_string(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://") ||
         text.find('=') != std::string_view::npos;
}

tl::expected<Conninfo, ConninfoError> parse_conninfo(std::string_view text) {
  grammar::conninfo::State st;
  st.input = text;
  pegtl::memory_input<> in(text.data(), text.size(), "conninfo");
  try {
    pegtl::parse<grammar::conninfo::conninfo, grammar::conninfo::action, grammar::conninfo::control>(in, st);
  } catch (const pegtl::parse_error& e) {
    const auto& pos = e.positions();
    return tl::unexpected(ConninfoError{std::string(e.message()), pos.empty() ? 0 : pos.front().byte});
  }
  return std::move(st.out);
}

std::size_t analyze_conninfo_grammar(bool verbose) {
  return pegtl::analyze<grammar::conninfo::conninfo>(verbose ? 1 : -1);
}

}  // namespace pgl::parse
