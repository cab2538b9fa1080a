// The header of one log line: when, which host, which program and pid, and
// the message after it. Every line format (RFC 3164 and its variants,
// RFC 5424, ISO-8601 stamps, the daemons' own files) and the journal give
// one, so the service parsers see only the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.h"
#include "logs/timezone.h"

namespace irk::logs {

struct LineHeader {
  Timestamp time;              // UTC
  std::string_view time_text;  // the stamp as written
  std::string_view zone;       // the zone the stamp gave or that was assumed: "+02:00", "UTC"
  std::string_view host;       // "" when the format has none
  std::string_view program;    // "sshd", "sshd-session", "vsftpd", "CRON", …
  std::optional<int64_t> pid;
  std::string_view message;  // the rest of the line, after "program[pid]: "
};

// What a line's stamp needs from outside the line.
struct StampContext {
  int year;              // of the file's mtime in `zone`, for stamps without a year
  int month;             // of the file's mtime in `zone`, 1-12
  const TimeZone* zone;  // for stamps without an offset; nullptr reads them as UTC
};

// Frames one log line (without its newline) into a LineHeader. Each line's
// format is detected by itself; the fields are views into `line`, except
// `zone`, which may view context.zone->name() (and so lives as long as it),
// and the program names "vsftpd" and "xferlog", which are static.
// Formats, with what becomes of them:
// - RFC 3164: "Nov 26 13:02:11 host prog[pid]: msg", "Nov  6 …", fraction
//   "13:02:11.123", no host ("Nov 26 13:02:11 prog[pid]: msg": a first word
//   that is a tag ending in ':' is the program), no pid ("host prog: msg");
//   with "<PRI>" or FreeBSD's "<4.6>"/"<auth.info>" at the start or after
//   the stamp; busybox's "host auth.info prog[pid]: msg" (the facility.level
//   word is skipped); Solaris's "[ID 800047 auth.info] " at the start of the
//   message (stripped). The stamp has no year: it is context.year, but a
//   month after context.month means the year before (a file last written in
//   January holds December's lines, so "Dec 31" read with month 1 is last
//   year's). Local time in context.zone, whose name is the `zone`.
// - RFC 5424: "<38>1 2019-07-08T17:40:16.954167-04:00 host app procid msgid
//   [sd…] msg"; "-" leaves host or program empty and pid unset, as does a
//   procid that is no pid; structured data is skipped (quoted values with
//   \", \] and \\ inside); a BOM before msg is dropped. A nil stamp "-" is
//   no line (nullopt): there is no time to give it.
// - ISO 8601 (rsyslog's file format, journalctl -o short-iso):
//   "2026-11-26T13:02:11[.ffffff][Z|+01:00|+0100] host prog[pid]: msg", the
//   rest as in RFC 3164; without an offset, local time in context.zone.
// - vsftpd.log: "Fri Jan 19 12:20:33 2007 [pid 27202] msg": program
//   "vsftpd", no host; local time.
// - proftpd.log: "2026-11-26 13:02:11,123 host proftpd[1234] msg": the
//   message starts after "] " (with the server name); local time.
// - xferlog: "Thu Jan 18 12:20:33 2007 1 192.0.2.5 …": program "xferlog",
//   no host or pid, the message is everything after the year; local time.
// `zone` is the offset as written ("-04:00", "+0100", "Z") or the zone's
// name when the stamp gave none. A program name is 1 to 64 bytes without
// spaces, controls, '[', ']' or ':'; a pid is decimal, > 0 and fits int64;
// a host is 1 to 255 bytes without controls. Anything else, and any line
// that fits no format (a bare stamp, "-- MARK --" lines, an empty line), is
// nullopt. Allocation-free and linear in the line's length; its answer
// depends on its arguments alone (each thread notes the last minute it read,
// which makes the lines of that minute quicker to read, not different).
std::optional<LineHeader> ParseLogLine(std::string_view line, const StampContext& context);
// ParseLogLine into `header`, for the readers' loops: false for nullopt, when
// `header` holds nothing to use.
bool FrameLogLine(std::string_view line, const StampContext& context, LineHeader& header);

// Only the time of `line`, read as ParseLogLine reads it (so its value is
// ParseLogLine(line)->time whenever that is set), for readers that skip
// whole files by their first and last stamps. nullopt when the line starts
// with no stamp of the formats above.
std::optional<Timestamp> ParseLineStamp(std::string_view line, const StampContext& context);

}  // namespace irk::logs
