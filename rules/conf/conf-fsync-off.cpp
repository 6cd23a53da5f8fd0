// conf-fsync-off: fsync = off: WAL and data are never forced to disk; an OS crash or power loss can corrupt the cluster.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

// The value in the parameter's base unit (integers: decimal, octal 0600, units), if valid.
[[maybe_unused]] std::optional<long long> base_integer(const model::Config& config, const analysis::SettingView& v) {
  const conf::GucDef* def = conf::find_guc(config.pg_version, v.name);
  if (def == nullptr) {
    return std::nullopt;
  }
  const conf::ValueCheck c = conf::check_value(config.pg_version, *def, v.value);
  if (!c.ok) {
    return std::nullopt;
  }
  try {
    return std::stoll(c.normalized);
  } catch (...) {
    return std::nullopt;
  }
}

// log_destination names `dest` (comma-separated list, case-insensitive).
[[maybe_unused]] bool logs_to(const model::Config& config, std::string_view dest) {
  const std::string list = analysis::lower(config.value_or_default("log_destination"));
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) {
      end = list.size();
    }
    std::string item = list.substr(start, end - start);
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
    if (item == dest) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

[[maybe_unused]] bool is_on(const model::Config& config, const std::string& name) {
  const auto b = analysis::parse_bool(config.value_or_default(name));
  return b && *b;
}

class ConfFsyncOffRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-fsync-off", "fsync is off: an operating system crash can corrupt the cluster", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "fsync");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    const auto b = analysis::parse_bool(v->value);
    if (!b || *b) {
      return;
    }
    ctx.report(analysis::make_diagnostic(k_meta, v->describe() + ": the server never forces WAL and data to disk, so an operating system crash or power loss can leave the cluster corrupt beyond repair", v->span,
                                         "set fsync = on; to trade durability for speed, synchronous_commit = off loses at most the latest commits on a crash and never corrupts data"));
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_fsync_off() { return std::make_unique<ConfFsyncOffRule>(); }

}  // namespace pgl::rules
