// Canonical values for comparison: conf::check_value's normalized form (booleans on/off,
// numbers in the base unit, enums in their canonical spelling), and list-valued parameters
// (GUC_LIST_INPUT) as element lists.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "conf/guc.hpp"
#include "diff/diff.hpp"

namespace pgl::diff {

namespace {

// Lists whose order changes behaviour: search_path resolves names left to right; the
// preload libraries are loaded (and chain their hooks) in list order; synchronous_standby_names
// ranks standbys by position (FIRST n). Every other list is a set (log_destination,
// temp_tablespaces picks a random member, listen_addresses, unix_socket_directories, ...).
constexpr std::array k_ordered_lists{"local_preload_libraries", "search_path", "session_preload_libraries",
                                     "shared_preload_libraries", "synchronous_standby_names"};
// Lists read with SplitIdentifierString: unquoted elements are folded to lower case.
constexpr std::array k_identifier_lists{"search_path", "temp_tablespaces"};

template <std::size_t N>
bool in(const std::array<const char*, N>& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(), [&](const char* s) { return name == s; });
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A double-quoted element starting at v[i] (the quote), up to the comma: kept verbatim
// with its quotes ("" is a quote), anything after the closing quote without blanks.
std::string quoted_element(std::string_view v, std::size_t& i) {
  std::string el;
  el += '"';
  ++i;
  while (i < v.size()) {
    if (v[i] == '"') {
      if (i + 1 < v.size() && v[i + 1] == '"') {
        el += "\"\"";
        i += 2;
        continue;
      }
      ++i;
      break;
    }
    el += v[i++];
  }
  el += '"';
  while (i < v.size() && v[i] != ',') {  // anything after the quote up to the comma
    if (!is_blank(v[i])) {
      el += v[i];
    }
    ++i;
  }
  return el;
}

// An unquoted element starting at v[i], up to the comma: trailing blanks dropped, folded
// to lower case when `fold`.
std::string unquoted_element(std::string_view v, std::size_t& i, bool fold) {
  const std::size_t start = i;
  while (i < v.size() && v[i] != ',') {
    ++i;
  }
  std::size_t end = i;
  while (end > start && is_blank(v[end - 1])) {
    --end;
  }
  std::string el(v.substr(start, end - start));
  if (fold) {
    std::transform(el.begin(), el.end(), el.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return el;
}

// Splits like SplitGUCList/SplitIdentifierString: elements separated by commas, blanks
// around them dropped, double-quoted elements kept verbatim ("" is a quote). Unquoted
// elements are folded to lower case when `fold`. Quoted elements keep their quotes in the
// result so that "A" and a stay different.
std::vector<std::string> split_list(std::string_view v, bool fold) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (true) {
    while (i < v.size() && is_blank(v[i])) {
      ++i;
    }
    out.push_back(i < v.size() && v[i] == '"' ? quoted_element(v, i) : unquoted_element(v, i, fold));
    if (i >= v.size()) {
      break;
    }
    ++i;  // the comma
  }
  if (out.size() == 1 && out.front().empty()) {
    out.clear();  // '' is the empty list
  }
  return out;
}

}  // namespace

std::string normalize_list(std::string_view name, std::string_view value) {
  std::vector<std::string> elements = split_list(value, in(k_identifier_lists, name));
  if (!in(k_ordered_lists, name)) {
    std::sort(elements.begin(), elements.end());
    elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  }
  std::string out;
  for (const auto& e : elements) {
    if (!out.empty()) {
      out += ", ";
    }
    out += e;
  }
  return out;
}

std::string normalize_setting(int pg_version, std::string_view name, std::string_view value) {
  const conf::GucDef* def = conf::find_guc(pg_version, name);
  if (def == nullptr) {
    return std::string(value);
  }
  const conf::ValueCheck check = conf::check_value(pg_version, *def, value);
  if (!check.ok) {
    return std::string(value);
  }
  if (def->flags.find("GUC_LIST_INPUT") != std::string_view::npos) {
    return normalize_list(def->name, check.normalized);
  }
  return check.normalized;
}

int auth_method_rank(std::string_view method) {
  // Order of what a stolen or sniffed credential is worth; reject refuses everything.
  if (method == "trust")
    return 0;
  if (method == "ident")
    return 10;
  if (method == "password" || method == "ldap" || method == "radius" || method == "pam" || method == "bsd") {
    return 20;  // the password travels to the server in clear text
  }
  if (method == "md5")
    return 30;
  if (method == "scram-sha-256" || method == "peer" || method == "gss" || method == "sspi" || method == "oauth") {
    return 50;
  }
  if (method == "cert")
    return 60;
  if (method == "reject")
    return 100;
  return 40;  // unknown: between md5 and scram
}

}  // namespace pgl::diff
