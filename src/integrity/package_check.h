// Checking a Debian system against its package database, for hosts that
// never made a baseline: every installed file against dpkg's md5sums, the
// conffiles against the status file, stat overrides, files in package
// folders that no package owns, and, because root can rewrite all of that,
// the files against the .deb archives themselves.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"

namespace irk::integrity {

enum class PackageProblem {
  kChanged,           // content differs from the package's md5sums
  kMissing,           // listed by the package, not on disk
  kUnreadable,        // could not be read (denied, replaced while read, not a file)
  kConffileModified,  // a conffile edited since it was installed: save it before a reinstall
  kConffileMissing,   // a conffile deleted
  kOverride,          // mode or owner differs from dpkg's stat override
  kUnowned,           // in a package folder, owned by no package, link or diversion
  kDiffersFromDeb,    // content differs from the .deb archive of the installed version
};
std::string_view PackageProblemName(PackageProblem problem);  // "changed", "missing", …

struct PackageFinding {
  std::string path;
  std::string package;  // empty for unowned files
  PackageProblem problem = PackageProblem::kChanged;
  std::string expected;  // the package's value ("md5:…", "mode 4754"), empty when none
  std::string actual;    // what is on disk, or why it could not be read
};

struct PackageCheckOptions {
  unsigned workers = 0;  // hashing threads; 0: one per core
  // Also compare with the .deb archives in this folder. `debs_in_root`: the
  // folder is the examined system's (read through the Root), else the
  // examining host's (clean media).
  std::optional<std::string> debs_dir;
  bool debs_in_root = true;
};

struct PackageReport {
  size_t packages = 0;                       // installed packages read
  size_t files_checked = 0;                  // files hashed against md5sums and conffiles
  size_t debs_read = 0;                      // .deb archives that matched an installed version
  std::vector<std::string> without_md5sums;  // packages dpkg keeps no md5sums for
  std::vector<PackageFinding> findings;      // sorted by path, then problem
};

// Reads /var/lib/dpkg of `root` (status, info/*.md5sums and *.list,
// diversions, alternatives, statoverride) and checks the files, in parallel.
// An error when a database file cannot be read or parsed (naming it and the
// line); a file on disk that cannot be read is a finding.
Result<PackageReport> CheckPackages(const Root& root, const PackageCheckOptions& options);

// Copies each modified conffile among `findings` from `root` into `dir`
// (created 0700; the path kept below it: DIR/etc/ssh/sshd_config) with its
// mode, owner and times. Never overwrites: an existing copy is an error.
// Returns the copies made.
Result<std::vector<std::string>> SaveConfigs(const Root& root,
                                             const std::vector<PackageFinding>& findings,
                                             const std::filesystem::path& dir);

}  // namespace irk::integrity
