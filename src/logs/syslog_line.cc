#include "logs/syslog_line.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace irk::logs {
namespace {

constexpr size_t kMaxProgram = 64;
constexpr size_t kMaxHost = 255;
constexpr size_t kMaxProcId = 128;   // RFC 5424 PROCID
constexpr size_t kMaxMsgId = 32;     // RFC 5424 MSGID
constexpr size_t kMaxPriority = 32;  // "<authpriv.warning>"
constexpr std::string_view kBom = "\xEF\xBB\xBF";

enum class Format { kRfc3164, kRfc5424, kIso, kAsctime, kProftpd };

// A stamp read from the start of a line.
struct Stamp {
  Timestamp time;
  std::string_view text;
  std::string_view zone;
  size_t end = 0;  // just past the stamp
  Format format = Format::kRfc3164;
};

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
char At(std::string_view s, size_t pos) { return pos < s.size() ? s[pos] : '\0'; }

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

// A decimal pid: 1 to 19 digits, > 0, fits int64.
std::optional<int64_t> ParsePid(std::string_view digits) {
  if (digits.empty() || digits.size() > 19) return std::nullopt;
  // Eighteen digits always fit; only the nineteenth can overflow.
  int64_t value = 0;
  for (const char c : digits.substr(0, 18)) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (digits.size() == 19) {
    const char c = digits[18];
    if (!IsDigit(c) || value > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value <= 0) return std::nullopt;
  return value;
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

// "<authpriv.info>", "<4.6>" (FreeBSD syslogd -v) or, when `numeric_alone`,
// "<38>" at `pos`; returns the position after it, or `pos` when absent.
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
// ReadStamp would read it; nullopt sends the line to be read in full.
std::optional<Stamp> ReadInLastMinute(std::string_view line, const StampContext& context) {
  const LastMinute& last = last_minute;
  if (last.size == 0 || last.context_year != context.year || last.context_month != context.month ||
      line.size() < last.size + 2 || std::memcmp(line.data(), last.text.data(), last.size) != 0) {
    return std::nullopt;
  }
  size_t pos = last.size;
  if (!IsDigit(line[pos]) || !IsDigit(line[pos + 1])) return std::nullopt;
  const int second = (line[pos] - '0') * 10 + (line[pos + 1] - '0');
  if (second > 60) return std::nullopt;
  pos += 2;
  int32_t micros;
  ReadFraction(line, pos, '.', micros);
  Stamp stamp;
  stamp.time = ToUtc(last.local + second, micros, nullptr, context);
  stamp.text = line.substr(0, pos);
  stamp.zone = ZoneName(context);
  stamp.end = pos;
  stamp.format = Format::kRfc3164;
  return stamp;
}

// Reads the stamp at the start of `line`, skipping a leading priority.
std::optional<Stamp> ReadStamp(std::string_view line, const StampContext& context) {
  if (auto stamp = ReadInLastMinute(line, context)) return stamp;
  Stamp stamp;
  size_t pos = 0;
  if (At(line, 0) == '<') {
    const size_t after = SkipPriority(line, 0, true);
    if (after == 0) return std::nullopt;
    int pri = 0;
    const bool numeric = after - 2 <= 3 && Digits(line, 1, after - 2, pri);
    if (numeric && pri <= 191 && At(line, after) == '1' && At(line, after + 1) == ' ') {
      // RFC 5424; a nil stamp "-" gives no time.
      if (!ReadIsoStamp(line, after + 2, true, context, stamp)) return std::nullopt;
      stamp.format = Format::kRfc5424;
      return stamp;
    }
    if (numeric && pri > 191) return std::nullopt;
    pos = after;
    if (At(line, pos) == ' ') ++pos;
  }

  if (IsDigit(At(line, pos))) {
    if (At(line, pos + 10) == 'T') {
      if (!ReadIsoStamp(line, pos, false, context, stamp)) return std::nullopt;
      stamp.format = Format::kIso;
      return stamp;
    }
    // proftpd: "2026-11-26 13:02:11,123", local time.
    int year, month, day, hour, minute, second;
    int32_t micros;
    const size_t start = pos;
    if (!Digits(line, pos, 4, year) || At(line, pos + 4) != '-' ||
        !Digits(line, pos + 5, 2, month) || At(line, pos + 7) != '-' ||
        !Digits(line, pos + 8, 2, day) || At(line, pos + 10) != ' ' ||
        !ValidDate(year, month, day)) {
      return std::nullopt;
    }
    pos += 11;
    if (!ReadClock(line, pos, ',', hour, minute, second, micros)) return std::nullopt;
    stamp.time =
        ToUtc(CivilToSeconds(year, month, day, hour, minute, second), micros, nullptr, context);
    stamp.text = line.substr(start, pos - start);
    stamp.zone = ZoneName(context);
    stamp.end = pos;
    stamp.format = Format::kProftpd;
    return stamp;
  }

  // "Nov 26 13:02:11[.123]" or asctime's "Fri Jan 19 12:20:33 2007".
  const size_t start = pos;
  const bool asctime = IsWeekday(line, pos) && At(line, pos + 3) == ' ';
  if (asctime) pos += 4;
  const int month = MonthOf(line, pos);
  if (month == 0 || At(line, pos + 3) != ' ') return std::nullopt;
  pos += 4;
  int day, hour, minute, second;
  int32_t micros;
  if (!ReadDay(line, pos, day)) return std::nullopt;
  const size_t clock_at = pos;
  if (!ReadClock(line, pos, '.', hour, minute, second, micros)) return std::nullopt;
  int year;
  if (asctime) {
    if (At(line, pos) != ' ' || !Digits(line, pos + 1, 4, year)) return std::nullopt;
    pos += 5;
  } else {
    // No year in the stamp: the file's, or the year before for a later month.
    year = month > context.month ? context.year - 1 : context.year;
  }
  if (!ValidDate(year, month, day)) return std::nullopt;
  const int64_t local = CivilToSeconds(year, month, day, hour, minute, second);
  // Only a stamp at the very start of its line, so the bytes before the
  // seconds are all a later line needs to match to read as the same minute.
  if (!asctime && start == 0) RememberMinute(line.substr(0, clock_at + 6), context, local - second);
  stamp.time = ToUtc(local, micros, nullptr, context);
  stamp.text = line.substr(start, pos - start);
  stamp.zone = ZoneName(context);
  stamp.end = pos;
  stamp.format = asctime ? Format::kAsctime : Format::kRfc3164;
  return stamp;
}

// The word at `pos`: up to the next space or the end.
std::string_view WordAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return {};
  const size_t end = s.find(' ', pos);
  return s.substr(pos, (end == std::string_view::npos ? s.size() : end) - pos);
}

// The bytes a program name may hold: no space, bracket, colon or control.
constexpr std::array<bool, 256> kProgramByte = [] {
  std::array<bool, 256> allowed{};
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    allowed[byte] = c != ' ' && c != '[' && c != ']' && c != ':' && !IsControl(c);
  }
  return allowed;
}();

bool IsProgramName(std::string_view name) {
  if (name.empty() || name.size() > kMaxProgram) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return kProgramByte[static_cast<unsigned char>(c)]; });
}

bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > kMaxHost) return false;
  return std::none_of(host.begin(), host.end(), [](char c) { return IsControl(c); });
}

struct Tag {
  std::string_view program;
  std::optional<int64_t> pid;
};

// A syslog tag word, "prog[pid]:" or "prog:".
std::optional<Tag> ParseTag(std::string_view word) {
  if (word.size() < 2 || word.back() != ':') return std::nullopt;
  word.remove_suffix(1);
  Tag tag;
  if (word.back() == ']') {
    const size_t open = word.find('[');
    if (open == std::string_view::npos) return std::nullopt;
    tag.pid = ParsePid(word.substr(open + 1, word.size() - open - 2));
    if (!tag.pid) return std::nullopt;
    word = word.substr(0, open);
  }
  if (!IsProgramName(word)) return std::nullopt;
  tag.program = word;
  return tag;
}

// busybox's "auth.info" word before the tag.
bool IsFacilityLevel(std::string_view word) {
  const size_t dot = word.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == word.size() || word.size() > 20) {
    return false;
  }
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (i != dot && !IsLower(c) && !(IsDigit(c) && i < dot)) return false;
  }
  return true;
}

// Solaris's "[ID 800047 auth.info] " before the message, or nothing.
std::string_view StripSolarisId(std::string_view message) {
  if (!message.starts_with("[ID ")) return message;
  size_t pos = 4;
  const size_t digits_at = pos;
  while (IsDigit(At(message, pos)) && pos - digits_at < 12) ++pos;
  if (pos == digits_at || At(message, pos) != ' ') return message;
  const size_t close = message.find(']', pos + 1);
  if (close == std::string_view::npos || close - pos > kMaxPriority ||
      !IsFacilityLevel(message.substr(pos + 1, close - pos - 1))) {
    return message;
  }
  if (At(message, close + 1) == ' ') return message.substr(close + 2);
  return message.substr(close + 1);
}

// After an RFC 3164 or ISO stamp: "[<f.l> ][host ][f.l ]prog[pid]: msg".
std::optional<LineHeader> ParseSyslogTail(std::string_view line, size_t pos, LineHeader header) {
  if (At(line, pos) != ' ') return std::nullopt;
  pos = SkipPriority(line, pos + 1, false);
  if (At(line, pos) == ' ') ++pos;
  std::string_view word = WordAt(line, pos);
  std::optional<Tag> tag = ParseTag(word);
  if (!tag) {
    if (!IsHostName(word)) return std::nullopt;
    header.host = word;
    pos += word.size() + 1;
    word = WordAt(line, pos);
    tag = ParseTag(word);
    if (!tag && IsFacilityLevel(word) && pos + word.size() < line.size()) {
      pos += word.size() + 1;
      word = WordAt(line, pos);
      tag = ParseTag(word);
    }
    if (!tag) return std::nullopt;
  }
  pos += word.size();
  if (pos < line.size()) ++pos;  // the space after the tag
  header.program = tag->program;
  header.pid = tag->pid;
  header.message = StripSolarisId(line.substr(pos));
  return header;
}

