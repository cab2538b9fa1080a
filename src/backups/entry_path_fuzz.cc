// Fuzzes the checks of hostile names: archive entry names, asked paths and
// generation names carrying dates.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "backups/generation.h"
#include "backups/version.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  if (const auto path = irk::backups::EntryPath(name)) {
    // A normalised name never climbs, never starts at the root, and is stable
    // (checked with abort: the fuzz build defines NDEBUG).
    std::string_view rest = *path;
    while (!rest.empty()) {
      const size_t end = rest.find('/');
      const std::string_view part = rest.substr(0, end);
      if (part.empty() || part == "." || part == "..") std::abort();
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    }
    if (*irk::backups::EntryPath(*path) != *path) std::abort();
  }
  if (const auto asked = irk::backups::AskedPath(name); asked && !asked->starts_with('/')) {
    std::abort();
  }
  (void)irk::backups::TimeFromName(name);
  (void)irk::backups::LooksLikeArchive(name);
  return 0;
}
