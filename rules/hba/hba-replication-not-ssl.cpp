// hba-replication-not-ssl: physical replication reachable without SSL from the network.
#include <algorithm>
#include <cstddef>
#include <vector>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaReplicationNotSsl final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-replication-not-ssl",
                                         "replication connections accepted without SSL from the network",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    const auto pick = [](const model::HbaRecord& r) {
      return r.type != model::ConnType::local && r.method != "reject" && analysis::has_replication_db(r);
    };
    const analysis::ReachQuery q{{analysis::ConnClass::tcp_plain}, analysis::ReplFilter::physical, true, {}};
    for (const auto& [r, reach] : view.reach_live(pick, q)) {
      if (reach.verdict != analysis::Verdict::yes) {
        continue;
      }
      const auto exposure = hba::password_exposure(r.method);
      const auto tok = std::find_if(r.databases.begin(), r.databases.end(),
                                    [](const model::AuthToken& t) { return !t.quoted && t.text == "replication"; });
      const char* credential = "";
      if (exposure == hba::PasswordExposure::cleartext) {
        credential = ", and the replication password itself,";
      } else if (exposure == hba::PasswordExposure::hash_response) {
        credential = ", and an MD5 challenge response that can be attacked offline to recover the password,";
      }
      auto f = diag(ctx, hba::span_or_line(tok->span, r.file, r.line),
                    fmt::format("replication connections without SSL from the network reach this line (e.g. {}): "
                                "the WAL stream, i.e. every change to the data{} crosses the network in the clear",
                                hba::reach_example(r, view.file(), reach), credential))
                   .help(fmt::format(
                       "change `{}` to `hostssl` and set sslmode=verify-full in the standby's primary_conninfo",
                       model::to_string(r.type)));
      if (exposure == hba::PasswordExposure::cleartext) {
        f.severity(core::Severity::error);
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_replication_not_ssl() {
  return std::make_unique<HbaReplicationNotSsl>();
}

}  // namespace pgl::rules
