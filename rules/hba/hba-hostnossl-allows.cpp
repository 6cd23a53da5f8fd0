// hba-hostnossl-allows: a hostnossl line that authenticates instead of rejecting.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaHostnosslAllows final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-hostnossl-allows",
                                         "`hostnossl` line that accepts connections instead of rejecting them",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    if (!view.present()) {
      return;
    }
    const auto& records = view.file().records;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& r = records[i];
      if (r.type != model::ConnType::hostnossl || r.method == "reject" || analysis::loopback_only(r) ||
          !view.live(i)) {
        continue;
      }
      core::Diagnostic d;
      d.rule = std::string(k_meta.id);
      d.severity = k_meta.default_severity;
      d.message = fmt::format("`hostnossl` line accepts connections that are not SSL-encrypted (method `{}`): "
                              "{} and the session cross the network in the clear",
                              r.method, hba::sends_password(r.method) ? "the password" : "the data");
      d.span = hba::type_span(r);
      d.help = "change the method to `reject` (the usual use of hostnossl), or change `hostnossl` to `hostssl`";
      ctx.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_hostnossl_allows() { return std::make_unique<HbaHostnosslAllows>(); }

}  // namespace pgl::rules
