// Fuzzes EscapeForTerminal and the table cut built on it: whatever the bytes,
// what reaches the terminal must be valid UTF-8 holding nothing that acts on
// a terminal.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/table.h"
#include "core/text.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Valid UTF-8 without any code point that IsTerminalControl flags (so no
// byte below 0x20 and no DEL), except line ends when `allow_newline`.
void CheckSafe(std::string_view s, bool allow_newline) {
  Check(irk::IsValidUtf8(s));
  size_t pos = 0;
  while (pos < s.size()) {
    if (allow_newline && s[pos] == '\n') {
      ++pos;
      continue;
    }
    // The raw bytes first, so that a gap in IsTerminalControl itself cannot
    // hide a C0, DEL or C1 control.
    const auto byte = static_cast<unsigned char>(s[pos]);
    Check(byte >= 0x20 && byte != 0x7F);
    Check(!(byte == 0xC2 && pos + 1 < s.size() && static_cast<unsigned char>(s[pos + 1]) < 0xA0));
    const auto decoded = irk::DecodeUtf8(s, pos);
    Check(decoded.has_value());
    Check(!irk::IsTerminalControl(decoded->code_point));
    pos += decoded->length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string escaped = irk::EscapeForTerminal(input);

  CheckSafe(escaped, false);
  Check(escaped.size() >= input.size());
  Check(escaped.size() <= input.size() * 4);
  // Escaping what is already safe changes nothing.
  Check(irk::EscapeForTerminal(escaped) == escaped);
  // Text is only ever left alone when it has nothing to escape.
  bool needs_escape = !irk::IsValidUtf8(input);
  for (size_t pos = 0; !needs_escape && pos < input.size();) {
    const auto decoded = irk::DecodeUtf8(input, pos);
    needs_escape = irk::IsTerminalControl(decoded->code_point);
    pos += decoded->length;
  }
  Check((escaped == input) == !needs_escape);

  const size_t width = irk::DisplayWidth(escaped);
  Check(width <= escaped.size());
  for (const size_t max_width : {size_t{1}, size_t{5}, size_t{40}}) {
    const std::string cut = irk::TruncateToWidth(escaped, max_width);
    Check(irk::IsValidUtf8(cut));
    Check(irk::DisplayWidth(cut) <= max_width);
    if (width <= max_width) {
      Check(cut == escaped);
    } else {
      // The cut keeps a prefix of whole units: every escape it holds is one
      // of the original's, so escaping it again changes nothing.
      const std::string_view kept = std::string_view(cut).substr(0, cut.size() - 3);
      Check(escaped.compare(0, kept.size(), kept) == 0);
      Check(irk::EscapeForTerminal(cut) == cut);
    }
  }

  irk::Table table({"A", "B"});
  table.AddRow({std::string(input), "x"});
  table.AddRow({"y", std::string(input)});
  for (const bool color : {false, true}) {
    const std::string rendered = table.Render(color);
    Check(!rendered.empty() && rendered.back() == '\n');
    if (!color) {
      CheckSafe(rendered, true);
      size_t start = 0;
      while (start < rendered.size()) {
        const size_t end = rendered.find('\n', start);
        const std::string_view line(rendered.data() + start, end - start);
        Check(irk::DisplayWidth(line) <= 2 * irk::Table::kMaxCellWidth + 2);
        Check(line.empty() || line.back() != ' ' || input.find(' ') != std::string::npos);
        start = end + 1;
      }
    }
  }
  return 0;
}
