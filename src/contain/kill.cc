#include "contain/kill.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "contain/sockets.h"
#include "core/json.h"

namespace irk::contain {
namespace {

constexpr int kMaxFreezeRounds = 1000;
constexpr int kVerifyRounds = 100;
constexpr auto kVerifyPause = std::chrono::milliseconds(10);

bool IsSshdOf(const Process& p, const std::string& user) {
  if (user.empty()) return false;
  const std::string prefix = "sshd: " + user;
  if (!p.cmdline.starts_with(prefix)) return false;
  return p.cmdline.size() == prefix.size() || p.cmdline[prefix.size()] == ' ' ||
         p.cmdline[prefix.size()] == '@';
}

std::string ReadLinkText(const std::filesystem::path& path) {
  char target[4096];
  const ssize_t n = readlink(path.c_str(), target, sizeof(target));
  return n > 0 ? std::string(target, static_cast<size_t>(n)) : std::string();
}

std::string StateName(int state) {
  switch (state) {
    case kTcpEstablished:
      return "established";
    case kTcpListen:
      return "listen";
    default:
      return fmt::format("state {}", state);
  }
}

std::vector<ProcessSnapshot> Snapshot(const std::filesystem::path& proc_dir,
                                      const std::vector<Process>& processes,
                                      const std::set<int>& frozen) {
  std::map<uint64_t, TcpSocket> by_inode;
  for (const auto& socket : ReadTcpSockets(proc_dir, getpid())) by_inode[socket.inode] = socket;
  std::vector<ProcessSnapshot> snapshots;
  for (const auto& p : processes) {
    if (!frozen.contains(p.pid)) continue;
    ProcessSnapshot snapshot{p,
                             ReadLinkText(proc_dir / std::to_string(p.pid) / "exe"),
                             ReadLinkText(proc_dir / std::to_string(p.pid) / "cwd"),
                             {}};
    for (const uint64_t inode : ReadSocketInodes(proc_dir, p.pid)) {
      const auto found = by_inode.find(inode);
      if (found == by_inode.end()) continue;
      const auto& s = found->second;
      snapshot.connections.push_back(fmt::format("tcp {}:{} <- {}:{} {}", s.local.ToString(),
                                                 s.local_port, s.remote.ToString(), s.remote_port,
                                                 StateName(s.state)));
    }
    snapshots.push_back(std::move(snapshot));
  }
  return snapshots;
}

// Sends `signal` to every process whose real or saved uid is `uid`, in one
// pass of the kernel: a child that becomes `uid` (dropping every
// capability) calls kill(-1). The kernel walks the task list under a lock
// that fork must wait for, so no process forked meanwhile is missed, which a
// scan of /proc cannot promise against a fork loop. Needs root; does nothing
// otherwise.
void SignalEveryProcessOf(uint32_t uid, int signal) {
  if (geteuid() != 0 || uid == 0) return;
  const pid_t helper = fork();
  if (helper == 0) {
    if (setresuid(uid, uid, uid) == 0) kill(-1, signal);
    _exit(0);
  }
  if (helper > 0) waitpid(helper, nullptr, 0);
}

}  // namespace

std::vector<int> Lineage(const std::vector<Process>& processes, int pid) {
  std::map<int, int> parent;
  for (const auto& p : processes) parent[p.pid] = p.ppid;
  std::vector<int> lineage;
  while (pid > 1 && lineage.size() < processes.size()) {
    lineage.push_back(pid);
    const auto found = parent.find(pid);
    if (found == parent.end()) break;
    pid = found->second;
  }
  return lineage;
}

std::vector<int> SelectProcesses(const std::vector<Process>& processes,
                                 const KillSelector& selector, int self) {
  std::set<int> chosen;
  std::set<int> sessions;
  for (const auto& p : processes) {
    const bool by_uid = selector.uid && (p.ruid == *selector.uid || p.euid == *selector.uid ||
                                         p.suid == *selector.uid || p.fsuid == *selector.uid ||
                                         (p.loginuid && *p.loginuid == *selector.uid));
    const bool by_tty = !selector.tty.empty() && (TtyName(p.tty_nr) == selector.tty ||
                                                  p.cmdline.ends_with("@" + selector.tty));
    if (by_tty && p.tty_nr != 0) sessions.insert(p.session);
    if (by_uid || by_tty || IsSshdOf(p, selector.user) ||
        (selector.pid && p.pid == *selector.pid)) {
      chosen.insert(p.pid);
    }
  }
  // Descendants of a chosen pid, and every member of a chosen tty session.
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto& p : processes) {
      if (chosen.contains(p.pid)) continue;
      const bool child_of_pid = selector.pid && chosen.contains(p.ppid);
      if (child_of_pid || sessions.contains(p.session)) {
        chosen.insert(p.pid);
        grew = true;
      }
    }
  }
  std::vector<int> pids;
  for (const auto& p : processes) {
    if (!chosen.contains(p.pid) || p.pid <= 2 || p.ppid == 2 || p.pid == self || p.state == 'Z') {
      continue;
    }
    pids.push_back(p.pid);
  }
  return pids;
}

