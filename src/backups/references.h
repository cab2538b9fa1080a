// The package database's hashes of the paths asked about: what a version
// is judged against when no baseline exists.
#pragma once

#include <string>
#include <vector>

#include "backups/history.h"
#include "core/result.h"
#include "core/root.h"

namespace irk::backups {

// For each of `paths`, the package that ships it and its md5 from
// /var/lib/dpkg/info/*.md5sums of `root` (a path under /bin, /sbin or /lib is
// also looked up under /usr, for merged-/usr systems). Paths no package
// ships keep empty fields. A system without dpkg gives empty references; an
// md5sums file that cannot be parsed is an error naming it.
Result<std::vector<Reference>> PackageReferences(const Root& root,
                                                 const std::vector<std::string>& paths);

}  // namespace irk::backups
