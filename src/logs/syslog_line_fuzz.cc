// libFuzzer target: ParseLogLine and ParseLineStamp on arbitrary bytes, in
// UTC and in a fixed zone, checking the invariants their contracts state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const irk::logs::TimeZone utc = irk::logs::TimeZone::Utc();
  static const irk::logs::TimeZone east = irk::logs::TimeZone::Fixed(2 * 3600);
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  Check(line, irk::logs::StampContext{2026, 11, &utc});
  Check(line, irk::logs::StampContext{2027, 1, &east});
  return 0;
}
