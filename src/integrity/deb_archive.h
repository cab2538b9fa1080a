// Reading a .deb with libarchive: the package's name, version and
// architecture from control.tar, and the SHA-256 of every regular file in
// data.tar, as the archive (not the installed database) says they are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace irk::integrity {

struct DebFile {
  std::string path;    // absolute, normalised ("/usr/bin/ls")
  std::string sha256;  // "sha256:<hex>"
};

struct DebContents {
  std::string package;
  std::string version;
  std::string architecture;
  std::vector<DebFile> files;  // regular files in archive order; hard links left out
};

// Reads the .deb open at `fd` (read from its current offset). `source`
// names it in errors. Hostile archives are bounded: at most 1,000,000
// entries, a control file of at most 1 MiB, and entry names that are
// relative paths without "..". An archive without control or data member,
// or whose control lacks Package or Version, is an error.
Result<DebContents> ReadDeb(int fd, std::string_view source);

}  // namespace irk::integrity
