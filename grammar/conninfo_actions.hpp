// Actions of the connection-string grammar: fill model::Conninfo with decoded values and
// byte offsets. Errors found here (unknown keyword, bad percent-encoding) throw a
// positioned parse_error, which stops parsing as libpq stops at its first error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "grammar/conninfo_grammar.hpp"
#include "model/conninfo.hpp"

namespace pgl::grammar::conninfo {

struct State {
  std::string_view input;
  model::Conninfo out;
  std::string key_raw;  // keyword being read (for messages)
  std::size_t key_offset = 0;
  std::string value_raw;  // URI query value being read
  std::size_t value_offset = 0;
  // URI accumulators: libpq joins hosts and ports with ','.
  std::string user_raw;
  std::size_t user_offset = 0;
  bool in_userinfo = false;
  std::string hosts, ports;
  std::size_t hosts_begin = std::string_view::npos, hosts_end = 0;
  std::size_t ports_begin = std::string_view::npos, ports_end = 0;
  int host_count = 0;

  // The input with the password of a URI replaced by ***, for messages that echo the URI.
  [[nodiscard]] std::string masked_input() const {
    std::string s(input);
    if (auto p = out.find("password"); p != nullptr && out.uri) {
      s.replace(p->value_offset, p->value_length, "***");
    }
    return s;
  }
};

// libpq's conninfo_uri_decode. Returns nullopt and sets `error` on a bad token.
inline std::optional<std::string> uri_decode(std::string_view s, std::string& error, bool secret) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  const std::string shown = secret ? std::string("***") : std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    const int hi = i + 1 < s.size() ? hex(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      error = "invalid percent-encoded token: \"" + shown + "\"";
      return std::nullopt;
    }
    const int c = (hi << 4) | lo;
    if (c == 0) {
      error = "forbidden value %00 in percent-encoded value: \"" + shown + "\"";
      return std::nullopt;
    }
    out += static_cast<char>(c);
    i += 2;
  }
  return out;
}

// De-escapes a key/value-form value (quoted or not): `\x` -> x, quotes removed.
inline std::string kv_unescape(std::string_view raw) {
  const bool quoted = !raw.empty() && raw.front() == '\'';
  if (quoted) {
    raw = raw.substr(1, raw.size() >= 2 ? raw.size() - 2 : 0);
  }
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\') {
      if (i + 1 < raw.size()) {
        out += raw[++i];
      }
      continue;
    }
    out += raw[i];
  }
  return out;
}

template <typename Input>
void store(State& st, const Input& in, std::string key, std::string value, std::size_t key_offset,
           std::size_t key_length, std::size_t value_offset, std::size_t value_length) {
  model::ConninfoParam p{std::move(key), std::move(value), key_offset, key_length, value_offset, value_length};
  st.out.params.push_back(std::move(p));
  (void)in;
}

template <typename Input>
std::string decode_or_throw(State& st, const Input& in, std::string_view raw, bool secret) {
  std::string error;
  auto v = uri_decode(raw, error, secret);
  if (!v) {
    throw pegtl::parse_error(error, in);
  }
  (void)st;
  return *v;
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<kv_key> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.key_raw = in.string();
    st.key_offset = in.position().byte;
  }
};

template <>
struct action<kv_value> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    if (!model::is_conninfo_keyword(st.key_raw)) {
      throw pegtl::parse_error("invalid connection option \"" + st.key_raw + "\"",
                               pegtl::position(st.key_offset, 1, st.key_offset + 1, "conninfo"));
    }
    store(st, in, st.key_raw, kv_unescape(in.string_view()), st.key_offset, st.key_raw.size(), in.position().byte,
          in.size());
  }
};

template <>
struct action<uri_prefix> {
  template <typename Input>
  static void apply(const Input& /*in*/, State& st) {
    st.out.uri = true;
  }
};

template <>
struct action<uri_user> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    if (!in.empty()) {
      store(st, in, "user", decode_or_throw(st, in, in.string_view(), false), in.position().byte, in.size(),
            in.position().byte, in.size());
    }
  }
};

template <>
struct action<uri_password> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    if (!in.empty()) {
      store(st, in, "password", decode_or_throw(st, in, in.string_view(), true), in.position().byte, in.size(),
            in.position().byte, in.size());
    }
  }
};

template <>
struct action<uri_ipv6_addr> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    if (in.empty() && !in.input().empty() && in.input().peek_char() == ']') {
      throw pegtl::parse_error("IPv6 host address may not be empty in URI: \"" + st.masked_input() + "\"", in);
    }
  }
};

template <>
struct action<uri_host> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::string_view h = in.string_view();
    if (h.size() >= 2 && h.front() == '[') {
      h = h.substr(1, h.size() - 2);
    }
    if (st.host_count++ > 0) {
      st.hosts += ',';
      st.ports += ',';
    }
    st.hosts += h;
    if (st.hosts_begin == std::string_view::npos) {
      st.hosts_begin = in.position().byte;
    }
    st.hosts_end = in.position().byte + in.size();
  }
};

template <>
struct action<uri_port> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.ports += in.string_view();
    if (st.ports_begin == std::string_view::npos) {
      st.ports_begin = in.position().byte;
    }
    st.ports_end = in.position().byte + in.size();
  }
};

template <>
struct action<uri_hosts> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    const std::size_t hb = st.hosts_begin == std::string_view::npos ? in.position().byte : st.hosts_begin;
    const bool any_host = st.hosts.find_first_not_of(',') != std::string::npos;
    if (any_host) {
      store(st, in, "host", decode_or_throw(st, in, st.hosts, false), hb, st.hosts_end - hb, hb, st.hosts_end - hb);
    }
    if (st.ports.find_first_not_of(',') != std::string::npos) {
      store(st, in, "port", decode_or_throw(st, in, st.ports, false), st.ports_begin, st.ports_end - st.ports_begin,
            st.ports_begin, st.ports_end - st.ports_begin);
    }
  }
};

template <>
struct action<uri_dbname> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    if (!in.empty()) {
      store(st, in, "dbname", decode_or_throw(st, in, in.string_view(), false), in.position().byte, in.size(),
            in.position().byte, in.size());
    }
  }
};

template <>
struct action<uri_param_key> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.key_raw = in.string();
    st.key_offset = in.position().byte;
  }
};

template <>
struct action<uri_param_value> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.value_raw = in.string();
    st.value_offset = in.position().byte;
  }
};

// Stored once the whole parameter has been scanned: libpq finds a second '=' before it
// looks at the keyword.
template <>
struct action<uri_param> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::string key = decode_or_throw(st, in, st.key_raw, false);
    std::string value = decode_or_throw(st, in, st.value_raw, key == "password");
    if (key == "ssl" && value == "true") {  // JDBC compatibility, as libpq does
      key = "sslmode";
      value = "require";
    }
    if (!model::is_conninfo_keyword(key)) {
      throw pegtl::parse_error("invalid URI query parameter: \"" + key + "\"",
                               pegtl::position(st.key_offset, 1, st.key_offset + 1, "conninfo"));
    }
    store(st, in, std::move(key), std::move(value), st.key_offset, st.key_raw.size(), st.value_offset,
          st.value_raw.size());
  }
};

}  // namespace pgl::grammar::conninfo