// After an RFC 5424 stamp: " HOST APP PROCID MSGID SD[ MSG]".
std::optional<LineHeader> Parse5424Tail(std::string_view line, size_t pos, LineHeader header) {
  std::string_view fields[4];
  static constexpr size_t kMax[4] = {kMaxHost, kMaxProgram, kMaxProcId, kMaxMsgId};
  for (size_t i = 0; i < 4; ++i) {
    if (At(line, pos) != ' ') return std::nullopt;
    fields[i] = WordAt(line, pos + 1);
    if (fields[i].empty() || fields[i].size() > kMax[i]) return std::nullopt;
    pos += 1 + fields[i].size();
  }
  if (fields[0] != "-") {
    if (!IsHostName(fields[0])) return std::nullopt;
    header.host = fields[0];
  }
  if (fields[1] != "-") {
    if (!IsProgramName(fields[1])) return std::nullopt;
    header.program = fields[1];
  }
  header.pid = ParsePid(fields[2]);  // a procid that is no pid leaves it unset
  if (At(line, pos) != ' ') return std::nullopt;
  ++pos;
  if (At(line, pos) == '-') {
    ++pos;
  } else if (At(line, pos) == '[') {
    // Structured data: elements "[id k="v"]" back to back; inside quotes a
    // backslash escapes the next byte, so '\"' and '\]' do not end anything.
    while (At(line, pos) == '[') {
      ++pos;
      bool quoted = false;
      while (true) {
        if (pos >= line.size()) return std::nullopt;
        const char c = line[pos++];
        if (quoted) {
          if (c == '\\') {
            ++pos;
          } else if (c == '"') {
            quoted = false;
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ']') {
          break;
        }
      }
    }
  } else {
    return std::nullopt;
  }
  if (pos < line.size()) {
    if (line[pos] != ' ') return std::nullopt;
    ++pos;
  }
  std::string_view message = line.substr(std::min(pos, line.size()));
  if (message.starts_with(kBom)) message.remove_prefix(kBom.size());
  header.message = message;
  return header;
}

// After proftpd's stamp: " host prog[pid] msg".
std::optional<LineHeader> ParseProftpdTail(std::string_view line, size_t pos, LineHeader header) {
  if (At(line, pos) != ' ') return std::nullopt;
  ++pos;
  const std::string_view host = WordAt(line, pos);
  if (!IsHostName(host)) return std::nullopt;
  pos += host.size() + 1;
  const std::string_view word = WordAt(line, pos);
  if (word.empty() || word.back() != ']') return std::nullopt;
  const size_t open = word.find('[');
  if (open == std::string_view::npos || !IsProgramName(word.substr(0, open))) {
    return std::nullopt;
  }
  header.pid = ParsePid(word.substr(open + 1, word.size() - open - 2));
  if (!header.pid) return std::nullopt;
  header.host = host;
  header.program = word.substr(0, open);
  pos += word.size();
  if (pos < line.size()) ++pos;
  header.message = line.substr(pos);
  return header;
}

// After asctime's stamp: vsftpd's " [pid N] msg" or xferlog's " 1 192.0.2.5 …".
std::optional<LineHeader> ParseAsctimeTail(std::string_view line, size_t pos, LineHeader header) {
  if (At(line, pos) != ' ') return std::nullopt;
  ++pos;
  const std::string_view rest = line.substr(pos);
  if (rest.starts_with("[pid ")) {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    header.pid = ParsePid(rest.substr(5, close - 5));
    if (!header.pid || (close + 1 < rest.size() && rest[close + 1] != ' ')) return std::nullopt;
    header.program = "vsftpd";
    header.message = rest.substr(std::min(close + 2, rest.size()));
    return header;
  }
  if (!IsDigit(At(rest, 0))) return std::nullopt;  // xferlog starts with the transfer time
  header.program = "xferlog";
  header.message = rest;
  return header;
}

}  // namespace

std::optional<LineHeader> ParseLogLine(std::string_view line, const StampContext& context) {
  const std::optional<Stamp> stamp = ReadStamp(line, context);
  if (!stamp) return std::nullopt;
  LineHeader header;
  header.time = stamp->time;
  header.time_text = stamp->text;
  header.zone = stamp->zone;
  switch (stamp->format) {
    case Format::kRfc3164:
    case Format::kIso:
      return ParseSyslogTail(line, stamp->end, header);
    case Format::kRfc5424:
      return Parse5424Tail(line, stamp->end, header);
    case Format::kAsctime:
      return ParseAsctimeTail(line, stamp->end, header);
    case Format::kProftpd:
      return ParseProftpdTail(line, stamp->end, header);
  }
  return std::nullopt;
}

std::optional<Timestamp> ParseLineStamp(std::string_view line, const StampContext& context) {
  const std::optional<Stamp> stamp = ReadStamp(line, context);
  if (!stamp) return std::nullopt;
  return stamp->time;
}

}  // namespace irk::logs
