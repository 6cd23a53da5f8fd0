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

std::size_t analyze_conninfo_grammar(bool verbose) {
  return pegtl::analyze<grammar::conninfo::conninfo>(verbose ? 1 : -1);
}

}  // namespace pgl::parse
