// conf-unix-socket-permissions-open: unix_socket_permissions wider than 0770. CIS PostgreSQL 17, 2.6.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "conf/guc.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

class ConfUnixSocketPermissionsOpenRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-unix-socket-permissions-open",
                                         "the Unix socket is open to every local user (CIS 2.6)",
                                         core::Severity::warning, lint::Profile::cis};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "unix_socket_permissions");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    const auto n = analysis::base_integer(config, *v);
    if (!n || (*n & 07) == 0) {
      return;
    }
    diag(ctx, v->span,
         v->describe() +
             fmt::format(
                 ": every local OS user may connect to the Unix socket (mode {:04o}; CIS 2.6 asks for 0770 or 0700)",
                 *n))
        .help("set unix_socket_permissions = 0770 (with unix_socket_group) or 0700");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_unix_socket_permissions_open() {
  return std::make_unique<ConfUnixSocketPermissionsOpenRule>();
}

}  // namespace pgl::rules
