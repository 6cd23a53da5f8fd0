// hba-superuser-from-network: a superuser (`postgres`, or the names of option `superusers`,
// or a member of a group of option `superuser_groups`) can log in from non-loopback addresses. CIS PostgreSQL 17, 5.11
// "Ensure superusers are not allowed to connect remotely".
#include <algorithm>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

bool is_tcp(model::ConnType t) {
  return t != model::ConnType::local;
}

// What the checked name is: a superuser role (`postgres`, option `superusers`), or a group
// role the operator says holds superusers (option `superuser_groups`; membership is not in
// the files).
struct Principal {
  std::string name;
  bool group = false;
};

// How a line's user column admits the principal.
enum class Via { all, name, membership };

struct Admission {
  const model::AuthToken* token = nullptr;  // the first user token that admits it; null: none
  Via via = Via::name;
};

// The server tries the user tokens in order: unquoted `+role` is membership of the role
// (direct or indirect; a role is a member of itself, and superuser status does not make a
// role a member of anything), unquoted `all` is every role, anything else a literal name.
Admission admits(const std::vector<model::AuthToken>& users, const Principal& p) {
  for (const auto& t : users) {
    const bool membership = !t.quoted && t.text.starts_with('+');
    if (membership && std::string_view(t.text).substr(1) == p.name) {
      return {&t, Via::membership};
    }
    if (!t.quoted && t.text == "all") {
      return {&t, Via::all};
    }
    if (!p.group && !membership && t.text == p.name) {
      return {&t, Via::name};
    }
  }
  return {};
}

bool any_address(const model::HbaRecord& r) {
  return r.addr_kind == model::AddrKind::all || (r.addr_kind == model::AddrKind::ip && r.net && r.net->prefix == 0);
}

class HbaSuperuserFromNetwork final : public lint::Rule {
 public:
  static constexpr lint::RuleOption k_options[] = {
      {"superusers", lint::OptionType::string_list, "the roles to check instead of `postgres`", "[\"postgres\"]"},
      {"superuser_groups", lint::OptionType::string_list,
       "group roles that have superusers among their members (`+group` lines are checked for them)", "[]"}};
  static constexpr lint::RuleMeta k_meta{.id = "hba-superuser-from-network",
                                         .summary = "a superuser can log in from the network",
                                         .default_severity = core::Severity::warning,
                                         .options = k_options};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    std::set<std::size_t> reported;  // lines reported for a superuser role
    for (const auto& p : principals(ctx)) {
      check_principal(view, p, reported, ctx);
    }
  }

 private:
  // An earlier `reject` line takes the role from every IPv4 / IPv6 address.
  struct Blocked {
    bool v4 = false;
    bool v6 = false;

    void note_reject(const model::HbaRecord& r) {
      const bool all_db = std::any_of(r.databases.begin(), r.databases.end(),
                                      [](const model::AuthToken& t) { return !t.quoted && t.text == "all"; });
      if (all_db && any_address(r) && (r.type == model::ConnType::host)) {
        v4 = v4 || r.addr_kind == model::AddrKind::all || r.net->family == 4;
        v6 = v6 || r.addr_kind == model::AddrKind::all || r.net->family == 6;
      }
    }

    [[nodiscard]] bool covers(const model::HbaRecord& r) const {
      if (r.addr_kind == model::AddrKind::ip && r.net && ((r.net->family == 4 && v4) || (r.net->family == 6 && v6))) {
        return true;
      }
      return r.addr_kind != model::AddrKind::ip && v4 && v6;
    }
  };

  [[nodiscard]] std::vector<Principal> principals(const lint::LintContext& ctx) const {
    std::vector<Principal> out;
    for (auto& role : option_strings(ctx, k_options[0])) {
      out.push_back({std::move(role)});
    }
    if (out.empty()) {
      out.push_back({"postgres"});
    }
    for (auto& group : option_strings(ctx, k_options[1])) {
      out.push_back({std::move(group), true});
    }
    return out;
  }

  void check_principal(const hba::HbaView& view, const Principal& p, std::set<std::size_t>& reported,
                       lint::LintContext& ctx) const {
    Blocked blocked;
    bool reported_all = false;
    for (const auto& [i, r] : view.records()) {
      if (!analysis::participates(r) || !is_tcp(r.type)) {
        continue;
      }
      const Admission a = admits(r.users, p);
      if (a.token == nullptr) {
        continue;
      }
      const bool via_all = a.via == Via::all;
      if (r.method == "reject") {
        blocked.note_reject(r);
        continue;
      }
      // trust from the network is hba-trust-over-network's finding ("any role").
      if (r.method == "trust" || analysis::loopback_only(r) || !view.live(i) || blocked.covers(r)) {
        continue;
      }
      if (via_all && reported_all) {
        continue;  // one finding for the lines that admit every role
      }
      reported_all = reported_all || via_all;
      if (p.group && via_all && reported.count(i) != 0) {
        continue;  // this `all` line is reported for a superuser role already
      }
      if (!p.group) {
        reported.insert(i);
      }
      report(ctx, r, p, a);
    }
  }

  void report(lint::LintContext& ctx, const model::HbaRecord& r, const Principal& p, const Admission& a) const {
    const std::string where = r.addr_kind == model::AddrKind::ip && r.net ? hba::display_net(*r.net) : r.address;
    const core::Span span = hba::span_or_line(a.token->span, r.file, r.line);
    if (p.group) {
      diag(ctx, span,
           fmt::format("a superuser in group `{}` (option superuser_groups) can log in from the network through "
                       "this line (user `{}`, from `{}`, `{}` authentication): a stolen or guessed credential "
                       "gives full control of the server",
                       p.name, a.token->text, where, r.method))
          .help(fmt::format("put `host all +{0} 0.0.0.0/0 reject` and `host all +{0} ::/0 reject` before this "
                            "line and administer from the server host (`local all +{0} peer`)",
                            p.name));
      return;
    }
    const std::string how = a.via == Via::all ? std::string(" (user `all`)")
                            : a.via == Via::membership
                                ? fmt::format(" (user `+{}`: a role is a member of itself)", p.name)
                                : std::string();
    diag(ctx, span,
         fmt::format("the superuser `{}` can log in from the network through this line{} (from `{}`, "
                     "`{}` authentication): a stolen or guessed credential gives full control of the "
                     "server",
                     p.name, how, where, r.method))
        .help(fmt::format("put `host all {0} 0.0.0.0/0 reject` and `host all {0} ::/0 reject` before this line "
                          "and administer from the server host (`local all {0} peer`); list further superusers "
                          "in hba-superuser-from-network.superusers",
                          p.name));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_superuser_from_network() {
  return std::make_unique<HbaSuperuserFromNetwork>();
}

}  // namespace pgl::rules
