// hba-broad-line-first: a broad line placed before narrower lines takes every connection
// they were written for; reported once on the broad line, naming the lines it defeats.
#include <map>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaBroadLineFirst final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "hba-broad-line-first", "broad line placed before the narrower lines it defeats", core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  [[nodiscard]] bool asks_hba_model() const override { return true; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    if (!view.present()) {
      return;
    }
    const auto& file = view.file();
    // Broad line -> the later lines it alone shadows, in file order.
    std::map<std::size_t, std::vector<std::size_t>> defeated;
    for (const auto& [i, r] : view.records()) {
      if (!analysis::participates(r)) {
        continue;
      }
      const auto& reach = view.reach().reach_all(i);
      if (reach.verdict != analysis::Verdict::no || reach.taken_by.empty()) {
        continue;
      }
      for (std::size_t j : reach.taken_by) {
        if (view.reach().reach_after(i, j).verdict == analysis::Verdict::no) {
          if (!same_line(file.records[j], r)) {
            defeated[j].push_back(i);
          }
          break;
        }
      }
    }
    for (const auto& [j, lines] : defeated) {
      if (lines.size() < 2) {
        continue;  // one shadowed line is hba-unreachable-line's finding alone
      }
      const auto& b = file.records[j];
      std::vector<std::string> refs;
      for (std::size_t k = 0; k < lines.size() && k < 5; ++k) {
        refs.push_back(std::to_string(file.records[lines[k]].line));
      }
      if (lines.size() > 5) {
        refs.push_back(fmt::format("{} more", lines.size() - 5));
      }
      diag(ctx, hba::type_span(b),
           fmt::format("this broad `{}` line (method `{}`) comes before {} narrower lines it takes every "
                       "connection of (lines {}): they never apply",
                       model::to_string(b.type), b.method, lines.size(), fmt::join(refs, ", ")))
          .help("move the narrower lines above this one (the first matching line decides), or remove them")
          .notes(hba::taken_by_notes(file, lines, "this narrower line never applies"));
    }
  }

 private:
  static bool same_line(const model::HbaRecord& a, const model::HbaRecord& b) {
    auto same_tokens = [](const std::vector<model::AuthToken>& x, const std::vector<model::AuthToken>& y) {
      return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                        [](const auto& s, const auto& t) { return s.text == t.text && s.quoted == t.quoted; });
    };
    return a.type == b.type && same_tokens(a.databases, b.databases) && same_tokens(a.users, b.users) &&
           a.address == b.address && a.netmask == b.netmask && a.method == b.method;
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_broad_line_first() {
  return std::make_unique<HbaBroadLineFirst>();
}

}  // namespace pgl::rules
