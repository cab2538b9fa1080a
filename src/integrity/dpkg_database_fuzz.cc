// Fuzzes every dpkg database parser with the same bytes: none may crash,
// and what they accept keeps their promises (absolute paths, MD5 digests).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "integrity/dpkg_database.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

bool Absolute(std::string_view path) { return path.starts_with('/') && path.size() <= 4096; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace irk::integrity;  // NOLINT: a fuzz target's body
  if (auto packages = ParseDpkgStatus(text, "status"); packages.ok()) {
    for (const auto& package : *packages) {
      Require(!package.name.empty());
      for (const auto& conffile : package.conffiles) Require(Absolute(conffile.path));
    }
  }
  if (auto entries = ParseMd5sums(text, "md5sums"); entries.ok()) {
    for (const auto& entry : *entries) Require(Absolute(entry.path) && entry.md5.size() == 32);
  }
  if (auto paths = ParsePathList(text, "list"); paths.ok()) {
    for (const auto& path : *paths) Require(Absolute(path));
  }
  if (auto diversions = ParseDiversions(text, "diversions"); diversions.ok()) {
    for (const auto& d : *diversions) Require(Absolute(d.from) && Absolute(d.to));
  }
  if (auto links = ParseAlternativeLinks(text, "alternatives"); links.ok()) {
    for (const auto& link : *links) Require(Absolute(link));
  }
  if (auto overrides = ParseStatOverrides(text, "statoverride"); overrides.ok()) {
    for (const auto& o : *overrides) Require(Absolute(o.path) && o.mode <= 0777777);
  }
  return 0;
}
