// Safe display of text that came from an attacked host: user names, file
// names, log lines. Everything such text prints to a terminal goes through
// EscapeForTerminal first; UTF-8 decoding for the JSON writer lives here too.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace irk {

// One well-formed UTF-8 sequence: its code point and its length in bytes
// (1 to 4).
struct Utf8Char {
  char32_t code_point = 0;
  size_t length = 0;
};

// Decodes the UTF-8 sequence that starts at s[pos], or returns nullopt when
// the bytes there are not a well-formed one (RFC 3629): a continuation or
// invalid lead byte (80-BF, C0, C1, F5-FF), a sequence cut short by the end
// of `s` or by a byte that is not a continuation, an overlong encoding
// (C0 AF, E0 80 AF, F0 80 80 AF), a surrogate (ED A0 80 to ED BF BF) or a
// code point above U+10FFFF (F4 90 80 80). Requires pos < s.size().
std::optional<Utf8Char> DecodeUtf8(std::string_view s, size_t pos);

// True when all of `s` is well-formed UTF-8 in the sense of DecodeUtf8. The
// empty string is valid; NUL and other controls are valid UTF-8.
bool IsValidUtf8(std::string_view s);

// True for the code points that can act on a terminal or disguise text, which
// EscapeForTerminal escapes and the JSON writer writes as \u escapes:
// - C0 controls U+0000 to U+001F (tab, CR and LF too) and DEL U+007F;
// - C1 controls U+0080 to U+009F (U+009B is a one-character CSI);
// - bidi controls: U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069;
// - line and paragraph separators U+2028 and U+2029;
// - invisible characters that let "root" be followed or split unseen: soft
//   hyphen U+00AD, U+200B to U+200D (zero-width space, non-joiner, joiner),
//   U+2060 to U+2064, U+FEFF, and the tag characters U+E0000 to U+E007F.
bool IsTerminalControl(char32_t code_point);

// Returns `s` with each byte that could act on a terminal written as the four
// characters \xNN in lowercase hex ("\x1b[2J" becomes the text `\x1b[2J`):
// every byte of a code point for which IsTerminalControl holds (so the bidi
// override U+202E becomes `\xe2\x80\xae`, the C1 CSI becomes `\xc2\x9b`), and
// every byte that is not part of well-formed UTF-8 (see DecodeUtf8). All
// other text, printable multi-byte UTF-8 included ("é", "日本"), is left as
// it is; a backslash is not escaped, so a literal "\x41" in the input reads
// the same as an escaped byte would. The result is valid UTF-8 without any
// byte below 0x20 or 0x7f. Linear in the size of `s`.
std::string EscapeForTerminal(std::string_view s);

// Terminal columns taken by `s`, meant for the output of EscapeForTerminal:
// one per code point, except two for East Asian wide and fullwidth
// characters (Hangul, the main CJK blocks, fullwidth forms, the emoji block
// U+1F300 to U+1FAFF) and none for combining marks U+0300 to U+036F. A byte
// that is not well-formed UTF-8 counts one column.
size_t DisplayWidth(std::string_view s);

// Returns `escaped` (output of EscapeForTerminal) unchanged when its
// DisplayWidth is at most `max_width`; otherwise its longest prefix of width
// at most max_width - 1 followed by "…", so the result is at most
// `max_width` columns. The cut never splits an escape \xNN or a UTF-8
// sequence. Requires max_width >= 1.
std::string TruncateToWidth(std::string_view escaped, size_t max_width);

// Takes the first line off `text` and returns it without its '\n'; the last
// line needs none. For `while (!text.empty()) { auto line = TakeLine(text); }`.
std::string_view TakeLine(std::string_view& text);

}  // namespace irk
