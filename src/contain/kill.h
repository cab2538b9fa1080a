// `irk kill`: freeze every process of a user, session or process tree,
// re-scanning until fork loops cannot add more; snapshot them into the case;
// SIGKILL them; verify that none remain.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contain/plan.h"
#include "core/proc.h"
#include "core/result.h"

namespace irk::contain {

// Which processes to end. Fields left empty select nothing.
struct KillSelector {
  std::optional<uint32_t> uid;  // real, effective, saved or filesystem uid, or loginuid
  std::string user;             // its name: also selects the root "sshd: USER [priv]" monitor
  std::optional<int> pid;       // this process and its descendants
  std::string tty;              // "pts/3": every session on that terminal and its sshd
};

// The pids `selector` matches in `processes`, sorted. Never pid 1, kernel
// threads (children of kthreadd, pid 2), zombies, or `self` (irk).
std::vector<int> SelectProcesses(const std::vector<Process>& processes,
                                 const KillSelector& selector, int self);

// `pid` and its ancestors up to pid 1, in `processes`.
std::vector<int> Lineage(const std::vector<Process>& processes, int pid);

// What a process was when it was frozen.
struct ProcessSnapshot {
  Process process;
  std::string exe;  // target of /proc/PID/exe, "" when unreadable
  std::string cwd;
  std::vector<std::string> connections;  // "tcp 192.0.2.1:22 <- 203.0.113.7:51234 established"
};

struct KillReport {
  std::vector<ProcessSnapshot> killed;  // as frozen, sorted by pid
  std::vector<Process> survivors;       // still there after the kill
  int rounds = 0;                       // scans until the frozen set stood still
};

// Freezes (SIGSTOP) what `selector` matches under `proc_dir` until a scan
// finds nothing new, snapshots it, calls `before_kill` (which journals the
// snapshot; an error there thaws everything and stops), SIGKILLs it, and
// waits briefly for it to go.
Result<KillReport> FreezeAndKill(
    const std::filesystem::path& proc_dir, const KillSelector& selector,
    const std::function<Status(const std::vector<ProcessSnapshot>&)>& before_kill);

// The step that kills what `selector` matches; its recipe is irreversible
// and holds the snapshot. No process is kAlreadyDone; survivors are kFailed.
Step KillStep(KillSelector selector, std::string description);

}  // namespace irk::contain
