// hba-host-bits-set: an IP address with bits set beyond its mask (`127.0.0.1/24`). The
// server accepts it and compares only the masked bits, so the line matches the whole network.
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

// The address as written (`127.0.0.1/24`), or address and netmask columns.
std::string written_address(const model::Config& config, const model::HbaRecord& r) {
  const core::Span& sp = r.address_span;
  if (const core::SourceFile* src = config.sources.find(sp.begin.file);
      src != nullptr && sp.begin.line != 0 && sp.begin.column != 0 &&
      (sp.end_line == 0 || sp.end_line == sp.begin.line) && sp.end_column > sp.begin.column) {
    const std::string_view line = src->line(sp.begin.line);
    if (sp.end_column - 1 <= line.size()) {
      std::string token(line.substr(sp.begin.column - 1, sp.end_column - sp.begin.column));
      if (token.find('/') != std::string::npos) {
        return token;
      }
      return r.netmask.empty() ? token : fmt::format("{} {}", token, r.netmask);
    }
  }
  return r.address;
}

class HbaHostBitsSet final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-host-bits-set",
                                         "address has host bits set beyond its mask: the line matches the whole "
                                         "network",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    if (!view.present()) {
      return;
    }
    for (const auto& r : view.file().records) {
      if ((r.error && r.fatal) || r.addr_kind != model::AddrKind::ip || !r.net) {
        continue;
      }
      const model::IpNet network = analysis::normalized(*r.net);
      if (network.bytes == r.net->bytes) {
        continue;
      }
      const int host_prefix = r.net->family == 4 ? 32 : 128;
      const std::string written = written_address(config, r);
      const std::string net_text = fmt::format("{}/{}", network.address(), network.prefix);
      diag(ctx, hba::address_span(r),
           fmt::format("address `{}` has host bits set beyond the mask: the server ignores them, so the "
                       "line matches the whole network {}{}",
                       written, net_text, network.prefix == 0 ? " (every address)" : ""))
          .help(fmt::format("for the single host write `{}/{}`; for the network write `{}`", r.net->address(),
                            host_prefix, net_text));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_host_bits_set() {
  return std::make_unique<HbaHostBitsSet>();
}

}  // namespace pgl::rules
