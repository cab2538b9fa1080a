#include "core/time.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <ctime>

#include <chrono>

#include <fmt/format.h>

namespace irk {
namespace {

std::function<Timestamp()>& Clock() {
  static std::function<Timestamp()> clock;
  return clock;
}

bool ReadDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Writes `value` as `width` decimal digits at `out`.
void PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

// Howard Hinnant's days_from_civil and civil_from_days: exact for every
// proleptic Gregorian date, no tables, no time zone.
int64_t CivilToSeconds(int64_t year, int month, int day, int hour, int minute, int second) {
  const auto m = static_cast<unsigned>(month);
  year -= m <= 2;
  const int64_t era = FloorDiv(year, 400);
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = era * 146097 + static_cast<int64_t>(doe) - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = doy - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<int64_t>(yoe) + era * 400 + (date.month <= 2);
  return date;
}

char* WriteRfc3339(char* out, Timestamp t) {
  // Events come in time order: the text of the last second converted is
  // kept, and so is the date of its day, so most stamps cost a copy.
  thread_local int64_t cached_second = INT64_MIN;
  thread_local int64_t cached_day = INT64_MIN;
  thread_local char text[] = "0000-00-00T00:00:00+00:00";
  if (t.seconds != cached_second) {
    int64_t days = t.seconds / 86400;
    int64_t rest = t.seconds % 86400;
    if (rest < 0) {
      rest += 86400;
      --days;
    }
    if (days != cached_day) {
      const CivilDate date = CivilFromDays(days);
      if (date.year < 0 || date.year > 9999) {
        const std::string formatted = FormatRfc3339(t);
        const size_t size = std::min(formatted.size(), kMaxRfc3339);
        std::memcpy(out, formatted.data(), size);
        return out + size;
      }
      PutDigits(text, date.year, 4);
      PutDigits(text + 5, date.month, 2);
      PutDigits(text + 8, date.day, 2);
      cached_day = days;
    }
    PutDigits(text + 11, rest / 3600, 2);
    PutDigits(text + 14, rest % 3600 / 60, 2);
    PutDigits(text + 17, rest % 60, 2);
    cached_second = t.seconds;
  }
  std::memcpy(out, text, sizeof(text) - 1);
  return out + sizeof(text) - 1;
}

void AppendRfc3339(std::string& out, Timestamp t) {
  char text[kMaxRfc3339];
  out.append(text, WriteRfc3339(text, t));
}

std::string FormatRfc3339(Timestamp t, bool with_micros) {
  const time_t secs = static_cast<time_t>(t.seconds);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (with_micros) out += fmt::format(".{:06}", t.micros);
  out += "+00:00";
  return out;
}

std::string FormatShort(Timestamp t) {
  const time_t secs = static_cast<time_t>(t.seconds);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min);
}

std::string FormatDuration(int64_t seconds) {
  if (seconds < 0) return "-";
  if (seconds < 60) return fmt::format("{}s", seconds);
  if (seconds < 3600) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  if (seconds < 86400) return fmt::format("{}h{:02}m", seconds / 3600, seconds % 3600 / 60);
  return fmt::format("{}d{}h", seconds / 86400, seconds % 86400 / 3600);
}

std::optional<Timestamp> ParseRfc3339(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !ReadDigits(text, 11, 2, hour) ||
      text[13] != ':' || !ReadDigits(text, 14, 2, minute) || text[16] != ':' ||
      !ReadDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int32_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int scale = 100000;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (scale > 0) micros += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (text[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  return Timestamp{CivilToSeconds(year, month, day, hour, minute, second) - offset, micros};
}

std::optional<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t unit = 1;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = 7 * 86400;
      break;
    default:
      unit = 0;
  }
  if (unit != 0) text.remove_suffix(1);
  if (unit == 0) unit = 1;
  if (text.empty() || text.size() > 12) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value * unit;
}

std::optional<Timestamp> ParseTimeArgument(std::string_view text, Timestamp now) {
  if (text == "now") return now;
  if (auto stamp = ParseRfc3339(text)) return stamp;
  if (auto duration = ParseDuration(text)) return Timestamp{now.seconds - *duration, now.micros};
  // A date, or a date and time, without an offset: UTC, like everything irk shows.
  static constexpr std::string_view kMidnight = "0000-00-00T00:00:00";
  if (text.size() == 10 || text.size() == 16 || text.size() == 19) {
    std::string full(text);
    full += kMidnight.substr(text.size());
    if (full.size() > 10 && full[10] == ' ') full[10] = 'T';
    full += 'Z';
    return ParseRfc3339(full);
  }
  return std::nullopt;
}

Timestamp Now() {
  if (Clock()) return Clock()();
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return Timestamp{micros / 1000000, static_cast<int32_t>(micros % 1000000)};
}

void SetClockForTesting(std::function<Timestamp()> clock) { Clock() = std::move(clock); }

}  // namespace irk
