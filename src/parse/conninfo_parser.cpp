// The only caller of pegtl::parse for connection strings.
#include <algorithm>
#include <array>

#include "core/secrets.hpp"
#include "grammar/conninfo_actions.hpp"
#include "grammar/conninfo_errors.hpp"
#include "grammar/conninfo_grammar.hpp"
#include "parse/conninfo.hpp"

namespace pgl::parse {

namespace {
namespace pegtl = grammar::pegtl;

}  // namespace

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

std::optional<std::vector<std::pair<std::size_t, std::size_t>>> conninfo_secret_ranges(std::string_view text) {
  auto parsed = parse_conninfo(text);
  if (!parsed) {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 5> k_secret = {"password", "sslpassword", "oauth_client_secret",
                                                               "scram_client_key", "scram_server_key"};
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (const auto& p : parsed->params) {
    if (std::find(k_secret.begin(), k_secret.end(), p.key) != k_secret.end() && p.value_length > 0 &&
        p.value_offset + p.value_length <= text.size()) {
      ranges.emplace_back(p.value_offset, p.value_offset + p.value_length);
    }
  }
  std::sort(ranges.begin(), ranges.end());
  return ranges;
}

std::string mask_conninfo(std::string_view text) {
  const auto secrets = conninfo_secret_ranges(text);
  if (!secrets) {
    return text.empty() ? std::string() : std::string("***");
  }
  const auto& ranges = *secrets;
  std::string out;
  std::size_t pos = 0;
  for (const auto& [b, e] : ranges) {
    if (b < pos) {  // overlapping (cannot happen for a parsed string): mask through
      pos = std::max(pos, e);
      continue;
    }
    out.append(text.substr(pos, b - pos));
    out += "***";
    pos = e;
  }
  out.append(text.substr(pos));
  return out;
}

std::string masked_setting_value(std::string_view name, std::string_view value) {
  std::string lower(name);
  for (char& c : lower) {
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (lower == "primary_conninfo") {
    return is_connection_string(value) ? mask_conninfo(value) : std::string(value);
  }
  if (lower == "ssl_passphrase_command") {
    // The program stays visible; everything after it may hold the passphrase.
    const std::size_t blank = value.find_first_of(" \t");
    return blank == std::string_view::npos ? std::string(value) : std::string(value.substr(0, blank)) + " ***";
  }
  return core::mask_secrets(value);
}

std::size_t analyze_conninfo_grammar(bool verbose) {
  return pegtl::analyze<grammar::conninfo::conninfo>(verbose ? 1 : -1);
}

}  // namespace pgl::parse
