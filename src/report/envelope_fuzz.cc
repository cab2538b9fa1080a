// Fuzzes the reader of a draft's To: and Subject: (irk report --send reads
// whatever .eml files lie in the folder it is given).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/send.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const irk::report::Envelope envelope = irk::report::ReadEnvelope(text);
  // Both come from the header, which is at most 64 KiB.
  if (envelope.to.size() + envelope.subject.size() > 64 * 1024) __builtin_trap();
  return 0;
}
