// hba-weaker-method-first: an earlier line with a weaker authentication method takes part
// of the connections a later line with a stronger method was written for.
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

// Strength of the password-style methods; nullopt for the others (not compared).
std::optional<int> strength(std::string_view method) {
  if (method == "trust") {
    return 0;
  }
  if (method == "password" || method == "ldap" || method == "radius" || method == "pam" || method == "bsd") {
    return 1;  // the password crosses to the server in the clear (unless the connection is encrypted)
  }
  if (method == "md5") {
    return 2;
  }
  if (method == "scram-sha-256") {
    return 3;
  }
  if (method == "cert") {
    return 4;
  }
  return std::nullopt;
}

class HbaWeakerMethodFirst final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-weaker-method-first", "earlier line with a weaker method takes part of a stronger line's connections",
      core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    if (!view.present()) {
      return;
    }
    const auto& file = view.file();
    for (const auto& [i, r] : view.records()) {
      const auto mine = strength(r.method);
      if (!analysis::participates(r) || !mine) {
        continue;
      }
      const auto& reach = view.reach().reach_all(i);
      // A line nothing reaches is hba-unreachable-line's; here the line still applies to the rest.
      if (reach.verdict == analysis::Verdict::no) {
        continue;
      }
      for (std::size_t j : reach.taken_by) {
        const auto& e = file.records[j];
        const auto theirs = strength(e.method);
        if (!theirs || *theirs >= *mine) {
          continue;
        }
        diag(ctx, hba::method_span(r),
             fmt::format("{} (`{}`) matches first part of the connections this `{}` line is written for: "
                         "those clients get the weaker method",
                         hba::line_ref(e, file), e.method, r.method))
            .help(fmt::format("narrow {} so that it no longer covers these connections, move this line above it, or "
                              "use `{}` there too",
                              hba::line_ref(e, file), r.method))
            .note(hba::line_span(e), "the weaker line that matches first");
        break;  // one finding per line, naming the first weaker line
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_weaker_method_first() {
  return std::make_unique<HbaWeakerMethodFirst>();
}

}  // namespace pgl::rules
