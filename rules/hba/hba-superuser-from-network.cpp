// hba-superuser-from-network: a superuser (`postgres`, or the names of option `superusers`)
// can log in from non-loopback addresses. CIS PostgreSQL 17, 5.11 "Ensure superusers are not
// allowed to connect remotely".
#include <algorithm>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

bool is_tcp(model::ConnType t) {
  return t != model::ConnType::local;
}

bool names(const std::vector<model::AuthToken>& users, const std::string& role, bool& via_all) {
  via_all = false;
  for (const auto& t : users) {
    if (!t.quoted && t.text == "all") {
      via_all = true;
      return true;
    }
    if (t.text == role && (t.quoted || t.text != "all")) {
      return true;
    }
  }
  return false;
}

bool any_address(const model::HbaRecord& r) {
  return r.addr_kind == model::AddrKind::all || (r.addr_kind == model::AddrKind::ip && r.net && r.net->prefix == 0);
}

class HbaSuperuserFromNetwork final : public lint::Rule {
 public:
  static constexpr lint::RuleOption k_options[] = {
      {"superusers", lint::OptionType::string_list, "the roles to check instead of `postgres`", "[\"postgres\"]"}};
  static constexpr lint::RuleMeta k_meta{.id = "hba-superuser-from-network",
                                         .summary = "a superuser can log in from the network",
                                         .default_severity = core::Severity::warning,
                                         .options = k_options};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    std::vector<std::string> roles = option_strings(ctx, k_options[0]);
    if (roles.empty()) {
      roles.emplace_back("postgres");
    }
    for (const auto& role : roles) {
      bool blocked_v4 = false;  // an earlier `reject` line takes this role from every IPv4 / IPv6 address
      bool blocked_v6 = false;
      bool reported_all = false;
      for (const auto& [i, r] : view.records()) {
        if (!analysis::participates(r) || !is_tcp(r.type)) {
          continue;
        }
        bool via_all = false;
        if (!names(r.users, role, via_all)) {
          continue;
        }
        const bool all_db = std::any_of(r.databases.begin(), r.databases.end(),
                                        [](const model::AuthToken& t) { return !t.quoted && t.text == "all"; });
        if (r.method == "reject") {
          if (all_db && any_address(r) && (r.type == model::ConnType::host)) {
            blocked_v4 = blocked_v4 || r.addr_kind == model::AddrKind::all || r.net->family == 4;
            blocked_v6 = blocked_v6 || r.addr_kind == model::AddrKind::all || r.net->family == 6;
          }
          continue;
        }
        // trust from the network is hba-trust-over-network's finding ("any role").
        if (r.method == "trust" || analysis::loopback_only(r) || !view.live(i)) {
          continue;
        }
        if (r.addr_kind == model::AddrKind::ip && r.net &&
            ((r.net->family == 4 && blocked_v4) || (r.net->family == 6 && blocked_v6))) {
          continue;
        }
        if (r.addr_kind != model::AddrKind::ip && blocked_v4 && blocked_v6) {
          continue;
        }
        if (via_all && reported_all) {
          continue;  // one finding for the lines that admit every role
        }
        reported_all = reported_all || via_all;
        const std::string where = r.addr_kind == model::AddrKind::ip && r.net ? hba::display_net(*r.net) : r.address;
        core::Diagnostic d = hba::finding(k_meta, hba::span_or_line({}, r.file, r.line));
        for (const auto& t : r.users) {
          if ((!t.quoted && t.text == "all") || t.text == role) {
            d.span = hba::span_or_line(t.span, r.file, r.line);
            break;
          }
        }
        d.message = fmt::format(
            "the superuser `{}` can log in from the network through this line{} (from `{}`, "
            "`{}` authentication): a stolen or guessed credential gives full control of the "
            "server",
            role, via_all ? " (user `all`)" : "", where, r.method);
        d.help = fmt::format(
            "put `host all {0} 0.0.0.0/0 reject` and `host all {0} ::/0 reject` before this line "
            "and administer from the server host (`local all {0} peer`); list further superusers "
            "in hba-superuser-from-network.superusers",
            role);
        ctx.report(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_superuser_from_network() {
  return std::make_unique<HbaSuperuserFromNetwork>();
}

}  // namespace pgl::rules
