// The diff as a plain-text matrix: one row per differing item, one column per node.
// Columns shrink and cells wrap to fit the width; when even narrow columns do not fit,
// the replicas are split over several tables, each repeating the item and the primary.
#include <algorithm>
#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "diff/diff.hpp"

namespace pgl::diff {

namespace {

constexpr std::size_t k_gap = 2;        // spaces between columns
constexpr std::size_t k_min_item = 14;  // narrowest item column
constexpr std::size_t k_min_cell = 8;   // narrowest node column
constexpr std::size_t k_max_item_floor = 28;

std::string item_label(const Row& row) {
  if (row.kind == "setting") {
    return row.item;
  }
  return row.kind + ": " + row.item;
}

std::string cell_text(const Cell& c) {
  return c.marked ? c.text + " *" : c.text;
}

// Splits text into lines of at most `width` bytes, preferring breaks after spaces and commas.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string_view rest(text);
  while (rest.size() > width) {
    std::size_t cut = width;
    for (std::size_t i = width; i > width / 4; --i) {
      if (rest[i - 1] == ' ' || rest[i - 1] == ',' || rest[i - 1] == '_') {
        cut = i;
        break;
      }
    }
    std::string line(rest.substr(0, cut));
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    lines.push_back(std::move(line));
    rest.remove_prefix(cut);
    while (!rest.empty() && rest.front() == ' ') {
      rest.remove_prefix(1);
    }
  }
  if (!rest.empty() || lines.empty()) {
    lines.emplace_back(rest);
  }
  return lines;
}

void render_group(std::string& out, const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, std::size_t width, std::size_t item_floor) {
  const std::size_t cols = header.size();
  std::vector<std::size_t> w(cols, 0);
  for (std::size_t c = 0; c < cols; ++c) {
    w[c] = header[c].size();
    for (const auto& r : rows) {
      w[c] = std::max(w[c], r[c].size());
    }
  }
  auto total = [&] { return std::accumulate(w.begin(), w.end(), std::size_t{0}) + k_gap * (cols - 1); };
  // Shrink the widest column until the table fits (or every column is at its minimum).
  auto floor_of = [&](std::size_t c) { return c == 0 ? item_floor : k_min_cell; };
  while (total() > width) {
    std::optional<std::size_t> widest;
    for (std::size_t c = 0; c < cols; ++c) {
      if (w[c] > floor_of(c) && (!widest || w[c] > w[*widest])) {
        widest = c;
      }
    }
    if (!widest) {
      break;
    }
    --w[*widest];
  }
  auto emit = [&](const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> wrapped;
    std::size_t height = 1;
    for (std::size_t c = 0; c < cols; ++c) {
      wrapped.push_back(wrap(cells[c], w[c]));
      height = std::max(height, wrapped.back().size());
    }
    for (std::size_t l = 0; l < height; ++l) {
      std::string line;
      for (std::size_t c = 0; c < cols; ++c) {
        const std::string part = l < wrapped[c].size() ? wrapped[c][l] : "";
        line += part;
        if (c + 1 < cols) {
          line += std::string(w[c] - std::min(w[c], part.size()) + k_gap, ' ');
        }
      }
      while (!line.empty() && line.back() == ' ') {
        line.pop_back();
      }
      out += line + "\n";
    }
  };
  emit(header);
  std::string rule;
  for (std::size_t c = 0; c < cols; ++c) {
    rule += std::string(w[c], '-');
    if (c + 1 < cols) {
      rule += std::string(k_gap, ' ');
    }
  }
  out += rule + "\n";
  for (const auto& r : rows) {
    emit(r);
  }
}

}  // namespace

std::string render_table(const DiffResult& result, std::size_t width) {
  if (result.rows.empty()) {
    return "no differences\n";
  }
  const std::size_t nodes = result.node_names.size();
  // How many replica columns fit next to the item and primary columns.
  // Parameter names stay whole when they can (up to k_max_item_floor columns).
  std::size_t item_floor = k_min_item;
  for (const auto& row : result.rows) {
    if (row.kind == "setting") {
      item_floor = std::max(item_floor, std::min(row.item.size(), k_max_item_floor));
    }
  }
  std::size_t per_group = nodes > 1 ? nodes - 1 : 1;
  while (per_group > 1 && item_floor + (per_group + 1) * (k_min_cell + k_gap) > width) {
    --per_group;
  }
  std::string out;
  for (std::size_t first = 1; first < std::max<std::size_t>(nodes, 2); first += per_group) {
    const std::size_t last = std::min(nodes, first + per_group);
    std::vector<std::size_t> picked{0};
    for (std::size_t i = first; i < last; ++i) {
      picked.push_back(i);
    }
    std::vector<std::string> header{"item"};
    for (std::size_t i : picked) {
      header.push_back(result.node_names[i]);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : result.rows) {
      bool differs = false;
      std::vector<std::string> cells{item_label(row)};
      for (std::size_t i : picked) {
        cells.push_back(i < row.cells.size() ? cell_text(row.cells[i]) : "");
        differs = differs || (i < row.cells.size() && row.cells[i].marked);
      }
      if (differs) {
        rows.push_back(std::move(cells));
      }
    }
    if (rows.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += "\n";
    }
    render_group(out, header, rows, width, item_floor);
  }
  out += "\n* differs from the primary\n";
  return out;
}

}  // namespace pgl::diff
