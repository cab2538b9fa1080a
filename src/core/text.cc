#include "core/text.h"

#include <cassert>

namespace irk {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::string_view kEllipsis = "\xe2\x80\xa6";  // U+2026, one column

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void AppendEscapedBytes(std::string& out, std::string_view bytes) {
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    const char escape[4] = {'\\', 'x', kHexDigits[byte >> 4], kHexDigits[byte & 0xF]};
    out.append(escape, sizeof escape);
  }
}

// Plain printable ASCII needs no decoding; most host text is all of it, so
// the loops below copy such runs whole.
bool IsPlainAscii(unsigned char byte) { return byte >= 0x20 && byte < 0x7F; }

size_t CodePointWidth(char32_t cp) {
  if (cp >= 0x0300 && cp <= 0x036F) return 0;
  const bool wide = (cp >= 0x1100 && cp <= 0x115F) ||    // Hangul Jamo initials
                    (cp >= 0x2E80 && cp <= 0x303E) ||    // CJK radicals, punctuation
                    (cp >= 0x3041 && cp <= 0x33FF) ||    // kana, CJK symbols
                    (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
                    (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
                    (cp >= 0xA000 && cp <= 0xA4CF) ||    // Yi
                    (cp >= 0xAC00 && cp <= 0xD7A3) ||    // Hangul syllables
                    (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
                    (cp >= 0xFE30 && cp <= 0xFE4F) ||    // CJK compatibility forms
                    (cp >= 0xFF00 && cp <= 0xFF60) ||    // fullwidth forms
                    (cp >= 0xFFE0 && cp <= 0xFFE6) ||    // fullwidth signs
                    (cp >= 0x1F300 && cp <= 0x1FAFF) ||  // emoji and pictographs
                    (cp >= 0x20000 && cp <= 0x3FFFD);    // CJK extensions B and later
  return wide ? 2 : 1;
}

// Length and width of the display unit at escaped[pos]: an escape \xNN, a
// UTF-8 sequence, or a single stray byte.
struct Unit {
  size_t length;
  size_t width;
};

Unit UnitAt(std::string_view escaped, size_t pos) {
  if (escaped[pos] == '\\' && pos + 3 < escaped.size() && escaped[pos + 1] == 'x' &&
      IsHexDigit(escaped[pos + 2]) && IsHexDigit(escaped[pos + 3])) {
    return {4, 4};
  }
  if (const auto decoded = DecodeUtf8(escaped, pos)) {
    return {decoded->length, CodePointWidth(decoded->code_point)};
  }
  return {1, 1};
}

}  // namespace

std::optional<Utf8Char> DecodeUtf8(std::string_view s, size_t pos) {
  assert(pos < s.size());
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) return Utf8Char{lead, 1};
  size_t length;
  char32_t cp;
  // The allowed range of the second byte is what rules out overlong forms
  // (E0, F0), surrogates (ED) and code points past U+10FFFF (F4).
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return std::nullopt;
  }
  if (s.size() - pos < length) return std::nullopt;
  const auto second = static_cast<unsigned char>(s[pos + 1]);
  if (second < second_min || second > second_max) return std::nullopt;
  cp = (cp << 6) | (second & 0x3F);
  for (size_t i = 2; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(s[pos + i]);
    if (!IsContinuation(byte)) return std::nullopt;
    cp = (cp << 6) | (byte & 0x3F);
  }
  return Utf8Char{cp, length};
}

bool IsValidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const auto decoded = DecodeUtf8(s, pos);
    if (!decoded) return false;
    pos += decoded->length;
  }
  return true;
}

bool IsTerminalControl(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD) return true;
  if (cp < 0x061C) return false;
  return cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF ||
         (cp >= 0xE0000 && cp <= 0xE007F);
}

std::string EscapeForTerminal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    size_t run = pos;
    while (run < s.size() && IsPlainAscii(static_cast<unsigned char>(s[run]))) ++run;
    out.append(s.substr(pos, run - pos));
    pos = run;
    if (pos == s.size()) break;
    const auto decoded = DecodeUtf8(s, pos);
    if (!decoded) {
      // Escape only this byte and decode again from the next one, so every
      // byte of a broken sequence is shown and a valid character right
      // after it survives.
      AppendEscapedBytes(out, s.substr(pos, 1));
      ++pos;
    } else if (IsTerminalControl(decoded->code_point)) {
      AppendEscapedBytes(out, s.substr(pos, decoded->length));
      pos += decoded->length;
    } else {
      out.append(s.substr(pos, decoded->length));
      pos += decoded->length;
    }
  }
  return out;
}

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++width;
      ++pos;
      continue;
    }
    const auto decoded = DecodeUtf8(s, pos);
    if (!decoded) {
      ++width;
      ++pos;
      continue;
    }
    width += CodePointWidth(decoded->code_point);
    pos += decoded->length;
  }
  return width;
}

std::string TruncateToWidth(std::string_view escaped, size_t max_width) {
  assert(max_width >= 1);
  // One pass: remember where the prefix that still leaves room for the
  // ellipsis ends, and stop as soon as the whole is known to be too wide, so
  // a megabyte-long cell costs only its first few hundred bytes.
  size_t width = 0;
  size_t pos = 0;
  size_t cut = 0;
  while (pos < escaped.size()) {
    const Unit unit = UnitAt(escaped, pos);
    width += unit.width;
    if (width > max_width) {
      std::string out(escaped.substr(0, cut));
      out.append(kEllipsis);
      return out;
    }
    pos += unit.length;
    if (width <= max_width - 1) cut = pos;
  }
  return std::string(escaped);
}

std::string_view TakeLine(std::string_view& text) {
  const size_t newline = text.find('\n');
  const std::string_view line = text.substr(0, newline);
  text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  return line;
}

}  // namespace irk
