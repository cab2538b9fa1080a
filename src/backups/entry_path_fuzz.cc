// Fuzzes the checks of hostile names: archive entry names, asked paths and
// generation names carrying dates.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backups/generation.h"
#include "backups/version.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  if (const auto path = irk::backups::EntryPath(name)) {
    // A normalised name never climbs, never starts at the root, and is stable.
    std::string_view rest = *path;
    while (!rest.empty()) {
      const size_t end = rest.find('/');
      const std::string_view part = rest.substr(0, end);
      assert(!part.empty() && part != "." && part != "..");
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    }
    assert(*irk::backups::EntryPath(*path) == *path);
  }
  if (const auto asked = irk::backups::AskedPath(name)) assert(asked->starts_with('/'));
  (void)irk::backups::TimeFromName(name);
  (void)irk::backups::LooksLikeArchive(name);
  return 0;
}
