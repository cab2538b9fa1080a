// libFuzzer target: ParseLastlog on arbitrary bytes, checking the
// invariants its contract states, in the detected layout and in each one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "logs/lastlog.h"

namespace {

// Checks even under NDEBUG, unlike assert.
void Require(bool condition) {
  if (!condition) std::abort();
}

void Check(std::string_view bytes, irk::logs::LastlogLayout layout,
           const std::vector<irk::logs::LastlogEntry>& entries) {
  const size_t size = irk::logs::LastlogRecordSize(layout);
  Require(entries.size() <= bytes.size() / size);
  bool first = true;
  uint32_t previous = 0;
  for (const irk::logs::LastlogEntry& e : entries) {
    Require(first || e.uid > previous);
    Require((uint64_t{e.uid} + 1) * size <= bytes.size());
    Require(e.line.size() <= 32 && e.host.size() <= 256);
    Require(e.line.find('\0') == std::string_view::npos);
    Require(e.host.find('\0') == std::string_view::npos);
    // A record the parser kept is not all zero.
    const std::string_view record = bytes.substr(uint64_t{e.uid} * size, size);
    Require(record.find_first_not_of('\0') != std::string_view::npos);
    first = false;
    previous = e.uid;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const irk::logs::LastlogLayout detected = irk::logs::DetectLastlogLayout(bytes);
  const std::vector<irk::logs::LastlogEntry> entries = irk::logs::ParseLastlog(bytes);
  Check(bytes, detected, entries);
  for (const auto layout : {irk::logs::LastlogLayout::kTime32, irk::logs::LastlogLayout::kTime64,
                            irk::logs::LastlogLayout::kTime64BigEndian}) {
    Check(bytes, layout, irk::logs::ParseLastlog(bytes, layout, 0));
  }
  return 0;
}
