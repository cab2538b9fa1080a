// Parsers of dpkg's own database, read directly (never through dpkg, whose
// --verify exits 0 on mismatches): the status file, the per-package
// md5sums and file lists, diversions, alternatives and stat overrides. Pure
// functions over text an intruder may have written: bounded, and errors
// name the file and line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace irk::integrity {

struct Conffile {
  std::string path;  // absolute
  std::string md5;   // 32 hex digits, or "newconffile" before the first configure
  bool obsolete = false;
};

struct DpkgPackage {
  std::string name;
  std::string architecture;  // "amd64", "all", …
  std::string version;
  std::string state;  // the Status field's third word: "installed", "half-configured", …
  std::vector<Conffile> conffiles;
};

// Largest status file and per-package file read.
inline constexpr size_t kMaxDpkgFileBytes = 256u << 20;

// The packages of /var/lib/dpkg/status whose files are on disk (every state
// but "not-installed" and "config-files"), in file order. `source` names the
// file in errors ("status:1234: …"). A stanza without Package is an error.
Result<std::vector<DpkgPackage>> ParseDpkgStatus(std::string_view text, std::string_view source);

struct Md5Entry {
  std::string path;  // absolute ("/usr/bin/ls")
  std::string md5;   // 32 lower-case hex digits
};

// A package's md5sums file: "<32 hex>  <relative path>" a line.
Result<std::vector<Md5Entry>> ParseMd5sums(std::string_view text, std::string_view source);

// A package's .list file, or another list of absolute paths one a line
// (empty lines skipped); a relative path is an error.
Result<std::vector<std::string>> ParsePathList(std::string_view text, std::string_view source);

struct Diversion {
  std::string from;     // the path the package's file would have had
  std::string to;       // where it went instead
  std::string package;  // who diverted it; ":" for a local diversion
};

// /var/lib/dpkg/diversions: three lines per diversion.
Result<std::vector<Diversion>> ParseDiversions(std::string_view text, std::string_view source);

// The link paths an alternatives file (/var/lib/dpkg/alternatives/NAME)
// makes: its master link and its slaves' links.
Result<std::vector<std::string>> ParseAlternativeLinks(std::string_view text,
                                                       std::string_view source);

struct StatOverride {
  std::string user;   // a name, or "#uid"
  std::string group;  // a name, or "#gid"
  uint32_t mode = 0;
  std::string path;
};

// /var/lib/dpkg/statoverride: "user group mode path" a line (mode in octal).
Result<std::vector<StatOverride>> ParseStatOverrides(std::string_view text,
                                                     std::string_view source);

}  // namespace irk::integrity
