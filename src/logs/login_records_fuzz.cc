// libFuzzer target: ParseLoginRecords on arbitrary bytes, checking the
// invariants its contract states.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "logs/login_records.h"

namespace {

// Checks even under NDEBUG (the fuzz preset sets it), unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const irk::logs::LoginRecords parsed = irk::logs::ParseLoginRecords(bytes);
  const size_t record_size = irk::logs::LoginRecordSize(parsed.layout);
  Require(parsed.records.size() <= size / record_size);
  Require(parsed.problems.size() <= 1001);
  for (const irk::logs::LoginRecord& r : parsed.records) {
    Require(r.offset % record_size == 0 && r.offset + record_size <= size);
    Require(r.line.size() <= 32 && r.user.size() <= 32 && r.host.size() <= 256 && r.id.size() <= 4);
    Require(r.time.micros >= 0 && r.time.micros < 1000000);
    // What the encoder writes, the parser reads back the same.
    const std::string again = irk::logs::EncodeLoginRecord(r, parsed.layout);
    const irk::logs::LoginRecords reparsed = irk::logs::ParseLoginRecords(again);
    if (reparsed.layout == parsed.layout && reparsed.records.size() == 1) {
      const irk::logs::LoginRecord& back = reparsed.records[0];
      Require(back.user == r.user && back.line == r.line && back.host == r.host);
      Require(back.addr == r.addr);
    }
  }
  return 0;
}
