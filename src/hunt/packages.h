// Which files the package manager installed: dpkg's file lists, read from
// the examined system, so a finding can say "not from any package".
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "core/root.h"

namespace irk::hunt {

class PackageFiles {
 public:
  // Adds the paths of one dpkg .list file's text (one absolute path a line;
  // other lines are skipped).
  void AddList(std::string_view text);

  // Reads every /var/lib/dpkg/info/*.list of `root`. A system without dpkg
  // gives an empty set and known() false.
  static PackageFiles Read(const Root& root);

  // True when `path` is a package's file. Merged /usr is allowed for: a
  // package's /bin/x is the system's /usr/bin/x and the other way round.
  bool Owns(std::string_view path) const;
  // True when any package list was read.
  bool known() const { return !paths_.empty(); }

 private:
  std::unordered_set<std::string> paths_;
};

}  // namespace irk::hunt
