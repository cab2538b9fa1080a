// The stamp at the start of a log line, in each format ParseLogLine frames
// (syslog_line.h), and the byte tests the rest of the line's framing shares.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/time.h"
#include "logs/syslog_line.h"

namespace irk::logs::syslog_stamp {

inline constexpr size_t kMaxPriority = 32;  // "<authpriv.warning>"

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
// The byte at `pos`, or NUL past the end.
inline char At(std::string_view s, size_t pos) { return pos < s.size() ? s[pos] : '\0'; }

enum class Format { kRfc3164, kRfc5424, kIso, kAsctime, kProftpd };

// A stamp read from the start of a line.
struct Stamp {
  Timestamp time;
  std::string_view text;
  std::string_view zone;
  size_t end = 0;  // just past the stamp
  Format format = Format::kRfc3164;
};

// "<authpriv.info>", "<4.6>" (FreeBSD syslogd -v) or, when `numeric_alone`,
// "<38>" at `pos`; returns the position after it, or `pos` when absent.
size_t SkipPriority(std::string_view s, size_t pos, bool numeric_alone);

// Reads the stamp at the start of `line`, skipping a leading priority, as
// ParseLogLine's contract says, into `stamp`; false when there is none. Each thread
// notes the minute of the last RFC 3164 stamp it read, so a stamp with the
// same text up to its seconds reads only those: the answer is the same.
bool ReadStamp(std::string_view line, const StampContext& context, Stamp& stamp);

}  // namespace irk::logs::syslog_stamp
