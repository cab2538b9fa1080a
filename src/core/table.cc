#include "core/table.h"

#include <algorithm>
#include <cassert>

#include "core/text.h"

namespace irk {
namespace {

std::string_view SgrCode(Color color) {
  switch (color) {
    case Color::kNone:
      return "";
    case Color::kRed:
      return "31";
    case Color::kYellow:
      return "33";
    case Color::kGreen:
      return "32";
    case Color::kBold:
      return "1";
    case Color::kDim:
      return "2";
  }
  return "";
}

// A cell as it will be shown: escaped, cut, and measured once.
struct ShownCell {
  std::string text;
  size_t width = 0;
  Color color = Color::kNone;
};

ShownCell Show(std::string_view raw, Color color) {
  std::string text = TruncateToWidth(EscapeForTerminal(raw), Table::kMaxCellWidth);
  const size_t width = DisplayWidth(text);
  return ShownCell{std::move(text), width, color};
}

// One line of cells padded to `widths`. Cells after the last non-empty one
// are left out, so that the line does not end in padding.
std::string RenderLine(const std::vector<ShownCell>& cells, const std::vector<size_t>& widths,
                       bool color) {
  size_t count = cells.size();
  while (count > 0 && cells[count - 1].text.empty()) --count;
  std::string line;
  for (size_t i = 0; i < count; ++i) {
    line += Paint(cells[i].text, cells[i].color, color);
    if (i + 1 < count) line.append(widths[i] - cells[i].width + 2, ' ');
  }
  return line;
}

}  // namespace

std::string Paint(std::string_view text, Color color, bool enabled) {
  if (!enabled || color == Color::kNone || text.empty()) return std::string(text);
  std::string out = "\x1b[";
  out += SgrCode(color);
  out += 'm';
  out += text;
  out += "\x1b[0m";
  return out;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<Cell> cells) {
  assert(cells.size() <= headers_.size());
  cells.resize(headers_.size(), Cell(""));
  rows_.push_back(std::move(cells));
}

std::string Table::Render(bool color) const {
  std::vector<ShownCell> header;
  header.reserve(headers_.size());
  for (const std::string& text : headers_) header.push_back(Show(text, Color::kNone));
  std::vector<std::vector<ShownCell>> body;
  body.reserve(rows_.size());
  for (const std::vector<Cell>& row : rows_) {
    std::vector<ShownCell> shown;
    shown.reserve(row.size());
    for (const Cell& cell : row) shown.push_back(Show(cell.text, cell.color));
    body.push_back(std::move(shown));
  }

  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t i = 0; i < header.size(); ++i) widths[i] = header[i].width;
  for (const std::vector<ShownCell>& row : body) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].width);
  }

  std::string out = Paint(RenderLine(header, widths, false), Color::kBold, color);
  out += '\n';
  for (const std::vector<ShownCell>& row : body) {
    out += RenderLine(row, widths, color);
    out += '\n';
  }
  return out;
}

}  // namespace irk
