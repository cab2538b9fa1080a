#include "logs/timezone.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

namespace irk::logs {
namespace {

// RFC 9636 §3.2 asks readers to accept UT offsets in this range only.
constexpr int32_t kMinOffset = -89999;
constexpr int32_t kMaxOffset = 93599;
constexpr int64_t kLocalLimit = 1'000'000'000'000'000;  // ±10^15 s, about ±31 million years
constexpr size_t kMaxTzifBytes = 1 << 20;               // the largest real TZif is ~100 KiB
constexpr int kMaxLinks = 8;

bool IsLeapYear(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// The year of a day counted from the epoch.
int64_t YearOfDays(int64_t days) { return CivilFromDays(days).year; }

// Reads big-endian TZif fields from `bytes`; the caller has checked the size.
int64_t ReadBigEndian(std::string_view bytes, size_t pos, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value = value << 8 | static_cast<uint8_t>(bytes[pos + i]);
  if (width == 4) return static_cast<int32_t>(static_cast<uint32_t>(value));
  return static_cast<int64_t>(value);
}

// The counts of one TZif header (RFC 9636 §3.1), in file order.
struct TzifCounts {
  uint64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;

  uint64_t BlockSize(uint64_t time_size) const {
    return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

constexpr size_t kHeaderSize = 44;

// A small cursor over a POSIX TZ string.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool Take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool IsDigit() const { return peek() >= '0' && peek() <= '9'; }
  // A decimal number of at most `max_digits` digits.
  std::optional<int> Number(int max_digits) {
    if (!IsDigit()) return std::nullopt;
    int value = 0;
    for (int i = 0; i < max_digits && IsDigit(); ++i) value = value * 10 + (text_[pos_++] - '0');
    if (IsDigit()) return std::nullopt;
    return value;
  }
  // A zone abbreviation: three or more letters, or "<" letters, digits, '+'
  // and '-' ">" with three or more inside.
  bool Name() {
    size_t count = 0;
    if (Take('<')) {
      while (!done() && peek() != '>') {
        const char c = peek();
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-')) return false;
        ++pos_;
        ++count;
      }
      return Take('>') && count >= 3;
    }
    while (!done() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z'))) {
      ++pos_;
      ++count;
    }
    return count >= 3;
  }
  // [+-]h[h...][:mm[:ss]] with hours up to `max_hours`, in seconds.
  std::optional<int32_t> Duration(int max_hours) {
    int sign = 1;
    if (Take('-')) {
      sign = -1;
    } else {
      Take('+');
    }
    const auto hours = Number(3);
    if (!hours || *hours > max_hours) return std::nullopt;
    int32_t seconds = *hours * 3600;
    if (Take(':')) {
      const auto minutes = Number(2);
      if (!minutes || *minutes > 59) return std::nullopt;
      seconds += *minutes * 60;
      if (Take(':')) {
        const auto secs = Number(2);
        if (!secs || *secs > 59) return std::nullopt;
        seconds += *secs;
      }
    }
    return sign * seconds;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// The zone's name from a link target: the part after "zoneinfo/" without a
// "posix/" in front ("../usr/share/zoneinfo/Europe/Berlin" is
// "Europe/Berlin"), or the target as written when it names no zoneinfo.
std::string ZoneNameFromTarget(std::string_view target) {
  const size_t at = target.rfind("zoneinfo/");
  if (at == std::string_view::npos) return std::string(target);
  std::string_view name = target.substr(at + 9);
  if (name.starts_with("posix/")) name.remove_prefix(6);
  return std::string(name);
}

// "/etc/localtime" with target "../usr/x" is "/etc/../usr/x", which the root
// resolves inside itself.
std::string ResolveTarget(std::string_view link, std::string_view target) {
  if (target.starts_with('/')) return std::string(target);
  return std::string(link.substr(0, link.rfind('/') + 1)) + std::string(target);
}

// Reads the file at `path`, following up to kMaxLinks links inside the root.
// `first_target` gets the first link's target, or stays empty.
Result<std::string> ReadFollowingLinks(const Root& root, std::string path,
                                       std::string& first_target) {
  for (int i = 0; i < kMaxLinks; ++i) {
    auto target = root.ReadLink(path);
    if (!target.ok()) break;
    if (first_target.empty()) first_target = *target;
    path = ResolveTarget(path, *target);
  }
  return root.ReadFile(path, kMaxTzifBytes);
}

// A zone name as /etc/timezone gives it, fit to join under zoneinfo/.
bool IsSafeZoneName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.starts_with('/') ||
      name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
           c == '+' || c == '.';
  });
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

TimeZone TimeZone::Utc() {
  TimeZone zone;
  zone.name_ = "UTC";
  return zone;
}

TimeZone TimeZone::Fixed(int offset_seconds) {
  TimeZone zone;
  zone.initial_offset_ = std::clamp(offset_seconds, -26 * 3600, 26 * 3600);
  const int magnitude = std::abs(zone.initial_offset_);
  zone.name_ = fmt::format("{}{:02}:{:02}", zone.initial_offset_ < 0 ? '-' : '+', magnitude / 3600,
                           magnitude / 60 % 60);
  if (magnitude % 60 != 0) zone.name_ += fmt::format(":{:02}", magnitude % 60);
  return zone;
}

Result<TimeZone> TimeZone::FromTzif(std::string_view bytes, std::string name) {
  const auto fail = [&name](uint64_t at, std::string_view what) {
    return Fail(fmt::format("tzif {}: at byte {}: {}", name, at, what));
  };
  const auto read_header = [&](size_t at, char& version) -> Result<TzifCounts> {
    if (bytes.size() - at < kHeaderSize) {
      return fail(at,
                  fmt::format("header needs {} bytes, {} left", kHeaderSize, bytes.size() - at));
    }
    if (bytes.substr(at, 4) != "TZif") return fail(at, "no TZif magic");
    version = bytes[at + 4];
    if (version != '\0' && (version < '2' || version > '9')) {
      return fail(at + 4, "unknown version byte");
    }
    uint64_t c[6];
    for (size_t i = 0; i < 6; ++i) {
      c[i] = static_cast<uint32_t>(ReadBigEndian(bytes, at + 20 + 4 * i, 4));
    }
    return TzifCounts{c[0], c[1], c[2], c[3], c[4], c[5]};
  };

  char version = '\0';
  auto v1 = read_header(0, version);
  if (!v1.ok()) return v1.error();
  size_t at = kHeaderSize;
  uint64_t time_size = 4;
  TzifCounts counts = *v1;
  if (version != '\0') {
    // Version 2 and later: skip the 32-bit block, read the 64-bit one.
    const uint64_t v1_size = v1->BlockSize(4);
    if (v1_size > bytes.size() - at) {
      return fail(
          at, fmt::format("version 1 data needs {} bytes, {} left", v1_size, bytes.size() - at));
    }
    at += v1_size;
    char version2 = '\0';
    auto v2 = read_header(at, version2);
    if (!v2.ok()) return v2.error();
    counts = *v2;
    at += kHeaderSize;
    time_size = 8;
  }
  const size_t block = at;
  if (counts.typecnt == 0) return fail(block - kHeaderSize + 36, "no local time types");
  if (counts.charcnt == 0) return fail(block - kHeaderSize + 40, "no designation characters");
  if ((counts.isutcnt != 0 && counts.isutcnt != counts.typecnt) ||
      (counts.isstdcnt != 0 && counts.isstdcnt != counts.typecnt)) {
    return fail(block - kHeaderSize + 20, "UT/standard indicator counts differ from type count");
  }
  const uint64_t size = counts.BlockSize(time_size);
  if (size > bytes.size() - at) {
    return fail(at, fmt::format("{} transitions and {} types need {} bytes, {} left",
                                counts.timecnt, counts.typecnt, size, bytes.size() - at));
  }

  TimeZone zone;
  const size_t times_at = at;
  const size_t indices_at = times_at + counts.timecnt * time_size;
  const size_t types_at = indices_at + counts.timecnt;
  std::vector<int32_t> type_offsets(counts.typecnt);
  for (size_t i = 0; i < counts.typecnt; ++i) {
    const size_t type_at = types_at + 6 * i;
    const auto offset = static_cast<int32_t>(ReadBigEndian(bytes, type_at, 4));
    if (offset < kMinOffset || offset > kMaxOffset) {
      return fail(type_at, fmt::format("UT offset {} out of range", offset));
    }
    if (static_cast<uint8_t>(bytes[type_at + 4]) > 1) return fail(type_at + 4, "bad isdst");
    if (static_cast<uint8_t>(bytes[type_at + 5]) >= counts.charcnt) {
      return fail(type_at + 5, "designation index past the characters");
    }
    type_offsets[i] = offset;
  }
  zone.initial_offset_ = type_offsets[0];
  zone.transitions_.reserve(counts.timecnt);
  zone.offsets_.reserve(counts.timecnt);
  for (size_t i = 0; i < counts.timecnt; ++i) {
    const int64_t time = ReadBigEndian(bytes, times_at + i * time_size, time_size);
    if (!zone.transitions_.empty() && time <= zone.transitions_.back()) {
      return fail(times_at + i * time_size, "transition times not ascending");
    }
    const auto type = static_cast<uint8_t>(bytes[indices_at + i]);
    if (type >= counts.typecnt) return fail(indices_at + i, "transition type out of range");
    zone.transitions_.push_back(time);
    zone.offsets_.push_back(type_offsets[type]);
  }
  at += size;

  if (version != '\0' && at < bytes.size()) {
    // The footer: "\n" TZ string "\n".
    if (bytes[at] != '\n') return fail(at, "footer does not start with a newline");
    const size_t end = bytes.find('\n', at + 1);
    if (end == std::string_view::npos) return fail(at, "footer does not end with a newline");
    const std::string_view tz = bytes.substr(at + 1, end - at - 1);
    if (!tz.empty()) {
      zone.rule_ = ParsePosixRule(tz);
      if (!zone.rule_) return fail(at + 1, "footer is no POSIX TZ string I understand");
    }
  }
  zone.name_ = std::move(name);  // last: every failure above names it
  return zone;
}

std::optional<TimeZone::PosixRule> TimeZone::ParsePosixRule(std::string_view text) {
  Scanner scan(text);
  PosixRule rule;
  if (!scan.Name()) return std::nullopt;
  const auto std_west = scan.Duration(24);
  if (!std_west) return std::nullopt;
  rule.std_offset = -*std_west;
  if (scan.done()) return rule;
  if (!scan.Name()) return std::nullopt;
  rule.has_dst = true;
  rule.dst_offset = rule.std_offset + 3600;
  if (scan.IsDigit() || scan.peek() == '+' || scan.peek() == '-') {
    const auto dst_west = scan.Duration(24);
    if (!dst_west) return std::nullopt;
    rule.dst_offset = -*dst_west;
  }
  if (scan.done()) {
    // No dates: the rule tzcode assumes, the United States' since 2007.
    rule.start = RuleDate{RuleDate::Kind::kMonthWeekDay, 0, 3, 2, 0, 7200};
    rule.end = RuleDate{RuleDate::Kind::kMonthWeekDay, 0, 11, 1, 0, 7200};
    return rule;
  }
  const auto read_date = [&scan](RuleDate& date) {
    if (!scan.Take(',')) return false;
    if (scan.Take('J')) {
      const auto day = scan.Number(3);
      if (!day || *day < 1 || *day > 365) return false;
      date.kind = RuleDate::Kind::kJulian1;
      date.day = *day;
    } else if (scan.Take('M')) {
      const auto month = scan.Number(2);
      if (!month || *month < 1 || *month > 12 || !scan.Take('.')) return false;
      const auto week = scan.Number(1);
      if (!week || *week < 1 || *week > 5 || !scan.Take('.')) return false;
      const auto weekday = scan.Number(1);
      if (!weekday || *weekday > 6) return false;
      date.kind = RuleDate::Kind::kMonthWeekDay;
      date.month = *month;
      date.week = *week;
      date.weekday = *weekday;
    } else {
      const auto day = scan.Number(3);
      if (!day || *day > 365) return false;
      date.kind = RuleDate::Kind::kJulian0;
      date.day = *day;
    }
    date.time = 7200;
    if (scan.Take('/')) {
      const auto time = scan.Duration(167);
      if (!time) return false;
      date.time = *time;
    }
    return true;
  };
  if (!read_date(rule.start) || !read_date(rule.end) || !scan.done()) return std::nullopt;
  return rule;
}

int64_t TimeZone::RuleDateDays(const RuleDate& date, int64_t year) {
  const int64_t jan1 = CivilToSeconds(year, 1, 1, 0, 0, 0) / 86400;
  switch (date.kind) {
    case RuleDate::Kind::kJulian1:
      return jan1 + date.day - 1 + (IsLeapYear(year) && date.day >= 60 ? 1 : 0);
    case RuleDate::Kind::kJulian0:
      return jan1 + date.day;
    case RuleDate::Kind::kMonthWeekDay: {
      const int64_t first = CivilToSeconds(year, date.month, 1, 0, 0, 0) / 86400;
      const int64_t first_weekday = ((first + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
      int64_t day = 1 + (date.weekday - first_weekday + 7) % 7 + (date.week - 1) * 7;
      while (day > DaysInMonth(year, date.month)) day -= 7;
      return first + day - 1;
    }
  }
  return jan1;
}

int32_t TimeZone::RuleOffsetAt(const PosixRule& rule, int64_t utc_seconds) const {
  if (!rule.has_dst) return rule.std_offset;
  const int64_t year = YearOfDays(FloorDiv(utc_seconds + rule.std_offset, 86400));
  const int64_t start = RuleDateDays(rule.start, year) * 86400 + rule.start.time - rule.std_offset;
  const int64_t end = RuleDateDays(rule.end, year) * 86400 + rule.end.time - rule.dst_offset;
  const bool dst = start < end ? (utc_seconds >= start && utc_seconds < end)
                               : !(utc_seconds >= end && utc_seconds < start);
  return dst ? rule.dst_offset : rule.std_offset;
}

int32_t TimeZone::OffsetAt(int64_t utc_seconds) const {
  // Beyond ±10^15 s the offset at the bound, so the rule's arithmetic cannot overflow.
  const int64_t utc = std::clamp(utc_seconds, -kLocalLimit, kLocalLimit);
  if (transitions_.empty() || utc >= transitions_.back()) {
    if (rule_) return RuleOffsetAt(*rule_, utc);
    return transitions_.empty() ? initial_offset_ : offsets_.back();
  }
  if (utc < transitions_.front()) return initial_offset_;
  const auto next = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  return offsets_[static_cast<size_t>(next - transitions_.begin()) - 1];
}

int64_t TimeZone::LocalToUtc(int64_t local_seconds) const {
  const int64_t local = std::clamp(local_seconds, -kLocalLimit, kLocalLimit);
  // Every UTC instant that reads as `local` lies within a day and two hours
  // of it; with at most one change of offset in that window, the offsets on
  // either side are the only candidates.
  constexpr int64_t kWindow = 27 * 3600;
  const int32_t before = OffsetAt(local - kWindow);
  const int32_t after = OffsetAt(local + kWindow);
  if (before == after) return local - before;
  if (OffsetAt(local - before) == before) return local - before;
  if (OffsetAt(local - after) == after) return local - after;
  return local - before;  // skipped by the change: read with the old offset
}

Result<TimeZone> TimeZone::Load(const Root& root) {
  std::string target;
  auto localtime = ReadFollowingLinks(root, "/etc/localtime", target);
  auto timezone_file = root.ReadFile("/etc/timezone", 4096);
  const std::string_view named = timezone_file.ok() ? Trim(*timezone_file) : std::string_view();
  if (localtime.ok()) {
    std::string name = !target.empty()         ? ZoneNameFromTarget(target)
                       : IsSafeZoneName(named) ? std::string(named)
                                               : std::string("localtime");
    auto zone = FromTzif(*localtime, std::move(name));
    if (!zone.ok()) return zone.error().Wrap(root.HostPath("/etc/localtime"));
    return zone;
  }
  std::string why = localtime.error().message;
  if (timezone_file.ok()) {
    if (!IsSafeZoneName(named)) {
      why += fmt::format("; {}: not a zone name", root.HostPath("/etc/timezone"));
    } else {
      const std::string path = "/usr/share/zoneinfo/" + std::string(named);
      std::string ignored;
      auto bytes = ReadFollowingLinks(root, path, ignored);
      if (bytes.ok()) {
        auto zone = FromTzif(*bytes, std::string(named));
        if (!zone.ok()) return zone.error().Wrap(root.HostPath(path));
        return zone;
      }
      why += "; " + bytes.error().message;
    }
  } else {
    why += "; " + timezone_file.error().message;
  }
  TimeZone zone = Utc();
  zone.note_ = fmt::format("no time zone found ({}): assuming UTC", why);
  return zone;
}

}  // namespace irk::logs
