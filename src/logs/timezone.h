// The time zone of the examined system, read from its own TZif files, so a
// log stamp without an offset ("Nov 26 13:02:11") becomes UTC the way that
// system meant it, whatever zone the examining host runs in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "core/time.h"

namespace irk::logs {

// A zone: a fixed offset, or a TZif file's transitions and its POSIX TZ rule
// for the times after the last transition. Immutable once made; copyable.
class TimeZone {
 public:
  // Offset 0, named "UTC".
  static TimeZone Utc();
  // `offset_seconds` east of UTC (Berlin in summer: 7200), named like
  // "+02:00" or "-04:30" ("+00:00:30" when seconds are not whole minutes).
  // Offsets beyond ±26 hours are clamped to it.
  static TimeZone Fixed(int offset_seconds);

  // Parses TZif `bytes` (RFC 9636, versions 1 to 4). From a version 2 or
  // later file the 64-bit block and the TZ footer are used; the footer rule
  // ("CET-1CEST,M3.5.0,M10.5.0/3": Jn, n and Mm.w.d dates, /time up to
  // ±167 hours, <+0330>-style quoted names) gives the offsets after the last
  // transition. Leap-second records are skipped (times are POSIX seconds).
  // Every count is checked against the bytes left before it is used, so
  // hostile input costs at most its own size; a truncated or inconsistent
  // file is an error naming the byte offset: "tzif Europe/Berlin: at byte
  // 98: 9 transitions and 2 types need 97 bytes, 12 left". `name` becomes
  // name().
  static Result<TimeZone> FromTzif(std::string_view bytes, std::string name);

  // The zone of the system under `root`:
  // 1. /etc/localtime: a symbolic link (followed inside the root, up to 8
  //    links) to a TZif file, named by the part of the target after
  //    "zoneinfo/" ("Europe/Berlin"); or a TZif file itself, named by
  //    /etc/timezone when that exists, else "localtime".
  // 2. else the name in /etc/timezone, read from /usr/share/zoneinfo/<name>
  //    (a name with "..", a leading '/' or odd bytes is refused);
  // 3. else UTC, with note() saying why.
  // A zone file that is found but is not valid TZif is an error rather than
  // a silent UTC: stamps would be off by hours.
  static Result<TimeZone> Load(const Root& root);

  // The UTC instant of a local wall-clock time (seconds since the epoch as
  // if the local time were UTC). Around a change of offset it picks the
  // offset that was in force before the change, the earlier one:
  // - an ambiguous time (the hour repeated when clocks go back) is the
  //   first of the two instants: Berlin's 2026-10-25 02:30 is 00:30 UTC;
  // - a skipped time (the hour that never was when clocks go forward) is
  //   read with the old offset: Berlin's 2026-03-29 02:30 is 01:30 UTC.
  // Assumes changes of offset at least two days apart, true of every zone
  // in use; inputs beyond ±10^15 seconds use the offset at that bound.
  int64_t LocalToUtc(int64_t local_seconds) const;

  // Seconds east of UTC in force at the UTC instant `utc_seconds`.
  int32_t OffsetAt(int64_t utc_seconds) const;

  // "Europe/Berlin", "UTC", "+02:00": what LineHeader::zone shows for a
  // stamp read in this zone. Valid as long as this object.
  std::string_view name() const { return name_; }
  // Empty, or why Load fell back to UTC ("no time zone found (open
  // /mnt/img/etc/localtime: No such file or directory; …): assuming UTC").
  std::string_view note() const { return note_; }

 private:
  // A date of a POSIX TZ rule.
  struct RuleDate {
    enum class Kind { kJulian1, kJulian0, kMonthWeekDay };  // "Jn", "n", "Mm.w.d"
    Kind kind = Kind::kMonthWeekDay;
    int day = 0;  // Jn: 1-365, Feb 29 never counted; n: 0-365
    int month = 1, week = 1, weekday = 0;
    int32_t time = 7200;  // seconds after local midnight, -167h to 167h
  };
  // The POSIX TZ string of a TZif footer.
  struct PosixRule {
    int32_t std_offset = 0;  // seconds east of UTC
    bool has_dst = false;
    int32_t dst_offset = 0;
    RuleDate start, end;  // start in standard time, end in daylight time
  };

  TimeZone() = default;
  static std::optional<PosixRule> ParsePosixRule(std::string_view text);
  static int64_t RuleDateDays(const RuleDate& date, int64_t year);
  int32_t RuleOffsetAt(const PosixRule& rule, int64_t utc_seconds) const;

  std::string name_;
  std::string note_;
  int32_t initial_offset_ = 0;        // before the first transition (time type 0)
  std::vector<int64_t> transitions_;  // UTC seconds, strictly ascending
  std::vector<int32_t> offsets_;      // in force from transitions_[i] on
  std::optional<PosixRule> rule_;     // after the last transition, when the footer gives one
};

}  // namespace irk::logs
