// Comparing a system with its baseline: what was added, removed or changed,
// each finding ranked so the ones an intruder leaves first are read first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "integrity/baseline.h"
#include "integrity/file_record.h"
#include "integrity/policy.h"
#include "integrity/scanner.h"

namespace irk::integrity {

enum class Change { kAdded, kRemoved, kChanged };
std::string_view ChangeName(Change change);  // "added", "removed", "changed"

// How urgent a finding is; lower is more urgent.
enum class Severity {
  kPrivilege = 0,    // setuid or setgid gained, file capabilities gained
  kExecutable = 1,   // a binary in PATH or a library added or changed
  kPersistence = 2,  // cron, systemd, sudoers, SSH keys, PAM, accounts, ld.so.preload
  kOther = 3,
};
std::string_view SeverityName(Severity severity);  // "critical", "high", "high", "medium"

struct Finding {
  std::string path;
  Change change = Change::kChanged;
  Severity severity = Severity::kOther;
  std::string reason;  // why this severity ("setuid gained", "binary in PATH"); may be empty
  std::vector<AttributeChange> attributes;  // old → new; "(none)" on the missing side
};

// The finding for one path: `then` is the baseline's record (nullptr when it
// has none), `now` the scan's (nullptr when the path is gone). nullopt when
// nothing the baseline asks for changed.
std::optional<Finding> Judge(const FileRecord* then, const FileRecord* now);

// Sorts by severity, then path: the order reports use.
void SortFindings(std::vector<Finding>& findings);

// Scans `root` with `policy` (normally the baseline's own) and compares
// every entry with `baseline`. Paths the baseline holds that the scan did
// not see are removed, but only below one of `limit` (every path when
// empty) and outside the policy's excludes. Findings come sorted. Each
// scanned batch is also handed to `also` when it is set (`irk baseline
// update` stores them in the new baseline).
Result<std::vector<Finding>> CheckAgainstBaseline(Baseline& baseline, const Root& root,
                                                  const Policy& policy, const ScanOptions& options,
                                                  const std::vector<std::string>& limit,
                                                  const RecordSink& also = nullptr);

}  // namespace irk::integrity
