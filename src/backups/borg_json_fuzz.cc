// Fuzzes the readers of borg's output (list --json, list --json-lines, the
// repository config) and the exact-path pattern.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "backups/borg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)irk::backups::ParseBorgArchives(text, "/repo", "/repo");
  if (const auto item = irk::backups::ParseBorgItem(text, "/etc/passwd",
                                                    irk::integrity::HashAlgorithm::kSha512)) {
    if (!item->version.sha256.empty() && item->version.sha256.size() != 64) std::abort();
    if ((item->version.mode & ~07777u) != 0 || !item->data_path.starts_with('/')) std::abort();
  }
  (void)irk::backups::LooksLikeBorgConfig(text);
  const std::string pattern = irk::backups::BorgExactPattern(text);
  if (!pattern.starts_with("re:^") || !pattern.ends_with("\\Z")) std::abort();
  return 0;
}
