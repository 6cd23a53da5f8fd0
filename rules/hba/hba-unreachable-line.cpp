// hba-unreachable-line: earlier lines take every connection this line could match.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

class HbaUnreachableLine final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-unreachable-line", "line shadowed by earlier lines (first match wins)",
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
      if (!analysis::participates(r)) {
        continue;
      }
      const auto& reach = view.reach().reach_all(i);
      if (reach.verdict != analysis::Verdict::no || reach.taken_by.empty()) {
        continue;
      }
      const std::vector<std::size_t> shadows = single_shadow(view, i, reach.taken_by);
      const bool duplicate = shadows.size() == 1 && same_rule(file.records[shadows[0]], r);
      std::string message = message_for(file, shadows, reach.taken_by, duplicate);
      std::string help = help_for(r, duplicate);
      diag(ctx, hba::type_span(r), std::move(message))
          .help(std::move(help))
          .notes(hba::taken_by_notes(file, shadows, "this earlier line matches those connections first"));
    }
  }

 private:
  // Name a single line when one of them shadows this line on its own.
  static std::vector<std::size_t> single_shadow(const hba::HbaView& view, std::size_t i,
                                                const std::vector<std::size_t>& taken_by) {
    if (taken_by.size() > 1) {
      for (std::size_t j : taken_by) {
        if (view.reach().reach_after(i, j).verdict == analysis::Verdict::no) {
          return {j};
        }
      }
    }
    return taken_by;
  }

  static std::string message_for(const model::HbaFile& file, const std::vector<std::size_t>& shadows,
                                 const std::vector<std::size_t>& taken_by, bool duplicate) {
    if (duplicate) {
      return fmt::format(
          "line can never match: it repeats {} (same connection type, databases, users, "
          "address, method and options), which matches first",
          hba::line_ref(file.records[shadows[0]], file));
    }
    if (shadows.size() == 1) {
      return fmt::format(
          "line can never match: {} matches every connection it could match first "
          "(the first matching line decides)",
          hba::line_ref(file.records[shadows[0]], file));
    }
    std::vector<std::string> refs;
    for (std::size_t k = 0; k < taken_by.size() && k < 5; ++k) {
      const auto& e = file.records[taken_by[k]];
      refs.push_back(e.file == file.path ? std::to_string(e.line) : hba::line_ref(e, file));
    }
    if (taken_by.size() > 5) {
      refs.push_back(fmt::format("{} more", taken_by.size() - 5));
    }
    return fmt::format(
        "line can never match: earlier lines ({} of them: lines {}) together match every "
        "connection it could match first",
        taken_by.size(), fmt::join(refs, ", "));
  }

  static std::string help_for(const model::HbaRecord& r, bool duplicate) {
    if (duplicate) {
      return "remove the duplicate line";
    }
    const auto written = r.addr_kind == model::AddrKind::ip ? hba::parse_cidr(r.address) : std::nullopt;
    if (written && r.net && analysis::normalized(*r.net).bytes != written->bytes) {
      // 192.168.1.22/24 is the whole network 192.168.1.0/24, often meant as one host.
      return fmt::format(
          "`{}/{}` is the whole network {}: for a single host write /{}; otherwise remove "
          "this line",
          r.address, r.net->prefix, analysis::normalized(*r.net).to_string(), r.net->family == 4 ? 32 : 128);
    }
    return "remove this line, or move it above the line(s) that shadow it if it is meant to apply";
  }

  static bool same_tokens(const std::vector<model::AuthToken>& a, const std::vector<model::AuthToken>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const model::AuthToken& x, const model::AuthToken& y) {
      return x.text == y.text && x.quoted == y.quoted;
    });
  }
  static bool same_rule(const model::HbaRecord& a, const model::HbaRecord& b) {
    return a.type == b.type && same_tokens(a.databases, b.databases) && same_tokens(a.users, b.users) &&
           a.addr_kind == b.addr_kind && a.address == b.address && a.netmask == b.netmask && a.method == b.method &&
           std::equal(a.options.begin(), a.options.end(), b.options.begin(), b.options.end(),
                      [](const model::HbaOption& x, const model::HbaOption& y) {
                        return x.name == y.name && x.value == y.value;
                      });
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_unreachable_line() {
  return std::make_unique<HbaUnreachableLine>();
}

}  // namespace pgl::rules
