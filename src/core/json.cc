#include "core/json.h"

#include <array>
#include <bit>

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

#include "core/text.h"

namespace irk {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

char* WriteUnicodeEscape(char* out, char32_t unit) {
  *out++ = '\\';
  *out++ = 'u';
  *out++ = kHexDigits[(unit >> 12) & 0xF];
  *out++ = kHexDigits[(unit >> 8) & 0xF];
  *out++ = kHexDigits[(unit >> 4) & 0xF];
  *out++ = kHexDigits[unit & 0xF];
  return out;
}

// At most twelve bytes, for a code point of at least two.
char* WriteEscapedCodePoint(char* out, char32_t cp) {
  char short_form = 0;
  switch (cp) {
    case '\b':
      short_form = 'b';
      break;
    case '\f':
      short_form = 'f';
      break;
    case '\n':
      short_form = 'n';
      break;
    case '\r':
      short_form = 'r';
      break;
    case '\t':
      short_form = 't';
      break;
    default:
      break;
  }
  if (short_form != 0) {
    *out++ = '\\';
    *out++ = short_form;
    return out;
  }
  if (cp <= 0xFFFF) return WriteUnicodeEscape(out, cp);
  const char32_t offset = cp - 0x10000;
  out = WriteUnicodeEscape(out, 0xD800 + (offset >> 10));
  return WriteUnicodeEscape(out, 0xDC00 + (offset & 0x3FF));
}

// Bytes copied as they are: printable ASCII but the quote and the backslash.
// A table, since this test runs on every byte of every --json line.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int byte = 0x20; byte < 0x7F; ++byte) plain[byte] = byte != '"' && byte != '\\';
  return plain;
}();

bool IsPlain(unsigned char byte) { return kPlain[byte]; }

// The length of the run of plain bytes that starts `s`. Eight bytes at a
// time, since most text (a log line) is one long run: a word is let through
// whole when none of its bytes is below 0x20, '"', '\\', 0x7F or above. The
// bit tricks may also mark bytes after a real hit, never before one, so the
// lowest marked byte is the first one that is not plain.
size_t PlainRun(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHigh = 0x8080808080808080;
  const auto zero_byte = [](uint64_t w) { return (w - kOnes) & ~w & kHigh; };
  const auto marked_at = [&](size_t i) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    return ((w - kOnes * 0x20) & ~w & kHigh) | zero_byte(w ^ (kOnes * '"')) |
           zero_byte(w ^ (kOnes * '\\')) | zero_byte(w ^ (kOnes * 0x7F)) | (w & kHigh);
  };
  size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= s.size(); i += 8) {
      if (const uint64_t marked = marked_at(i)) {
        return i + static_cast<size_t>(std::countr_zero(marked)) / 8;
      }
    }
    // The last few bytes as the word that ends the text, overlapping the
    // words already passed.
    if (i < s.size() && s.size() >= 8) {
      const uint64_t marked = marked_at(s.size() - 8);
      return marked == 0 ? s.size()
                         : s.size() - 8 + static_cast<size_t>(std::countr_zero(marked)) / 8;
    }
  }
  while (i < s.size() && IsPlain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

template <typename T>
void AppendNumber(std::string& out, T value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  // 32 bytes hold any 64-bit integer and the shortest form of any double.
  assert(ec == std::errc());
  (void)ec;
  out.append(buffer, end);
}

void AppendDouble(std::string& out, double value) {
  // Non-finite numbers have no JSON form. The shortest text that reads back
  // as the same double is what std::to_chars gives, and it is the same on
  // every run, so hashes over it are stable.
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  AppendNumber(out, value);
}

}  // namespace

char* WriteJsonString(char* out, std::string_view s) {
  *out++ = '"';
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t run = PlainRun(s.substr(pos));
    std::memcpy(out, s.data() + pos, run);
    out += run;
    pos += run;
    if (pos == s.size()) break;
    const char c = s[pos];
    if (c == '"' || c == '\\') {
      *out++ = '\\';
      *out++ = c;
      ++pos;
      continue;
    }
    const auto decoded = DecodeUtf8(s, pos);
    if (!decoded) {
      // The JSON text must stay valid UTF-8, and a \u escape can only name
      // code points, not bytes: show the byte as EscapeForTerminal would.
      const auto byte = static_cast<unsigned char>(c);
      *out++ = '\\';
      *out++ = '\\';
      *out++ = 'x';
      *out++ = kHexDigits[byte >> 4];
      *out++ = kHexDigits[byte & 0xF];
      ++pos;
    } else if (IsTerminalControl(decoded->code_point)) {
      out = WriteEscapedCodePoint(out, decoded->code_point);
      pos += decoded->length;
    } else {
      std::memcpy(out, s.data() + pos, decoded->length);
      out += decoded->length;
      pos += decoded->length;
    }
  }
  *out++ = '"';
  return out;
}

