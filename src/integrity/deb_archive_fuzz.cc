// Fuzzes ReadDeb with hostile archives: no crash, no hang, and every file it
// accepts has a safe absolute path and a SHA-256.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "integrity/deb_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = memfd_create("deb", MFD_CLOEXEC);
  if (fd < 0) return 0;
  if (write(fd, data, size) == static_cast<ssize_t>(size) && lseek(fd, 0, SEEK_SET) == 0) {
    auto deb = irk::integrity::ReadDeb(fd, "fuzz.deb");
    if (deb.ok()) {
      if (deb->package.empty() || deb->version.empty()) std::abort();
      for (const auto& file : deb->files) {
        if (!file.path.starts_with('/') || file.path.find("/../") != std::string::npos ||
            file.sha256.size() != 7 + 64) {
          std::abort();
        }
      }
    }
  }
  close(fd);
  return 0;
}
