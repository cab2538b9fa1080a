// The one JSON writer: every `--json` line (one object a line) and the
// canonical bytes the journal hashes. Output is compact (no spaces) and fully
// determined by the calls made, so equal calls give equal bytes.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace irk {

// Appends `s` to `out` as a quoted JSON string. The text appended is always
// valid UTF-8, whatever `s` holds:
// - `"` and `\` are escaped as \" and \\;
// - control characters below 0x20 as \b, \f, \n, \r, \t or \u00XX;
// - every other code point for which IsTerminalControl holds (DEL, the C1
//   controls, U+2028, U+2029, bidi and invisible characters) as \uXXXX, with
//   a surrogate pair above U+FFFF; hex digits are lowercase. These escapes do
//   not change the decoded value, they only keep the JSON text safe to print;
// - each byte that is not part of well-formed UTF-8 (see DecodeUtf8) becomes
//   the six characters \\xNN (lowercase hex), so the decoded string holds a
//   backslash, 'x' and two hex digits: the rendering EscapeForTerminal uses.
//   Such a string cannot be told from input that held that text literally.
// All other valid UTF-8 is copied as it is.
void AppendJsonString(std::string& out, std::string_view s);

// The most bytes WriteJsonString writes for `size` bytes of text: every byte
// escaped as six, and the quotes.
constexpr size_t MaxJsonString(size_t size) { return 6 * size + 2; }

// Writes `s` as AppendJsonString does at `out`, which has room for
// MaxJsonString(s.size()) bytes, and returns the end: for hot paths that
// write a record into room reserved once.
char* WriteJsonString(char* out, std::string_view s);

// Whether WriteJsonString writes `s` as it is, between quotes: printable
// ASCII without '"' or '\\'. Every part of such a text is plain too.
bool IsPlainJsonText(std::string_view s);

// Writes `value` in decimal at `out`, which has room for 20 bytes (all of
// which it may overwrite), and returns the end of the number: what
// std::to_chars writes, in about a quarter fewer instructions.
char* WriteDecimal(char* out, uint64_t value);

// `s` as a quoted JSON string, as AppendJsonString writes it.
std::string JsonString(std::string_view s);

// The integer types written as JSON numbers, in decimal: all but bool and
// the character types (a char is text, not a number; int8_t and uint8_t are
// numbers).
template <typename T>
concept JsonInteger = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> &&
                      !std::same_as<T, wchar_t> && !std::same_as<T, char8_t> &&
                      !std::same_as<T, char16_t> && !std::same_as<T, char32_t>;

class JsonArray;

// One JSON object, its members in the order they were added. Keys are not
// checked for duplicates: callers add each key once. Every Add returns the
// object, for chaining.
class JsonObject {
 public:
  JsonObject& Add(std::string_view key, std::string_view value);
  JsonObject& Add(std::string_view key, const std::string& value);
  JsonObject& Add(std::string_view key, const char* value);  // nullptr is written as null
  JsonObject& Add(std::string_view key, bool value);
  JsonObject& Add(std::string_view key, double value);  // NaN and infinities as null
  JsonObject& Add(std::string_view key, const JsonObject& value);
  JsonObject& Add(std::string_view key, const JsonArray& value);

  template <JsonInteger T>
  JsonObject& Add(std::string_view key, T value) {
    if constexpr (std::is_signed_v<T>) {
      return AddSigned(key, value);
    } else {
      return AddUnsigned(key, value);
    }
  }

  // Adds `value` when it holds one and leaves the member out when it is
  // nullopt.
  template <typename T>
  JsonObject& Add(std::string_view key, const std::optional<T>& value) {
    if (value) Add(key, *value);
    return *this;
  }

  JsonObject& AddNull(std::string_view key);

  // Adds `json`, already serialized (a nested object or array, a number), as
  // it is. The caller vouches that it is one valid JSON value.
  JsonObject& AddRaw(std::string_view key, std::string_view json);

  bool empty() const { return members_.empty(); }

  // The object as text, "{...}", without a trailing newline.
  std::string str() const;

 private:
  JsonObject& AddSigned(std::string_view key, int64_t value);
  JsonObject& AddUnsigned(std::string_view key, uint64_t value);
  void AppendKey(std::string_view key);

  std::string members_;  // "key":value pairs joined by commas, no braces
};

// One JSON array, its elements in the order they were added; the same value
// types as JsonObject.
class JsonArray {
 public:
  JsonArray& Add(std::string_view value);
  JsonArray& Add(const std::string& value);
  JsonArray& Add(const char* value);  // nullptr is written as null
  JsonArray& Add(bool value);
  JsonArray& Add(double value);  // NaN and infinities as null
  JsonArray& Add(const JsonObject& value);
  JsonArray& Add(const JsonArray& value);

  template <JsonInteger T>
  JsonArray& Add(T value) {
    if constexpr (std::is_signed_v<T>) {
      return AddSigned(value);
    } else {
      return AddUnsigned(value);
    }
  }

  JsonArray& AddNull();

  // Adds `json`, already serialized, as it is; the caller vouches that it is
  // one valid JSON value.
  JsonArray& AddRaw(std::string_view json);

  bool empty() const { return elements_.empty(); }

  // The array as text, "[...]", without a trailing newline.
  std::string str() const;

 private:
  JsonArray& AddSigned(int64_t value);
  JsonArray& AddUnsigned(uint64_t value);
  void AppendSeparator();

  std::string elements_;  // values joined by commas, no brackets
};

}  // namespace irk
