// Builds pg_hba.conf records by hand for the hba analysis and rule unit tests, without the
// parser: whitespace-separated fields, comma-separated tokens, a leading " marks a quoted
// token. Enough for well-formed lines; columns are exact for the spans the rules use.
#pragma once

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <arpa/inet.h>

#include "model/config.hpp"
#include "model/hba.hpp"

namespace pgl::hbatest {

inline std::optional<model::IpNet> parse_ip(const std::string& text) {
  model::IpNet n;
  if (inet_pton(AF_INET, text.c_str(), n.bytes.data()) == 1) {
    n.family = 4;
    n.prefix = 32;
    return n;
  }
  if (inet_pton(AF_INET6, text.c_str(), n.bytes.data()) == 1) {
    n.family = 6;
    n.prefix = 128;
    return n;
  }
  return std::nullopt;
}

inline int mask_bits(const model::IpNet& m) {
  int bits = 0;
  for (int i = 0; i < (m.family == 4 ? 4 : 16); ++i) {
    for (int b = 7; b >= 0; --b) {
      if (m.bytes[static_cast<std::size_t>(i)] & (1 << b)) {
        ++bits;
      }
    }
  }
  return bits;
}

struct RawField {
  std::vector<model::AuthToken> tokens;
};

inline std::vector<RawField> split_fields(const std::string& file, std::uint32_t line, const std::string& text) {
  std::vector<RawField> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      ++i;
    }
    if (i >= text.size()) {
      break;
    }
    RawField f;
    // One field: tokens separated by commas (no blanks).
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
      model::AuthToken t;
      const std::size_t start = i;
      if (text[i] == '"') {
        t.quoted = true;
        ++i;
        while (i < text.size() && text[i] != '"') {
          t.text += text[i++];
        }
        ++i;
      }
      while (i < text.size() && text[i] != ',' && text[i] != ' ' && text[i] != '\t') {
        if (text[i] != '"') {
          t.text += text[i];
        }
        ++i;
      }
      t.span = core::Span::at(file, line, static_cast<std::uint32_t>(start + 1), static_cast<std::uint32_t>(i - start));
      f.tokens.push_back(std::move(t));
      if (i < text.size() && text[i] == ',') {
        ++i;
      }
    }
    fields.push_back(std::move(f));
  }
  return fields;
}

// A record from one line of text; line numbers are given by the caller.
inline model::HbaRecord record(const std::string& text, std::uint32_t line = 1,
                               const std::string& file = "/etc/pg_hba.conf") {
  model::HbaRecord r;
  r.file = file;
  r.line = line;
  auto fields = split_fields(file, line, text);
  std::size_t f = 0;
  const auto& type = fields.at(f++).tokens.at(0);
  r.type_span = type.span;
  static const std::pair<const char*, model::ConnType> types[] = {
      {"local", model::ConnType::local},           {"host", model::ConnType::host},
      {"hostssl", model::ConnType::hostssl},       {"hostnossl", model::ConnType::hostnossl},
      {"hostgssenc", model::ConnType::hostgssenc}, {"hostnogssenc", model::ConnType::hostnogssenc}};
  for (const auto& [name, t] : types) {
    if (type.text == name) {
      r.type = t;
    }
  }
  r.databases = fields.at(f++).tokens;
  r.users = fields.at(f++).tokens;
  if (r.type != model::ConnType::local) {
    const auto& a = fields.at(f++).tokens.at(0);
    r.address_span = a.span;
    r.address = a.text;
    if (!a.quoted && a.text == "all") {
      r.addr_kind = model::AddrKind::all;
    } else if (!a.quoted && a.text == "samehost") {
      r.addr_kind = model::AddrKind::samehost;
    } else if (!a.quoted && a.text == "samenet") {
      r.addr_kind = model::AddrKind::samenet;
    } else {
      const auto slash = a.text.find('/');
      auto ip = parse_ip(a.text.substr(0, slash));
      if (!ip) {
        r.addr_kind = model::AddrKind::hostname;
      } else {
        r.addr_kind = model::AddrKind::ip;
        r.address = a.text.substr(0, slash);
        if (slash != std::string::npos) {
          ip->prefix = std::stoi(a.text.substr(slash + 1));
        } else {
          const auto& m = fields.at(f++).tokens.at(0);
          auto mask = parse_ip(m.text);
          ip->prefix = mask ? mask_bits(*mask) : 0;
          r.netmask = m.text;
        }
        r.net = ip;
      }
    }
  }
  const auto& m = fields.at(f++).tokens.at(0);
  r.method = m.text;
  r.method_span = m.span;
  if (r.type == model::ConnType::local && r.method == "ident") {
    r.method = "peer";
  }
  for (; f < fields.size(); ++f) {
    for (const auto& t : fields[f].tokens) {
      const auto eq = t.text.find('=');
      r.options.push_back({t.text.substr(0, eq), eq == std::string::npos ? "" : t.text.substr(eq + 1), t.span});
    }
  }
  return r;
}

// A file from lines; blank lines and # comments keep their line numbers.
inline model::HbaFile file(const std::string& text, const std::string& path = "/etc/pg_hba.conf") {
  model::HbaFile out;
  out.path = path;
  std::istringstream in(text);
  std::string line;
  std::uint32_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') {
      continue;
    }
    out.records.push_back(record(line, n, path));
  }
  return out;
}

inline model::Config config(const std::string& hba_text, int pg_version = 18) {
  model::Config c;
  c.pg_version = pg_version;
  c.hba = file(hba_text);
  return c;
}

}  // namespace pgl::hbatest
