#include "logs/syslog_stamp.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace irk::logs::syslog_stamp {
namespace {

// Exactly `count` digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Three letters as one number, for a switch.
constexpr uint32_t Key3(std::string_view s, size_t pos) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[pos])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[pos + 1])) << 8 |
         static_cast<unsigned char>(s[pos + 2]);
}

// Month names by hand: no locale may change them. 0 for none.
int MonthOf(std::string_view s, size_t pos) {
  if (pos + 3 > s.size()) return 0;
  switch (Key3(s, pos)) {
    case Key3("Jan", 0):
      return 1;
    case Key3("Feb", 0):
      return 2;
    case Key3("Mar", 0):
      return 3;
    case Key3("Apr", 0):
      return 4;
    case Key3("May", 0):
      return 5;
    case Key3("Jun", 0):
      return 6;
    case Key3("Jul", 0):
      return 7;
    case Key3("Aug", 0):
      return 8;
    case Key3("Sep", 0):
      return 9;
    case Key3("Oct", 0):
      return 10;
    case Key3("Nov", 0):
      return 11;
    case Key3("Dec", 0):
      return 12;
    default:
      return 0;
  }
}

bool IsWeekday(std::string_view s, size_t pos) {
  if (pos + 3 > s.size()) return false;
  switch (Key3(s, pos)) {
    case Key3("Mon", 0):
    case Key3("Tue", 0):
    case Key3("Wed", 0):
    case Key3("Thu", 0):
    case Key3("Fri", 0):
    case Key3("Sat", 0):
    case Key3("Sun", 0):
      return true;
    default:
      return false;
  }
}

