// Time as irk keeps it: seconds since the epoch in UTC inside, RFC 3339 text
// outside, and a clock seam so tests can fix "now".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace irk {

// Seconds and microseconds since 1970-01-01T00:00:00Z.
struct Timestamp {
  int64_t seconds = 0;
  int32_t micros = 0;  // 0 to 999999

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// Seconds since the epoch of the civil time year-month-day hour:minute:second
// read as UTC (proleptic Gregorian). No range check: the caller validates.
int64_t CivilToSeconds(int64_t year, int month, int day, int hour, int minute, int second);

// The civil date of a day counted from 1970-01-01 (day 0).
struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;    // 1-31
};
CivilDate CivilFromDays(int64_t days);

// "2026-11-26T13:02:11+00:00" (with ".123456" when `with_micros`).
std::string FormatRfc3339(Timestamp t, bool with_micros = false);

// The most bytes WriteRfc3339 writes.
inline constexpr size_t kMaxRfc3339 = 40;

// Writes FormatRfc3339(t) at `out`, which has room for kMaxRfc3339 bytes,
// and returns the end, without allocating: for hot paths that stamp
// millions of lines.
char* WriteRfc3339(char* out, Timestamp t);

// Appends FormatRfc3339(t) to `out`, as WriteRfc3339.
void AppendRfc3339(std::string& out, Timestamp t);

// "2026-11-26 13:02" for tables, in UTC.
std::string FormatShort(Timestamp t);

// "3d4h", "2h05m", "42s": a duration for a column; negative durations are "-".
std::string FormatDuration(int64_t seconds);

// Parses what FormatRfc3339 writes, with any offset ("Z" too); nullopt if
// `text` is not such a stamp.
std::optional<Timestamp> ParseRfc3339(std::string_view text);

// A duration as people type it: "90s", "30m", "2h", "7d", "1w", or a bare
// number of seconds; nullopt for anything else (negative, overflowing).
std::optional<int64_t> ParseDuration(std::string_view text);

// A point in time as an operator gives one on the command line, all in UTC:
// RFC 3339 with an offset; "2026-11-26", "2026-11-26 13:02" or
// "2026-11-26T13:02:11" (UTC); "now"; or a duration meaning that long before
// `now` ("2h" is two hours ago). nullopt for anything else.
std::optional<Timestamp> ParseTimeArgument(std::string_view text, Timestamp now);

// The current time. Tests replace it through SetClockForTesting.
Timestamp Now();
void SetClockForTesting(std::function<Timestamp()> clock);

}  // namespace irk
