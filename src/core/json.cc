#include "core/json.h"

#include <array>
#include <bit>

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

#ifdef __SSE2__
// One bit for each of the sixteen bytes that is not plain.
unsigned MarkedBytes(__m128i bytes) {
  // Signed, so the bytes from 0x80 up count as below 0x20.
  const __m128i marked = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)),
                                                   _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x7F))),
                                      _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                                                   _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))));
  return static_cast<unsigned>(_mm_movemask_epi8(marked));
}
#endif

// For WriteDecimal, on a little-endian machine (the first byte in memory
// is the lowest): '0' in every byte.
static_assert(std::endian::native == std::endian::little);
constexpr uint64_t kAsciiZeros = 0x3030303030303030ULL;

// The eight decimal digits of `value` (< 10^8), leading zeros included, one
// digit (0 to 9) a byte, the first digit in the lowest byte. The number is
// split into two halves of four digits in 32-bit lanes, each half by 100
// into 16-bit lanes, and each of those by 10 into bytes; the divisions are
// multiplications that are exact in these ranges (x * 10486 >> 20 is x / 100
// for x < 10^4, y * 103 >> 10 is y / 10 for y < 100) and never carry
// between lanes.
uint64_t EightDigits(uint64_t value) {
  const uint64_t fours = (value / 10000) | ((value % 10000) << 32);
  const uint64_t hundreds = ((fours * 10486) >> 20) & 0x0000007F0000007FULL;
  const uint64_t twos = hundreds | ((fours - hundreds * 100) << 16);
  const uint64_t tens = ((twos * 103) >> 10) & 0x000F000F000F000FULL;
  return tens | ((twos - tens * 10) << 8);
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
#ifdef __SSE2__
    // Sixteen bytes at a time while that many are left, stored before they
    // are tested: the room of MaxJsonString holds them, since at most six
    // bytes have been written for each byte read.
    if (s.size() - pos >= 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + pos));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), bytes);
      const unsigned mask = MarkedBytes(bytes);
      const size_t run = mask == 0 ? 16 : static_cast<size_t>(std::countr_zero(mask));
      out += run;
      pos += run;
      if (mask == 0) continue;
    }
#endif
    while (pos < s.size() && IsPlain(static_cast<unsigned char>(s[pos]))) *out++ = s[pos++];
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

char* WriteDecimal(char* out, uint64_t value) {
  constexpr uint64_t kEightDigits = 100'000'000;
  if (value < 10) {
    *out = static_cast<char>('0' + value);
    return out + 1;
  }
  if (value >= kEightDigits) {
    // At most twice: 2^64 has twenty digits.
    out = WriteDecimal(out, value / kEightDigits);
    const uint64_t digits = EightDigits(value % kEightDigits) | kAsciiZeros;
    std::memcpy(out, &digits, 8);
    return out + 8;
  }
  // The leading zeros are the low zero bytes: skipped by a shift, and the
  // eight bytes stored at once (the room is there).
  const uint64_t digits = EightDigits(value);
  const int zeros = std::countr_zero(digits) / 8;
  const uint64_t text = (digits | kAsciiZeros) >> (8 * zeros);
  std::memcpy(out, &text, 8);
  return out + 8 - zeros;
}

bool IsPlainJsonText(std::string_view s) {
  size_t pos = 0;
#ifdef __SSE2__
  const auto marked_at = [&s](size_t at) {
    return MarkedBytes(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at))) != 0;
  };
  if (s.size() >= 16) {
    // Two blocks a step, one test for both.
    for (; s.size() - pos >= 32; pos += 32) {
      const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + pos));
      const __m128i second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + pos + 16));
      if ((MarkedBytes(first) | MarkedBytes(second)) != 0) return false;
    }
    for (; s.size() - pos >= 16; pos += 16) {
      if (marked_at(pos)) return false;
    }
    // The last few bytes as the end of the sixteen that end the text.
    return pos == s.size() || !marked_at(s.size() - 16);
  }
#endif
  for (; pos < s.size(); ++pos) {
    if (!IsPlain(static_cast<unsigned char>(s[pos]))) return false;
  }
  return true;
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