bool IsLeapYear(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

bool ValidDate(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
}

// The fraction after `fraction_mark` at `pos`, if there is one: sets
// `micros` and `pos` past it.
void ReadFraction(std::string_view s, size_t& pos, char fraction_mark, int32_t& micros) {
  micros = 0;
  if (At(s, pos) != fraction_mark || !IsDigit(At(s, pos + 1))) return;
  ++pos;
  int32_t scale = 100000;
  while (IsDigit(At(s, pos))) {
    micros += (s[pos] - '0') * scale;
    scale /= 10;
    ++pos;
  }
}

// "hh:mm:ss" at `pos`, then an optional fraction after `fraction_mark`; sets
// `pos` past them.
bool ReadClock(std::string_view s, size_t& pos, char fraction_mark, int& hour, int& minute,
               int& second, int32_t& micros) {
  if (pos + 8 > s.size()) return false;
  const char* clock = s.data() + pos;
  const auto two = [clock](size_t at) { return (clock[at] - '0') * 10 + (clock[at + 1] - '0'); };
  const auto digits = [clock](size_t at) { return IsDigit(clock[at]) && IsDigit(clock[at + 1]); };
  if (!digits(0) || clock[2] != ':' || !digits(3) || clock[5] != ':' || !digits(6)) return false;
  hour = two(0);
  minute = two(3);
  second = two(6);
  if (hour > 23 || minute > 59 || second > 60) return false;
  pos += 8;
  ReadFraction(s, pos, fraction_mark, micros);
  return true;
}

// "Z", "+01:00" or "+0100" at `pos`: sets `offset` (seconds east) and `pos`
// past it; false when there is none.
bool ReadOffset(std::string_view s, size_t& pos, int& offset) {
  const char sign = At(s, pos);
  if (sign == 'Z') {
    offset = 0;
    ++pos;
    return true;
  }
  if (sign != '+' && sign != '-') return false;
  int hours, minutes;
  size_t minutes_at = pos + 3;
  if (At(s, minutes_at) == ':') ++minutes_at;
  if (!Digits(s, pos + 1, 2, hours) || !Digits(s, minutes_at, 2, minutes) || hours > 23 ||
      minutes > 59) {
    return false;
  }
  offset = (sign == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
  pos = minutes_at + 2;
  return true;
}

// The local (or, when the stamp gives an offset, exact) time of a civil
// stamp, in UTC.
Timestamp ToUtc(int64_t local, int32_t micros, const int* offset, const StampContext& context) {
  if (offset != nullptr) return Timestamp{local - *offset, micros};
  if (context.zone != nullptr) return Timestamp{context.zone->LocalToUtc(local), micros};
  return Timestamp{local, micros};
}

std::string_view ZoneName(const StampContext& context) {
  return context.zone != nullptr ? context.zone->name() : std::string_view("UTC");
}

// "2019-07-08T17:40:16.954167-04:00" at `pos` (a T, optional fraction and
// offset; with `require_offset`, the offset must be there). Sets `stamp`.
bool ReadIsoStamp(std::string_view s, size_t pos, bool require_offset, const StampContext& context,
                  Stamp& stamp) {
  int year, month, day, hour, minute, second;
  int32_t micros;
  const size_t start = pos;
  if (!Digits(s, pos, 4, year) || At(s, pos + 4) != '-' || !Digits(s, pos + 5, 2, month) ||
      At(s, pos + 7) != '-' || !Digits(s, pos + 8, 2, day) || At(s, pos + 10) != 'T') {
    return false;
  }
  pos += 11;
  if (!ValidDate(year, month, day) || !ReadClock(s, pos, '.', hour, minute, second, micros)) {
    return false;
  }
  const size_t zone_at = pos;
  int offset = 0;
  const bool has_offset = ReadOffset(s, pos, offset);
  if (!has_offset && require_offset) return false;
  const int64_t local = CivilToSeconds(year, month, day, hour, minute, second);
  stamp.time = ToUtc(local, micros, has_offset ? &offset : nullptr, context);
  stamp.text = s.substr(start, pos - start);
  stamp.zone = has_offset ? s.substr(zone_at, pos - zone_at) : ZoneName(context);
  stamp.end = pos;
  return true;
}

// The day of "Nov 26", "Nov  6" or "Nov 6" at `pos` (just past "Nov "),
// setting `pos` past the space after it.
bool ReadDay(std::string_view s, size_t& pos, int& day) {
  if (At(s, pos) == ' ') ++pos;
  if (!IsDigit(At(s, pos))) return false;
  day = s[pos] - '0';
  ++pos;
  if (IsDigit(At(s, pos))) {
    day = day * 10 + (s[pos] - '0');
    ++pos;
  }
  if (At(s, pos) != ' ') return false;
  ++pos;
  return true;
}

// The minute of the last RFC 3164 stamp this thread read. Lines come in
// time order, dozens to a minute, so most stamps repeat the last one's text
// up to the seconds ("Nov 26 13:02:") and cost a comparison and two digits.
// The year such a stamp reads as depends on the context too.
struct LastMinute {
  std::array<char, 16> text{};  // up to the seconds; the longest is 13 bytes
  size_t size = 0;              // 0: none yet
  int context_year = 0;
  int context_month = 0;
  int64_t local = 0;  // the minute's first second, local time
};
thread_local LastMinute last_minute;

void RememberMinute(std::string_view text, const StampContext& context, int64_t local) {
  if (text.size() > last_minute.text.size()) return;
  std::copy(text.begin(), text.end(), last_minute.text.begin());
  last_minute.size = text.size();
  last_minute.context_year = context.year;
  last_minute.context_month = context.month;
  last_minute.local = local;
}

// The stamp at the start of `line` if it lies in the last minute read, as
// ReadStamp would read it into `stamp`; false sends the line to be read in
// full. Writes the caller's stamp in place: a returned optional<Stamp> cost
// the hot path a store-forwarding stall per line.
bool ReadInLastMinute(std::string_view line, const StampContext& context, Stamp& stamp) {
  const LastMinute& last = last_minute;
  if (last.size == 0 || last.context_year != context.year || last.context_month != context.month ||
      line.size() < last.size + 2 || std::memcmp(line.data(), last.text.data(), last.size) != 0) {
    return false;
  }
  size_t pos = last.size;
  if (!IsDigit(line[pos]) || !IsDigit(line[pos + 1])) return false;
  const int second = (line[pos] - '0') * 10 + (line[pos + 1] - '0');
  if (second > 60) return false;
  pos += 2;
  int32_t micros;
  ReadFraction(line, pos, '.', micros);
  stamp.time = ToUtc(last.local + second, micros, nullptr, context);
  stamp.text = line.substr(0, pos);
  stamp.zone = ZoneName(context);
  stamp.end = pos;
  stamp.format = Format::kRfc3164;
  return true;
}

}  // namespace

size_t SkipPriority(std::string_view s, size_t pos, bool numeric_alone) {
  if (At(s, pos) != '<') return pos;
  size_t i = pos + 1;
  size_t dots = 0;
  bool all_digits = true;
  while (i < s.size() && i - pos <= kMaxPriority && s[i] != '>') {
    const char c = s[i];
    if (c == '.') {
      ++dots;
    } else if (IsLower(c)) {
      all_digits = false;
    } else if (!IsDigit(c)) {
      return pos;
    }
    ++i;
  }
  if (At(s, i) != '>' || i == pos + 1) return pos;
  const bool pair = dots == 1 && s[pos + 1] != '.' && s[i - 1] != '.';
  const bool number = dots == 0 && all_digits && i - pos - 1 <= 3;
  if (!pair && !(number && numeric_alone)) return pos;
  return i + 1;
}

bool ReadStamp(std::string_view line, const StampContext& context, Stamp& stamp) {
  if (ReadInLastMinute(line, context, stamp)) return true;
  size_t pos = 0;
  if (At(line, 0) == '<') {
    const size_t after = SkipPriority(line, 0, true);
    if (after == 0) return false;
    int pri = 0;
    const bool numeric = after - 2 <= 3 && Digits(line, 1, after - 2, pri);
    if (numeric && pri <= 191 && At(line, after) == '1' && At(line, after + 1) == ' ') {
      // RFC 5424; a nil stamp "-" gives no time.
      if (!ReadIsoStamp(line, after + 2, true, context, stamp)) return false;
      stamp.format = Format::kRfc5424;
      return true;
    }
    if (numeric && pri > 191) return false;
    pos = after;
    if (At(line, pos) == ' ') ++pos;
  }

  if (IsDigit(At(line, pos))) {
    if (At(line, pos + 10) == 'T') {
      if (!ReadIsoStamp(line, pos, false, context, stamp)) return false;
      stamp.format = Format::kIso;
      return true;
    }
    // proftpd: "2026-11-26 13:02:11,123", local time.
    int year, month, day, hour, minute, second;
    int32_t micros;
    const size_t start = pos;
    if (!Digits(line, pos, 4, year) || At(line, pos + 4) != '-' ||
        !Digits(line, pos + 5, 2, month) || At(line, pos + 7) != '-' ||
        !Digits(line, pos + 8, 2, day) || At(line, pos + 10) != ' ' ||
        !ValidDate(year, month, day)) {
      return false;
    }
    pos += 11;
    if (!ReadClock(line, pos, ',', hour, minute, second, micros)) return false;
    stamp.time =
        ToUtc(CivilToSeconds(year, month, day, hour, minute, second), micros, nullptr, context);
    stamp.text = line.substr(start, pos - start);
    stamp.zone = ZoneName(context);
    stamp.end = pos;
    stamp.format = Format::kProftpd;
    return true;
  }

  // "Nov 26 13:02:11[.123]" or asctime's "Fri Jan 19 12:20:33 2007".
  const size_t start = pos;
  const bool asctime = IsWeekday(line, pos) && At(line, pos + 3) == ' ';
  if (asctime) pos += 4;
  const int month = MonthOf(line, pos);
  if (month == 0 || At(line, pos + 3) != ' ') return false;
  pos += 4;
  int day, hour, minute, second;
  int32_t micros;
  if (!ReadDay(line, pos, day)) return false;
  const size_t clock_at = pos;
  if (!ReadClock(line, pos, '.', hour, minute, second, micros)) return false;
  int year;
  if (asctime) {
    if (At(line, pos) != ' ' || !Digits(line, pos + 1, 4, year)) return false;
    pos += 5;
  } else {
    // No year in the stamp: the file's, or the year before for a later month.
    year = month > context.month ? context.year - 1 : context.year;
  }
  if (!ValidDate(year, month, day)) return false;
  const int64_t local = CivilToSeconds(year, month, day, hour, minute, second);
  // Only a stamp at the very start of its line, so the bytes before the
  // seconds are all a later line needs to match to read as the same minute.
  if (!asctime && start == 0) RememberMinute(line.substr(0, clock_at + 6), context, local - second);
  stamp.time = ToUtc(local, micros, nullptr, context);
  stamp.text = line.substr(start, pos - start);
  stamp.zone = ZoneName(context);
  stamp.end = pos;
  stamp.format = asctime ? Format::kAsctime : Format::kRfc3164;
  return true;
}

}  // namespace irk::logs::syslog_stamp
