// The diff matrix as a GitHub-flavoured Markdown table.
#include <fmt/format.h>

#include "diff/diff.hpp"

namespace pgl::diff {

namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '\\' || c == '<' || c == '>') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string render_markdown(const DiffResult& result) {
  if (result.rows.empty()) {
    return "No differences.\n";
  }
  std::string out = "| item |";
  std::string rule = "|---|";
  for (const auto& n : result.node_names) {
    out += " " + escape(n) + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const auto& row : result.rows) {
    const std::string label = row.kind == "setting" ? row.item : row.kind + ": " + row.item;
    out += "| " + escape(label) + " |";
    for (const auto& c : row.cells) {
      out += c.marked ? " **" + escape(c.text) + "** \\* |" : " " + escape(c.text) + " |";
    }
    out += "\n";
  }
  out += "\n\\* differs from the primary\n";
  return out;
}

}  // namespace pgl::diff
