// hba-ldap-cleartext: LDAP authentication without TLS: the user's password (and the
// search+bind password) go to the LDAP server in clear text.
#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "core/text.hpp"
#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

bool loopback_server(const std::string& name) {
  const std::string l = core::ascii_lower(name);
  if (l == "localhost" || l == "::1") {
    return true;
  }
  if (auto net = hba::parse_cidr(l)) {
    return net->is_loopback();
  }
  return false;
}

// Host part of ldap://host[:port]/...
std::string url_host(const std::string& url) {
  const auto start = url.find("://");
  if (start == std::string::npos) {
    return {};
  }
  std::string rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest.front() == '[') {
    return rest.substr(1, rest.find(']') - 1);
  }
  return rest.substr(0, rest.find(':'));
}

class HbaLdapCleartext final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-ldap-cleartext", "LDAP authentication without TLS sends passwords in clear text", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      if (r.method != "ldap" || !view.live(i)) {
        continue;
      }
      const auto* tls = hba::find_option(r, "ldaptls");
      if (tls && tls->value == "1") {
        continue;
      }
      const auto* scheme = hba::find_option(r, "ldapscheme");
      if (scheme && scheme->value == "ldaps") {
        continue;
      }
      const auto* url = hba::find_option(r, "ldapurl");
      if (url && core::ascii_lower(url->value).rfind("ldaps://", 0) == 0) {
        continue;
      }
      // Servers on the database host itself: the password does not leave the machine.
      std::vector<std::string> servers;
      if (url) {
        servers.push_back(url_host(url->value));
      } else if (const auto* srv = hba::find_option(r, "ldapserver")) {
        std::istringstream in(srv->value);
        for (std::string s; in >> s;) {
          servers.push_back(s);
        }
      }
      if (!servers.empty() && std::all_of(servers.begin(), servers.end(), loopback_server)) {
        continue;
      }
      const bool search_bind = hba::find_option(r, "ldapbindpasswd") != nullptr;
      auto f = diag(ctx, hba::method_span(r),
                    fmt::format("LDAP authentication without TLS: {} sent to the LDAP server in clear text (no "
                                "`ldaptls=1`, no `ldaps`)",
                                search_bind ? "each user's password and the search bind password are"
                                            : "each user's password is"));
      if (tls) {
        f.note(tls->span, "ldaptls is only on with the value 1");
      }
      f.help("add `ldaptls=1` (StartTLS), or use `ldapscheme=ldaps` / an `ldaps://` ldapurl");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_ldap_cleartext() {
  return std::make_unique<HbaLdapCleartext>();
}

}  // namespace pgl::rules
