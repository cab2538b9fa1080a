#include "report/mime.h"

#include <array>

#include <fmt/format.h>

#include "core/text.h"
#include "core/time.h"

namespace irk::report {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// Input bytes per encoded word: 45 bytes make 60 base64 characters, which
// with "=?UTF-8?B?" and "?=" stays under 76.
constexpr size_t kWordBytes = 45;
constexpr size_t kMaxPlainHeader = 200;

std::string Base64(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kBase64[n & 63] : '=';
  }
  return out;
}

bool PlainHeaderText(std::string_view text) {
  if (text.size() > kMaxPlainHeader || text.find("=?") != std::string_view::npos) return false;
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

std::string EncodeHeaderText(std::string_view text) {
  const std::string visible = EscapeForTerminal(text);
  if (PlainHeaderText(visible)) return visible;
  std::string out;
  size_t at = 0;
  while (at < visible.size()) {
    // Take up to kWordBytes bytes, ending on a character boundary.
    size_t end = std::min(visible.size(), at + kWordBytes);
    while (end < visible.size() && end > at &&
           (static_cast<uint8_t>(visible[end]) & 0xc0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(visible).substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

std::string Base64Lines(std::string_view bytes) {
  const std::string encoded = Base64(bytes);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    size_t column = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto byte = static_cast<uint8_t>(line[i]);
      const bool last = i + 1 == line.size();
      const bool plain = byte >= 0x21 && byte <= 0x7e && byte != '=';
      const bool blank = byte == ' ' || byte == '\t';
      const std::string piece =
          plain || (blank && !last) ? std::string(1, line[i]) : fmt::format("={:02X}", byte);
      // A soft break ("=") must fit in the 76 characters too.
      if (column + piece.size() > 75) {
        out += "=\r\n";
        column = 0;
      }
      out += piece;
      column += piece.size();
    }
    out += "\r\n";
  }
  return out;
}

std::string MailDate(int64_t seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun",
                                                       "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const int64_t rest = seconds - days * 86400;
  const CivilDate date = CivilFromDays(days);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[((days % 7) + 7) % 7],
                     date.day, kMonths[date.month - 1], date.year, rest / 3600, rest / 60 % 60,
                     rest % 60);
}

}  // namespace irk::report