void AppendJsonString(std::string& out, std::string_view s) {
  const size_t start = out.size();
  out.resize(start + MaxJsonString(s.size()));
  out.resize(static_cast<size_t>(WriteJsonString(out.data() + start, s) - out.data()));
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

void JsonObject::AppendKey(std::string_view key) {
  if (!members_.empty()) members_ += ',';
  AppendJsonString(members_, key);
  members_ += ':';
}

JsonObject& JsonObject::Add(std::string_view key, std::string_view value) {
  AppendKey(key);
  AppendJsonString(members_, value);
  return *this;
}

JsonObject& JsonObject::Add(std::string_view key, const std::string& value) {
  return Add(key, std::string_view(value));
}

JsonObject& JsonObject::Add(std::string_view key, const char* value) {
  if (value == nullptr) return AddNull(key);
  return Add(key, std::string_view(value));
}

JsonObject& JsonObject::Add(std::string_view key, bool value) {
  return AddRaw(key, value ? "true" : "false");
}

JsonObject& JsonObject::Add(std::string_view key, double value) {
  AppendKey(key);
  AppendDouble(members_, value);
  return *this;
}

JsonObject& JsonObject::Add(std::string_view key, const JsonObject& value) {
  return AddRaw(key, value.str());
}

JsonObject& JsonObject::Add(std::string_view key, const JsonArray& value) {
  return AddRaw(key, value.str());
}

JsonObject& JsonObject::AddNull(std::string_view key) { return AddRaw(key, "null"); }

JsonObject& JsonObject::AddRaw(std::string_view key, std::string_view json) {
  assert(!json.empty());
  AppendKey(key);
  members_.append(json);
  return *this;
}

JsonObject& JsonObject::AddSigned(std::string_view key, int64_t value) {
  AppendKey(key);
  AppendNumber(members_, value);
  return *this;
}

JsonObject& JsonObject::AddUnsigned(std::string_view key, uint64_t value) {
  AppendKey(key);
  AppendNumber(members_, value);
  return *this;
}

std::string JsonObject::str() const { return "{" + members_ + "}"; }

void JsonArray::AppendSeparator() {
  if (!elements_.empty()) elements_ += ',';
}

JsonArray& JsonArray::Add(std::string_view value) {
  AppendSeparator();
  AppendJsonString(elements_, value);
  return *this;
}

JsonArray& JsonArray::Add(const std::string& value) { return Add(std::string_view(value)); }

JsonArray& JsonArray::Add(const char* value) {
  if (value == nullptr) return AddNull();
  return Add(std::string_view(value));
}

JsonArray& JsonArray::Add(bool value) { return AddRaw(value ? "true" : "false"); }

JsonArray& JsonArray::Add(double value) {
  AppendSeparator();
  AppendDouble(elements_, value);
  return *this;
}

JsonArray& JsonArray::Add(const JsonObject& value) { return AddRaw(value.str()); }

JsonArray& JsonArray::Add(const JsonArray& value) { return AddRaw(value.str()); }

JsonArray& JsonArray::AddNull() { return AddRaw("null"); }

JsonArray& JsonArray::AddRaw(std::string_view json) {
  assert(!json.empty());
  AppendSeparator();
  elements_.append(json);
  return *this;
}

JsonArray& JsonArray::AddSigned(int64_t value) {
  AppendSeparator();
  AppendNumber(elements_, value);
  return *this;
}

JsonArray& JsonArray::AddUnsigned(uint64_t value) {
  AppendSeparator();
  AppendNumber(elements_, value);
  return *this;
}

std::string JsonArray::str() const { return "[" + elements_ + "]"; }

}  // namespace irk
