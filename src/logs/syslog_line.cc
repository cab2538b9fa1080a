#include "logs/syslog_line.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "logs/syslog_stamp.h"

namespace irk::logs {
namespace {

using syslog_stamp::At;
using syslog_stamp::Format;
using syslog_stamp::IsDigit;
using syslog_stamp::IsLower;
using syslog_stamp::kMaxPriority;
using syslog_stamp::ReadStamp;
using syslog_stamp::SkipPriority;
using syslog_stamp::Stamp;

constexpr size_t kMaxProgram = 64;
constexpr size_t kMaxHost = 255;
constexpr size_t kMaxProcId = 128;  // RFC 5424 PROCID
constexpr size_t kMaxMsgId = 32;    // RFC 5424 MSGID
constexpr std::string_view kBom = "\xEF\xBB\xBF";

constexpr bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

// A decimal pid: 1 to 19 digits, > 0, fits int64.
std::optional<int64_t> ParsePid(std::string_view digits) {
  if (digits.empty() || digits.size() > 19) return std::nullopt;
  // Nineteen digits always fit in 64 unsigned bits; the signed range is
  // checked once at the end.
  uint64_t value = 0;
  for (const char c : digits) {
    const auto digit = static_cast<unsigned>(c - '0');
    if (digit > 9) return std::nullopt;
    value = value * 10 + digit;
  }
  if (value == 0 || value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(value);
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

// A syslog tag word, "prog[pid]:" or "prog:". One pass: the program runs
// up to the first byte a program name may not hold, which must be the end
// or the '[' of "[pid]".
std::optional<Tag> ParseTag(std::string_view word) {
  if (word.size() < 2 || word.back() != ':') return std::nullopt;
  word.remove_suffix(1);
  size_t end = 0;
  while (end < word.size() && end <= kMaxProgram &&
         kProgramByte[static_cast<unsigned char>(word[end])]) {
    ++end;
  }
  if (end == 0 || end > kMaxProgram) return std::nullopt;
  Tag tag;
  tag.program = word.substr(0, end);
  if (end == word.size()) return tag;
  if (word[end] != '[' || word.back() != ']') return std::nullopt;
  tag.pid = ParsePid(word.substr(end + 1, word.size() - end - 2));
  if (!tag.pid) return std::nullopt;
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
bool ParseSyslogTail(std::string_view line, size_t pos, LineHeader& header) {
  if (At(line, pos) != ' ') return false;
  pos = SkipPriority(line, pos + 1, false);
  if (At(line, pos) == ' ') ++pos;
  std::string_view word = WordAt(line, pos);
  std::optional<Tag> tag = ParseTag(word);
  if (!tag) {
    if (!IsHostName(word)) return false;
    header.host = word;
    pos += word.size() + 1;
    word = WordAt(line, pos);
    tag = ParseTag(word);
    if (!tag && IsFacilityLevel(word) && pos + word.size() < line.size()) {
      pos += word.size() + 1;
      word = WordAt(line, pos);
      tag = ParseTag(word);
    }
    if (!tag) return false;
  }
  pos += word.size();
  if (pos < line.size()) ++pos;  // the space after the tag
  header.program = tag->program;
  header.pid = tag->pid;
  header.message = StripSolarisId(line.substr(pos));
  return true;
}

// After an RFC 5424 stamp: " HOST APP PROCID MSGID SD[ MSG]".
bool Parse5424Tail(std::string_view line, size_t pos, LineHeader& header) {
  std::string_view fields[4];
  static constexpr size_t kMax[4] = {kMaxHost, kMaxProgram, kMaxProcId, kMaxMsgId};
  for (size_t i = 0; i < 4; ++i) {
    if (At(line, pos) != ' ') return false;
    fields[i] = WordAt(line, pos + 1);
    if (fields[i].empty() || fields[i].size() > kMax[i]) return false;
    pos += 1 + fields[i].size();
  }
  if (fields[0] != "-") {
    if (!IsHostName(fields[0])) return false;
    header.host = fields[0];
  }
  if (fields[1] != "-") {
    if (!IsProgramName(fields[1])) return false;
    header.program = fields[1];
  }
  header.pid = ParsePid(fields[2]);  // a procid that is no pid leaves it unset
  if (At(line, pos) != ' ') return false;
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
        if (pos >= line.size()) return false;
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
    return false;
  }
  if (pos < line.size()) {
    if (line[pos] != ' ') return false;
    ++pos;
  }
  std::string_view message = line.substr(std::min(pos, line.size()));
  if (message.starts_with(kBom)) message.remove_prefix(kBom.size());
  header.message = message;
  return true;
}

// After proftpd's stamp: " host prog[pid] msg".
bool ParseProftpdTail(std::string_view line, size_t pos, LineHeader& header) {
  if (At(line, pos) != ' ') return false;
  ++pos;
  const std::string_view host = WordAt(line, pos);
  if (!IsHostName(host)) return false;
  pos += host.size() + 1;
  const std::string_view word = WordAt(line, pos);
  if (word.empty() || word.back() != ']') return false;
  const size_t open = word.find('[');
  if (open == std::string_view::npos || !IsProgramName(word.substr(0, open))) {
    return false;
  }
  header.pid = ParsePid(word.substr(open + 1, word.size() - open - 2));
  if (!header.pid) return false;
  header.host = host;
  header.program = word.substr(0, open);
  pos += word.size();
  if (pos < line.size()) ++pos;
  header.message = line.substr(pos);
  return true;
}

// After asctime's stamp: vsftpd's " [pid N] msg" or xferlog's " 1 192.0.2.5 …".
bool ParseAsctimeTail(std::string_view line, size_t pos, LineHeader& header) {
  if (At(line, pos) != ' ') return false;
  ++pos;
  const std::string_view rest = line.substr(pos);
  if (rest.starts_with("[pid ")) {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return false;
    header.pid = ParsePid(rest.substr(5, close - 5));
    if (!header.pid || (close + 1 < rest.size() && rest[close + 1] != ' ')) return false;
    header.program = "vsftpd";
    header.message = rest.substr(std::min(close + 2, rest.size()));
    return true;
  }
  if (!IsDigit(At(rest, 0))) return false;  // xferlog starts with the transfer time
  header.program = "xferlog";
  header.message = rest;
  return true;
}

}  // namespace

bool FrameLogLine(std::string_view line, const StampContext& context, LineHeader& header) {
  Stamp stamp;
  if (!ReadStamp(line, context, stamp)) return false;
  // Field by field, not a fresh LineHeader: zeroing and copying a whole one
  // cost more than the rest of the framing's stores for each line.
  header.time = stamp.time;
  header.time_text = stamp.text;
  header.zone = stamp.zone;
  header.host = {};
  header.program = {};
  header.pid.reset();
  switch (stamp.format) {
    case Format::kRfc3164:
    case Format::kIso:
      return ParseSyslogTail(line, stamp.end, header);
    case Format::kRfc5424:
      return Parse5424Tail(line, stamp.end, header);
    case Format::kAsctime:
      return ParseAsctimeTail(line, stamp.end, header);
    case Format::kProftpd:
      return ParseProftpdTail(line, stamp.end, header);
  }
  return false;
}

std::optional<LineHeader> ParseLogLine(std::string_view line, const StampContext& context) {
  LineHeader header;
  if (!FrameLogLine(line, context, header)) return std::nullopt;
  return header;
}

std::optional<Timestamp> ParseLineStamp(std::string_view line, const StampContext& context) {
  Stamp stamp;
  if (!ReadStamp(line, context, stamp)) return std::nullopt;
  return stamp.time;
}

}  // namespace irk::logs
