// `irk backups audit`: who can reach a backup, where it lives, whether it
// leaks the host's secrets, how old it is, and whether the backup tool's own
// check passes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "backups/generation.h"
#include "core/time.h"

namespace irk::backups {

enum class AuditLevel { kOk, kInfo, kWarning };
std::string_view AuditLevelName(AuditLevel level);  // "ok", "info", "warning"

struct AuditFinding {
  std::string source;
  std::string check;  // "access", "mount", "same-disk", "secrets", "age", "tool-check"
  AuditLevel level = AuditLevel::kInfo;
  std::string detail;
};

// The mount that holds `path` from a /proc/self/mountinfo text: its mount
// point, filesystem type and options ("rw,nosuid,…"). Pure; for tests.
struct MountInfo {
  std::string point;
  std::string type;
  std::string options;
};
std::optional<MountInfo> MountOf(std::string_view mountinfo, std::string_view path);

// Audits `source` and its `generations` (oldest first, as FindGenerations
// gives them). `host_root` is the examined system's root ("/"), for the
// same-disk check; `now` for the age.
std::vector<AuditFinding> AuditSource(const std::filesystem::path& source,
                                      const std::vector<Generation>& generations,
                                      const std::filesystem::path& host_root, Timestamp now);

}  // namespace irk::backups
