// hba-address-leading-zero: an IPv4 address written with a leading zero in an octet
// (`10.20.030.4`). The server reads addresses with getaddrinfo(AI_NUMERICHOST), which on glibc
// takes inet_aton forms: a leading zero means octal, so 030 is 24 and the line matches
// 10.20.24.4, not 10.20.30.4.
#include <array>
#include <optional>
#include <string>

#include <arpa/inet.h>
#include <fmt/format.h>

#include "rules/hba/hba_util.hpp"

namespace pgl::rules {
namespace {

// The address token as written in the file (without /prefix), or "" when unknown. `src` is
// the record's source file (nullptr: unknown).
std::string_view written_address(const core::SourceFile* src, const model::HbaRecord& r) {
  const core::Span& sp = r.address_span;
  if (src == nullptr || sp.begin.line == 0 || sp.begin.column == 0 ||
      (sp.end_line != 0 && sp.end_line != sp.begin.line) || sp.end_column <= sp.begin.column) {
    return {};
  }
  const std::string_view line = src->line(sp.begin.line);
  if (sp.end_column - 1 > line.size()) {
    return {};
  }
  std::string_view token = line.substr(sp.begin.column - 1, sp.end_column - sp.begin.column);
  if (!token.empty() && token.front() == '"' && token.back() == '"' && token.size() >= 2) {
    token = token.substr(1, token.size() - 2);
  }
  return token.substr(0, token.find('/'));
}

// Four dotted decimal-digit parts, at least one with a leading zero: the decimal reading.
std::optional<std::array<unsigned, 4>> decimal_reading(std::string_view text, bool& leading_zero) {
  std::array<unsigned, 4> out{};
  std::size_t part = 0;
  std::size_t start = 0;
  leading_zero = false;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '.') {
      if (text[i] < '0' || text[i] > '9') {
        return std::nullopt;
      }
      continue;
    }
    const std::size_t len = i - start;
    if (part >= 4 || len == 0 || len > 3) {
      return std::nullopt;
    }
    leading_zero = leading_zero || (len > 1 && text[start] == '0');
    unsigned value = 0;
    for (std::size_t k = start; k < i; ++k) {
      value = value * 10 + static_cast<unsigned>(text[k] - '0');  // at most three digits
    }
    out[part++] = value;
    start = i + 1;
  }
  if (part != 4) {
    return std::nullopt;
  }
  return out;
}

class HbaAddressLeadingZero final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"hba-address-leading-zero", "IPv4 octet with a leading zero is read as octal",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const hba::HbaView view(config);
    if (!view.present()) {
      return;
    }
    const std::string* src_path = nullptr;  // records come in runs of one file: looked up once per run
    const core::SourceFile* src = nullptr;
    for (const auto& r : view.file().records) {
      if ((r.error && r.fatal) || r.addr_kind != model::AddrKind::ip || !r.net || r.net->family != 4) {
        continue;
      }
      const std::string& path = r.address_span.begin.file.str();
      if (&path != src_path) {
        src_path = &path;
        src = config.sources.find(path);
      }
      const std::string_view written = written_address(src, r);
      bool leading_zero = false;
      const auto dec = decimal_reading(written, leading_zero);
      if (!dec || !leading_zero) {
        continue;
      }
      const bool same = (*dec)[0] == r.net->bytes[0] && (*dec)[1] == r.net->bytes[1] && (*dec)[2] == r.net->bytes[2] &&
                        (*dec)[3] == r.net->bytes[3];
      if (same) {
        continue;  // 192.168.001.001: octal and decimal agree
      }
      char buf[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, r.net->bytes.data(), buf, sizeof buf);
      const std::string meant = fmt::format("{}.{}.{}.{}", (*dec)[0], (*dec)[1], (*dec)[2], (*dec)[3]);
      diag(ctx, hba::address_span(r),
           fmt::format("address `{}` has an octet with a leading zero, which the server reads as octal: "
                       "the line matches {}, not {}",
                       written, buf, meant))
          .help(fmt::format("write the address without leading zeros: `{}`", meant));
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_hba_address_leading_zero() {
  return std::make_unique<HbaAddressLeadingZero>();
}

}  // namespace pgl::rules
