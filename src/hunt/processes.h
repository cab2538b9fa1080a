// Processes that hide or were tampered with, read from /proc: a running
// binary deleted or replaced on disk, pids that exist but are missing from
// the /proc listing, and preloaded libraries (/etc/ld.so.preload,
// LD_PRELOAD in a process's environment).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/proc.h"
#include "core/root.h"
#include "hunt/finding.h"

namespace irk::hunt {

// The value of LD_PRELOAD in the NUL-separated text of /proc/<pid>/environ;
// nullopt when it has none.
std::optional<std::string> FindLdPreload(std::string_view environ);

// The path of a /proc/<pid>/exe link's target and whether the kernel marks
// it " (deleted)".
struct ExeLink {
  std::string path;
  bool deleted = false;
};
ExeLink ParseExeLink(std::string_view target);

// Kinds deleted_binary, hidden_process, preload. `root` gives
// /etc/ld.so.preload (the live host's or an image's); the rest needs the
// live host's `proc_dir` and `processes` (ReadProcesses(proc_dir)).
std::vector<Finding> HuntProcesses(const Root& root, const std::filesystem::path& proc_dir,
                                   const std::vector<Process>& processes, bool live);

}  // namespace irk::hunt
