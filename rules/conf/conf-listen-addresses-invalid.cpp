// conf-listen-addresses-invalid: listen_addresses entries the server cannot bind. The
// server splits the value with SplitGUCList (comma separated, blanks around elements
// skipped, elements may be double-quoted); a list syntax error stops the postmaster, an
// entry that is neither `*` nor a resolvable host gives "could not create listen socket".
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"

namespace pgl::rules {
namespace {

struct Element {
  std::string text;
  std::size_t offset = 0;  // in the de-quoted value
  std::size_t length = 0;  // bytes as written (with quotes)
};

struct SplitError {
  std::string what;
  std::size_t offset = 0;
};

bool is_blank(char c) {
  // scanner_isspace: space, tab, newline, carriage return, form feed.
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// SplitGUCList(value, ',') of varlena.c, keeping offsets.
std::optional<SplitError> split_guc_list(const std::string& v, std::vector<Element>& out) {
  std::size_t p = 0;
  while (p < v.size() && is_blank(v[p])) {
    ++p;
  }
  if (p == v.size()) {
    return std::nullopt;  // empty list: no TCP/IP socket at all
  }
  for (;;) {
    Element e;
    e.offset = p;
    if (v[p] == '"') {
      std::size_t q = p + 1;
      for (;;) {
        const std::size_t end = v.find('"', q);
        if (end == std::string::npos) {
          return SplitError{"unterminated double quote", p};
        }
        if (end + 1 < v.size() && v[end + 1] == '"') {
          e.text += v.substr(q, end + 1 - q);
          q = end + 2;
          continue;
        }
        e.text += v.substr(q, end - q);
        p = end + 1;
        break;
      }
    } else {
      const std::size_t start = p;
      while (p < v.size() && v[p] != ',' && !is_blank(v[p])) {
        ++p;
      }
      if (p == start) {
        return SplitError{"empty element", start};
      }
      e.text = v.substr(start, p - start);
    }
    e.length = p - e.offset;
    while (p < v.size() && is_blank(v[p])) {
      ++p;
    }
    out.push_back(std::move(e));
    if (p == v.size()) {
      return std::nullopt;
    }
    if (v[p] != ',') {
      return SplitError{"elements separated by blanks instead of a comma", p};
    }
    ++p;
    while (p < v.size() && is_blank(v[p])) {
      ++p;
    }
    if (p == v.size()) {
      return SplitError{"empty element after the last comma", p - 1};
    }
  }
}

bool is_ipv4_like(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

// Why an entry can be neither an IP address nor a host name, or nullopt.
std::optional<std::string> unbindable(const std::string& item) {
  if (item == "*") {
    return std::nullopt;
  }
  if (const std::size_t slash = item.find('/'); slash != std::string::npos) {
    return fmt::format(
        "'{}' is a network in CIDR notation, not an address: listen_addresses takes the "
        "addresses of this server's own interfaces",
        item);
  }
  if (item.find('*') != std::string::npos) {
    return fmt::format("'{}' is a pattern: only '*' alone means every interface", item);
  }
  if (item.front() == '[' || item.back() == ']') {
    return fmt::format("'{}' has brackets: write IPv6 addresses without them", item);
  }
  if (const std::size_t colon = item.rfind(':');
      colon != std::string::npos && item.find(':') == colon && is_ipv4_like(item.substr(0, colon))) {
    return fmt::format("'{}' has a port number: the port is set by the `port` parameter", item);
  }
  in_addr a4{};
  if (is_ipv4_like(item) && inet_aton(item.c_str(), &a4) == 0) {
    return fmt::format("'{}' is not a valid IPv4 address", item);
  }
  const bool name_chars = std::all_of(item.begin(), item.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
  if (!name_chars) {
    return fmt::format("'{}' is neither an IP address nor a host name", item);
  }
  return std::nullopt;
}

std::string suggestion(const std::string& item) {
  std::string s = item;
  if (const std::size_t slash = s.find('/'); slash != std::string::npos) {
    s = s.substr(0, slash);
  }
  if (!s.empty() && s.front() == '[') {
    s.erase(s.begin());
  }
  if (const std::size_t close = s.find(']'); close != std::string::npos) {
    s = s.substr(0, close);
  }
  if (const std::size_t colon = s.rfind(':');
      colon != std::string::npos && s.find(':') == colon && is_ipv4_like(s.substr(0, colon))) {
    s = s.substr(0, colon);
  }
  return s;
}

class ConfListenAddressesInvalid final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-listen-addresses-invalid",
                                         "listen_addresses holds an entry the server cannot listen on",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto* s = config.setting("listen_addresses");
    if (s == nullptr || s->entry == nullptr || analysis::is_template_entry(config, *s->entry)) {
      return;  // unrendered templates are reported by conf-template-syntax
    }
    const std::string& v = s->value;
    std::vector<Element> elements;
    if (auto err = split_guc_list(v, elements)) {
      diag(ctx, analysis::value_sub_span(*s->entry, err->offset, 1),
           fmt::format("invalid list syntax in parameter \"listen_addresses\" ({}): the server refuses to start",
                       err->what))
          .help("separate the addresses with commas and no empty elements, e.g. 'localhost, 10.0.0.5'")
          .severity(core::Severity::error);
      return;
    }
    struct Bad {
      const Element* element;
      std::string why;
    };
    std::vector<Bad> found;
    for (const auto& e : elements) {
      if (auto why = unbindable(e.text)) {
        found.push_back({&e, std::move(*why)});
      }
    }
    const bool none_valid = !found.empty() && found.size() == elements.size();
    for (const auto& [e, why] : found) {
      const std::string fix = suggestion(e->text);
      std::string message = fmt::format(
          "listen_addresses entry {}; the server cannot listen on it (\"could not create listen socket for \"{}\"\")",
          why, e->text);
      if (none_valid) {
        message +=
            ", and no other entry is valid: the server refuses to start (\"could not create any TCP/IP sockets\")";
      }
      auto f =
          diag(ctx, analysis::value_sub_span(*s->entry, e->offset, e->length), std::move(message))
              .help(
                  fix != e->text && !fix.empty()
                      ? fmt::format(
                            "write '{}' (pg_hba.conf, not listen_addresses, restricts which clients may connect)", fix)
                      : "list host names or IP addresses of this server, or '*' for every interface");
      if (none_valid) {
        f.severity(core::Severity::error);
      }
    }
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_listen_addresses_invalid() {
  return std::make_unique<ConfListenAddressesInvalid>();
}

}  // namespace pgl::rules
