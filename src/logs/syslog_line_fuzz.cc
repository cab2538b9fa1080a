// libFuzzer target: ParseLogLine and ParseLineStamp on arbitrary bytes, in
// UTC and in a fixed zone, checking the invariants their contracts state,
// that a line reads the same whatever line was read before it (the input's
// first line, when it has several), and that FrameLogLine, into a header
// that holds that line before, reads it as ParseLogLine does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "logs/syslog_line.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

// True when `part` is a view into `whole` (or empty).
bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void Check(std::string_view line, const irk::logs::StampContext& context) {
  const auto header = irk::logs::ParseLogLine(line, context);
  const auto stamp = irk::logs::ParseLineStamp(line, context);
  if (!header) return;
  Require(stamp && *stamp == header->time);
  Require(header->time.micros >= 0 && header->time.micros < 1000000);
  Require(Inside(header->message, line) && Inside(header->host, line) &&
          Inside(header->time_text, line));
  // The daemons' own files name no program: ParseLogLine names them.
  Require(Inside(header->program, line) || header->program == "vsftpd" ||
          header->program == "xferlog");
  Require(!header->time_text.empty());
  Require(Inside(header->zone, line) || header->zone == context.zone->name());
  Require(!header->pid || *header->pid > 0);
  Require(header->program.size() <= 64 && header->host.size() <= 255);
  for (const char c : header->program) Require(c != ' ' && c != '[' && c != ']' && c != ':');
}

bool Same(const std::optional<irk::logs::LineHeader>& a,
          const std::optional<irk::logs::LineHeader>& b) {
  if (!a || !b) return !a && !b;
  const auto same_view = [](std::string_view x, std::string_view y) {
    return x.data() == y.data() && x.size() == y.size();
  };
  return a->time == b->time && same_view(a->time_text, b->time_text) && a->zone == b->zone &&
         same_view(a->host, b->host) && a->program == b->program && a->pid == b->pid &&
         same_view(a->message, b->message);
}

// `line` read in `context` after a line of another minute: as if alone.
std::optional<irk::logs::LineHeader> ReadAlone(std::string_view line,
                                               const irk::logs::StampContext& context) {
  irk::logs::ParseLogLine("Jan  1 00:00:00 host prog[1]: m", context);
  return irk::logs::ParseLogLine(line, context);
}

// Each thread notes the last minute it read: `line` read after itself, after
// `before`, and in another file (the `other` context) after itself in this
// one must read as it does alone.
void CheckWithoutMemory(std::string_view before, std::string_view line,
                        const irk::logs::StampContext& context,
                        const irk::logs::StampContext& other) {
  const auto alone = ReadAlone(line, context);
  const auto alone_in_other = ReadAlone(line, other);
  irk::logs::ParseLogLine(line, context);
  Require(Same(alone, irk::logs::ParseLogLine(line, context)));
  irk::logs::ParseLogLine(before, context);
  Require(Same(alone, irk::logs::ParseLogLine(line, context)));
  irk::logs::ParseLogLine(line, context);
  Require(Same(alone_in_other, irk::logs::ParseLogLine(line, other)));
}

// `line` framed into the header `before` left: as ParseLogLine reads it.
void CheckReusedHeader(std::string_view before, std::string_view line,
                       const irk::logs::StampContext& context) {
  const auto alone = ReadAlone(line, context);
  irk::logs::LineHeader header;
  irk::logs::FrameLogLine(before, context, header);
  const bool framed = irk::logs::FrameLogLine(line, context, header);
  Require(framed == alone.has_value());
  if (framed) Require(Same(alone, header));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const irk::logs::TimeZone utc = irk::logs::TimeZone::Utc();
  static const irk::logs::TimeZone east = irk::logs::TimeZone::Fixed(2 * 3600);
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const irk::logs::StampContext november{2026, 11, &utc};
  const irk::logs::StampContext january{2027, 1, &east};
  Check(line, november);
  Check(line, january);
  const size_t newline = line.find('\n');
  const std::string_view before = line.substr(0, newline);
  const std::string_view after =
      newline == std::string_view::npos ? line : line.substr(newline + 1);
  CheckWithoutMemory(before, after, november, january);
  CheckWithoutMemory(before, after, january, november);
  CheckReusedHeader(before, after, november);
  return 0;
}
