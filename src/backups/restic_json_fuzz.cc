// Fuzzes the readers of restic's JSON output (snapshots, ls nodes).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backups/restic.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)irk::backups::ParseResticSnapshots(text, "/repo", "/repo");
  (void)irk::backups::ParseResticNode(text, "/etc/passwd");
  return 0;
}
