// Aligned, optionally coloured tables for human output. Cells hold raw host
// text; Render escapes every cell, so a hostile user name can neither send
// escape codes to the terminal nor, by its length, wreck the layout.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace irk {

enum class Color { kNone, kRed, kYellow, kGreen, kBold, kDim };

// `text` wrapped in the ANSI SGR code for `color` and a reset, or `text`
// unchanged when `enabled` is false, `color` is kNone or `text` is empty.
// `text` is inserted as given: callers pass escaped text or their own.
std::string Paint(std::string_view text, Color color, bool enabled);

// One table cell. `text` is raw, possibly hostile host text; the table
// escapes it when rendering.
struct Cell {
  Cell(std::string t, Color c = Color::kNone)  // NOLINT: implicit so rows read {"a", "b"}
      : text(std::move(t)), color(c) {}
  Cell(const char* t, Color c = Color::kNone)  // NOLINT: implicit so rows read {"a", "b"}
      : text(t), color(c) {}

  std::string text;
  Color color = Color::kNone;
};

// Rows under a header line, in the order they were added.
class Table {
 public:
  // Widest a cell is shown, in columns, "…" included; longer cells are cut.
  static constexpr size_t kMaxCellWidth = 200;

  explicit Table(std::vector<std::string> headers);

  // Adds a row. A row with fewer cells than headers is padded with empty
  // cells; more cells than headers is a bug (asserted).
  void AddRow(std::vector<Cell> cells);

  size_t rows() const { return rows_.size(); }

  // The header line and the rows, each ending in '\n'. Every cell (headers
  // too) goes through EscapeForTerminal, is cut to kMaxCellWidth columns
  // (TruncateToWidth) and padded to its column's widest cell; columns are
  // separated by two spaces and no line ends in padding. With `color`, the
  // header line is bold and each cell has its colour; without it the output
  // holds no escape code at all.
  std::string Render(bool color) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace irk
