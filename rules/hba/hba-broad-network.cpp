// hba-broad-network: every user to every database from any address.
#include <algorithm>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

bool has_all(const std::vector<model::AuthToken>& tokens) {
  return std::any_of(tokens.begin(), tokens.end(),
                     [](const model::AuthToken& t) { return !t.quoted && t.text == "all"; });
}

class HbaBroadNetwork final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-broad-network", "line admits all users to all databases from any address",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    for (const auto& [i, r] : view.records()) {
      // trust is hba-trust-over-network's finding; a verified client certificate (cert, or
      // clientcert=verify-full) is not "only a password" between the network and the server.
      const model::HbaOption* clientcert = hba::find_option(r, "clientcert");
      const bool verify_full = clientcert != nullptr && clientcert->value == "verify-full";
      if (r.type == model::ConnType::local || r.method == "reject" || r.method == "trust" || r.method == "cert" ||
          verify_full) {
        continue;
      }
      const bool any_address =
          r.addr_kind == model::AddrKind::all || (r.addr_kind == model::AddrKind::ip && r.net && r.net->prefix == 0);
      if (!any_address || !has_all(r.databases) || !has_all(r.users) || !view.live(i)) {
        continue;
      }
      const std::string where = r.addr_kind == model::AddrKind::all ? std::string("all") : hba::display_net(*r.net);
      const bool verify_ca = clientcert != nullptr && clientcert->value == "verify-ca";
      std::string message = verify_ca ? fmt::format(
                                            "line admits every role to every database from any address (`{}`): only "
                                            "a client certificate signed by a trusted CA (clientcert=verify-ca, any "
                                            "name) and `{}` authentication stand between the Internet and the server",
                                            where, r.method)
                                      : fmt::format(
                                            "line admits every role to every database from any address (`{}`): only "
                                            "`{}` authentication stands between the Internet and the server",
                                            where, r.method);
      diag(ctx, hba::address_span(r), std::move(message))
          .help(
              "narrow the address to the networks the clients are in (e.g. `10.0.0.0/8`), and the database and "
              "user columns to what they need");
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_broad_network() {
  return std::make_unique<HbaBroadNetwork>();
}

}  // namespace pgl::rules