Result<KillReport> FreezeAndKill(
    const std::filesystem::path& proc_dir, const KillSelector& selector,
    const std::function<Status(const std::vector<ProcessSnapshot>&)>& before_kill) {
  const int self = getpid();
  KillReport report;
  std::set<int> frozen;
  std::vector<Process> processes;
  // Stop the user's own processes in one kernel pass, then what a scan
  // finds (root processes with their loginuid, sshd monitors) and scan
  // again: a process that forked between the scan and its SIGSTOP shows up
  // in the next one. The set stands still once every member is stopped.
  if (selector.uid) SignalEveryProcessOf(*selector.uid, SIGSTOP);
  while (report.rounds < kMaxFreezeRounds) {
    ++report.rounds;
    processes = ReadProcesses(proc_dir);
    bool found_new = false;
    for (const int pid : SelectProcesses(processes, selector, self)) {
      if (frozen.insert(pid).second) {
        found_new = true;
        kill(pid, SIGSTOP);
      }
    }
    if (!found_new) break;
  }
  report.killed = Snapshot(proc_dir, processes, frozen);
  if (auto status = before_kill(report.killed); !status.ok()) {
    for (const int pid : frozen) kill(pid, SIGCONT);
    return status.error();
  }
  if (selector.uid) SignalEveryProcessOf(*selector.uid, SIGKILL);
  for (const int pid : frozen) kill(pid, SIGKILL);
  for (int round = 0; round < kVerifyRounds; ++round) {
    report.survivors.clear();
    for (const auto& p : ReadProcesses(proc_dir)) {
      const auto pids = SelectProcesses({p}, selector, self);
      if (!pids.empty() || (frozen.contains(p.pid) && p.state != 'Z'))
        report.survivors.push_back(p);
    }
    if (report.survivors.empty()) break;
    if (selector.uid) SignalEveryProcessOf(*selector.uid, SIGKILL);
    for (const auto& p : report.survivors) kill(p.pid, SIGKILL);
    std::this_thread::sleep_for(kVerifyPause);
  }
  return report;
}

Step KillStep(KillSelector selector, std::string description) {
  Step step;
  step.description = std::move(description);
  step.apply = [selector = std::move(selector)](StepContext& context) -> StepResult {
    auto report = FreezeAndKill("/proc", selector, [&](const std::vector<ProcessSnapshot>& found) {
      if (found.empty()) return Ok();
      JsonArray processes;
      for (const auto& s : found) {
        JsonArray connections;
        for (const auto& c : s.connections) connections.Add(c);
        JsonObject entry;
        entry.Add("pid", s.process.pid)
            .Add("ppid", s.process.ppid)
            .Add("uid", s.process.ruid)
            .Add("euid", s.process.euid)
            .Add("loginuid", s.process.loginuid)
            .Add("comm", s.process.comm)
            .Add("cmdline", s.process.cmdline)
            .Add("exe", s.exe)
            .Add("cwd", s.cwd)
            .Add("connections", connections);
        processes.Add(entry);
      }
      return context.Record(JsonObject()
                                .Add("kind", "irreversible")
                                .Add("what", fmt::format("{} killed processes cannot be revived; "
                                                         "what they were is in this record",
                                                         found.size()))
                                .Add("processes", processes)
                                .str());
    });
    if (!report.ok()) return StepResult{StepOutcome::kFailed, report.error().message};
    if (report->killed.empty()) return StepResult{StepOutcome::kAlreadyDone, "no processes"};
    if (!report->survivors.empty()) {
      std::string pids;
      for (const auto& p : report->survivors) pids += fmt::format(" {}", p.pid);
      return StepResult{StepOutcome::kFailed,
                        fmt::format("{} killed, {} survived (in another PID namespace, or "
                                    "respawned by a service?):{}",
                                    report->killed.size(), report->survivors.size(), pids)};
    }
    return StepResult{StepOutcome::kApplied,
                      fmt::format("{} processes frozen in {} scans, snapshot journaled, killed; "
                                  "none remain",
                                  report->killed.size(), report->rounds)};
  };
  return step;
}

}  // namespace irk::contain
