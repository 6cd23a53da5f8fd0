// ssl-disabled: ssl is off while the server listens beyond localhost.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

// Loopback addresses and the loopback names of the usual /etc/hosts (Debian, Red Hat).
bool is_local(const std::string& item) {
  static constexpr std::string_view k_names[] = {
      "localhost",     "localhost.localdomain", "localhost6", "localhost6.localdomain6",
      "ip6-localhost", "ip6-loopback",          "::1",        "0:0:0:0:0:0:0:1"};
  if (std::find(std::begin(k_names), std::end(k_names), item) != std::end(k_names)) {
    return true;
  }
  return item.rfind("127.", 0) == 0;
}

class DisabledRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"ssl-disabled", "ssl is off while the server listens beyond localhost",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void DisabledRule::check(const model::Config& config, lint::LintContext& ctx) const {
  if (ssl::ssl_on_or_default_off(config)) {
    return;
  }
  const std::string listen = config.value_or_default("listen_addresses");
  std::string remote;
  std::size_t pos = 0;
  while (pos <= listen.size()) {
    auto comma = listen.find(',', pos);
    if (comma == std::string::npos) {
      comma = listen.size();
    }
    std::string item = listen.substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    pos = comma + 1;
    if (!item.empty() && !is_local(item)) {
      remote = item;
      break;
    }
  }
  if (remote.empty()) {
    return;
  }
  const bool ssl_set = config.setting("ssl") != nullptr;
  diag(ctx, ssl::setting_span(config, ssl_set ? "ssl" : "listen_addresses"),
       fmt::format("ssl is off while listen_addresses = '{}' accepts TCP connections from other hosts ('{}'): "
                   "passwords and data cross the network unencrypted",
                   listen, remote))
      .help("set ssl = on with a server certificate and key, and require it with hostssl lines in pg_hba.conf")
      .notes(ssl_set ? ssl::set_here(config, "listen_addresses") : std::vector<core::Related>{});
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_disabled() {
  return std::make_unique<DisabledRule>();
}

}  // namespace pgl::rules
