// What a baseline covers: folders and files, the globs left out, and the
// attributes recorded for each. Read from the [integrity] part of the
// operator's settings, with a built-in default for Debian and RHEL hosts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/result.h"
#include "integrity/file_record.h"

namespace irk::integrity {

struct Rule {
  // Absolute, as the examined system names it. A component may hold the
  // wildcards * ? [...] ("/home/*/.ssh"), matched against the names there.
  std::string path;
  AttributeSet attributes = kAllAttributes;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  std::vector<std::string> exclude;  // globs on whole paths, for this rule only
};

struct Policy {
  std::vector<Rule> rules;
  std::vector<std::string> exclude;  // globs on whole paths, for every rule
  bool one_filesystem = true;        // do not descend into other mounted file systems
};

// Binaries, libraries, /etc, /boot, cron, root's and users' SSH keys (PAM,
// sudoers, systemd units and SSH configs are under /etc and /usr/lib), and
// /var/log as growing logs; caches, bytecode and the journal left out.
Policy DefaultPolicy();

// The policy from `config`'s keys (see docs/config.md): `integrity.hash`,
// `integrity.one_filesystem`, `integrity.exclude` and the array of tables
// `integrity.rule` (each `path`, `attributes`, `hash`, `exclude`). Without
// `integrity.rule` the default rules apply. Errors name the file and key.
Result<Policy> PolicyFromConfig(const Config& config);

// Parses an attribute list: names ("mode", "hash", …) and the groups "all"
// (every attribute) and "permissions" (type, mode, uid, gid, acl, caps,
// selinux). Unknown names are an error naming them.
Result<AttributeSet> ParseAttributes(const std::vector<std::string>& names);

// True when `path` matches one of `globs` (fnmatch, `*` crossing slashes).
// The scanner does not descend into a folder that matches, so a glob leaves
// out everything below what it names.
bool MatchesAny(const std::vector<std::string>& globs, std::string_view path);

// The rule for the paths given on the command line: each PATH takes the
// attributes and excludes of the policy rule it lies under (the longest),
// or all attributes when none covers it.
Policy NarrowPolicy(const Policy& policy, const std::vector<std::string>& paths);

}  // namespace irk::integrity
