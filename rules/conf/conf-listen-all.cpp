// conf-listen-all: listen_addresses includes every interface ('*', 0.0.0.0 or ::). Often
// intended (containers, dedicated hosts), hence a note: pg_hba.conf and the firewall are
// then the only barriers.
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {

class ConfListenAllRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-listen-all", "server listens on every network interface",
                                         core::Severity::note};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto* s = config.setting("listen_addresses");
    if (s == nullptr || s->entry == nullptr) {
      return;  // default: localhost
    }
    const std::string& v = s->value;
    std::size_t start = 0;
    while (start <= v.size()) {
      std::size_t end = v.find(',', start);
      if (end == std::string::npos) {
        end = v.size();
      }
      std::size_t b = v.find_first_not_of(" \t", start);
      std::size_t e = end;
      while (e > start && (v[e - 1] == ' ' || v[e - 1] == '\t')) {
        --e;
      }
      if (b != std::string::npos && b < e) {
        const std::string item = v.substr(b, e - b);
        if (item == "*" || item == "0.0.0.0" || item == "::") {
          diag(ctx, analysis::value_sub_span(*s->entry, b, item.size()),
               fmt::format("listen_addresses contains '{}': the server accepts TCP connections on every network "
                           "interface",
                           item))
              .help(
                  "list only the addresses clients use (e.g. 'localhost,10.0.0.5'); if all interfaces are intended, "
                  "make sure pg_hba.conf and the firewall restrict who can connect");
          return;
        }
      }
      start = end + 1;
    }
  }
};

std::unique_ptr<lint::Rule> make_conf_listen_all() {
  return std::make_unique<ConfListenAllRule>();
}

}  // namespace pgl::rules
