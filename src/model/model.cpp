#include <algorithm>

#include <arpa/inet.h>
#include <fmt/format.h>

#include "conf/guc.hpp"
#include "model/config.hpp"

namespace pgl::model {

bool ConfSet::has_fatal_problem() const {
  return std::any_of(items.begin(), items.end(), [](const ConfItem& i) { return i.problem && i.problem->fatal; });
}

bool HbaFile::loads() const {
  return !file_error && std::none_of(records.begin(), records.end(), [](const HbaRecord& r) { return r.fatal; });
}

bool IdentFile::loads() const {
  return !file_error &&
         std::none_of(records.begin(), records.end(), [](const IdentRecord& r) { return r.error.has_value(); });
}

const char* to_string(ConnType t) {
  switch (t) {
    case ConnType::local: return "local";
    case ConnType::host: return "host";
    case ConnType::hostssl: return "hostssl";
    case ConnType::hostnossl: return "hostnossl";
    case ConnType::hostgssenc: return "hostgssenc";
    case ConnType::hostnogssenc: return "hostnogssenc";
  }
  return "local";
}

bool IpNet::contains(const IpNet& other) const {
  if (family != other.family || other.prefix < prefix) {
    return false;
  }
  int bits = prefix;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) != (other.bytes[i] & mask)) {
      return false;
    }
  }
  return true;
}

bool IpNet::is_loopback() const {
  if (family == 4) {
    return prefix >= 8 && bytes[0] == 127;
  }
  if (prefix != 128) {
    return false;
  }
  for (std::size_t i = 0; i < 15; ++i) {
    if (bytes[i] != 0) {
      return false;
    }
  }
  return bytes[15] == 1;
}

std::string IpNet::address() const {
  // The server's own form (inet_ntop): 10.0.0.0, ::, fd00::1. IPv4 is written here (the same
  // text as inet_ntop's, without its call); "?" when inet_ntop fails.
  if (family == 4) {
    std::string out;
    out.reserve(15);
    for (std::size_t i = 0; i < 4; ++i) {
      if (i > 0) {
        out += '.';
      }
      const fmt::format_int octet(bytes[i]);
      out.append(octet.data(), octet.size());
    }
    return out;
  }
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf) == nullptr) {
    return "?";
  }
  return buf;
}

std::string IpNet::to_string() const {
  // 10.0.0.0/8, ::/0, fd00::/16.
  return fmt::format("{}/{}", address(), prefix);
}

const EffectiveSetting* Config::setting(const std::string& name) const {
  auto it = settings.find(name);
  return it == settings.end() ? nullptr : &it->second;
}

std::string Config::value_or_default(const std::string& name) const {
  if (const auto* s = setting(name)) {
    return s->value;
  }
  if (const auto* def = conf::find_guc(pg_version, name)) {
    return std::string(def->boot_val);
  }
  return {};
}

std::string Config::resolve_path(const std::string& configured) const {
  std::string path = configured;
  if (!path.empty() && path.front() == '/') {
    if (root) {
      path = *root + path;
    }
    return path;
  }
  const std::string& base = data_dir.empty() ? config_dir : data_dir;
  return base.empty() ? path : base + "/" + path;
}

}  // namespace pgl::model
