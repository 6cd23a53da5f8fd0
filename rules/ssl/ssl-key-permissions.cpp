// ssl-key-permissions: the private key file owner or mode is rejected by the server.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

#include "rules/ssl/ssl_common.hpp"
#include "rules/ssl/ssl_rules.hpp"

namespace pgl::rules {

namespace {

struct ServerUser {
  std::optional<uid_t> uid;
  std::string name;
};

std::string user_name(uid_t uid) {
  if (const passwd* pw = ::getpwuid(uid)) {
    return pw->pw_name;
  }
  return std::to_string(uid);
}

// --server-user, else the owner of the data directory, else `postgres`.
ServerUser server_user(const model::Config& config, const lint::LintContext& ctx) {
  ServerUser u;
  if (ctx.server_user) {
    u.name = *ctx.server_user;
    if (const passwd* pw = ::getpwnam(u.name.c_str())) {
      u.uid = pw->pw_uid;
    } else if (!u.name.empty() && u.name.find_first_not_of("0123456789") == std::string::npos) {
      u.uid = static_cast<uid_t>(std::stoul(u.name));
    }
    return u;
  }
  const std::string dir = !config.data_dir.empty() ? config.data_dir : config.config_dir;
  struct stat st {};
  if (!dir.empty() && ::stat(dir.c_str(), &st) == 0) {
    u.uid = st.st_uid;
    u.name = user_name(st.st_uid);
    return u;
  }
  u.name = "postgres";
  if (const passwd* pw = ::getpwnam("postgres")) {
    u.uid = pw->pw_uid;
  }
  return u;
}

class KeyPermissionsRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{
      "ssl-key-permissions", "the private key file owner or mode is rejected by the server", core::Severity::error};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& config, lint::LintContext& ctx) const override;
};

void KeyPermissionsRule::check(const model::Config& config, lint::LintContext& ctx) const {
  if (!ssl::ssl_on_or_default_off(config)) {
    return;
  }
  const auto key = ssl::file_setting(config, "ssl_key_file");
  if (!key) {
    return;
  }
  struct stat st {};
  if (::stat(key->path.c_str(), &st) != 0) {
    return;  // ssl-file-missing reports `could not access private key file`
  }
  const auto span = ssl::setting_span(config, "ssl_key_file");
  if (!S_ISREG(st.st_mode)) {
    diag(ctx, span, fmt::format("private key file \"{}\" is not a regular file", key->configured))
        .help("ssl_key_file must name a regular file (symbolic links to one are fine)");
    return;
  }
  const ServerUser user = server_user(config, ctx);
  const bool owned_by_user = user.uid && st.st_uid == *user.uid;
  const bool owned_by_root = st.st_uid == 0;
  if (user.uid && !owned_by_user && !owned_by_root) {
    diag(ctx, span, fmt::format("private key file \"{}\" must be owned by the database user or root", key->configured))
        .help(fmt::format("the file is owned by {}; run `chown {} {}` and `chmod 0600 {}`", user_name(st.st_uid),
                          user.name, key->path, key->path));
    return;
  }
  const bool bad_mode = owned_by_root && !owned_by_user ? (st.st_mode & 0037) != 0 : (st.st_mode & 0077) != 0;
  if (bad_mode) {
    diag(ctx, span,
         fmt::format("private key file \"{}\" has group or world access (mode {:04o})", key->configured,
                     st.st_mode & 07777))
        .help(owned_by_root && !owned_by_user
                  ? fmt::format("File must have permissions u=rw (0600) or less if owned by the database user, or "
                                "permissions u=rw,g=r (0640) or less if owned by root: run `chmod 0640 {}`",
                                key->path)
                  : fmt::format("File must have permissions u=rw (0600) or less if owned by the database user, or "
                                "permissions u=rw,g=r (0640) or less if owned by root: run `chmod 0600 {}`",
                                key->path));
  }
}

}  // namespace

std::unique_ptr<lint::Rule> make_ssl_key_permissions() {
  return std::make_unique<KeyPermissionsRule>();
}

}  // namespace pgl::rules
