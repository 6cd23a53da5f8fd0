// pg_ident.conf compared as a set of (map, system user, database user) mappings.
#include <map>

#include <fmt/format.h>

#include "diff/diff_internal.hpp"

namespace pgl::diff {

namespace {

std::string token(const model::AuthToken& t) {
  return t.quoted ? "\"" + t.text + "\"" : t.text;
}

std::map<std::string, const model::IdentRecord*> mappings(const Node& n) {
  std::map<std::string, const model::IdentRecord*> out;
  if (!n.config.ident) {
    return out;
  }
  for (const auto& r : n.config.ident->records) {
    if (r.error) {
      continue;
    }
    out.emplace(fmt::format("{} {} {}", r.map_name, token(r.system_user), token(r.pg_user)), &r);
  }
  return out;
}

std::string ident_path(const Node& n) {
  if (n.config.ident && !n.config.ident->path.empty()) {
    return n.config.ident->path;
  }
  return n.config.config_dir.empty() ? n.name : n.config.config_dir + "/pg_ident.conf";
}

core::Span line_span(const model::IdentRecord& r) {
  return core::Span::at(r.file, r.line, 1);
}

}  // namespace

namespace detail {

void diff_ident(Collector& out) {
  const auto& nodes = out.nodes();
  const auto primary = mappings(nodes.front());
  for (std::size_t ni = 1; ni < nodes.size(); ++ni) {
    const Node& node = nodes[ni];
    const auto replica = mappings(node);
    for (const auto& [key, rec] : primary) {
      if (replica.count(key) != 0) {
        continue;
      }
      model::DriftFact d;
      d.kind = model::DriftKind::ident;
      d.span = file_span(ident_path(node));
      d.message = fmt::format("{} lacks the primary's pg_ident.conf mapping '{}'", describe(node), key);
      d.related.push_back(core::Related{line_span(*rec), "the primary's mapping"});
      d.help = "use the same pg_ident.conf mappings on every node";
      out.report(std::move(d));
      out.set_cell("ident", key, "yes", ni, "-", true);
    }
    for (const auto& [key, rec] : replica) {
      if (primary.count(key) != 0) {
        continue;
      }
      model::DriftFact d;
      d.kind = model::DriftKind::ident;
      d.span = line_span(*rec);
      d.message = fmt::format("{} has a pg_ident.conf mapping the primary lacks: '{}'", describe(node), key);
      d.help = "use the same pg_ident.conf mappings on every node";
      out.report(std::move(d));
      out.set_cell("ident", key, "-", ni, "yes", true);
    }
  }
}

}  // namespace detail

}  // namespace pgl::diff
