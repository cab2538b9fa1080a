#include "hunt/processes.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <set>

#include <fmt/format.h>

namespace irk::hunt {
namespace {

constexpr size_t kMaxEnvironBytes = 1u << 20;
constexpr size_t kMaxPreloadBytes = 64u << 10;
constexpr std::string_view kDeleted = " (deleted)";

std::string Describe(const Process& p) {
  return p.cmdline.empty() ? "[" + p.comm + "]" : p.cmdline;
}

// Where only the system's package-installed programs live: a deleted binary
// there is most often a package upgrade whose daemon was not restarted.
bool InSystemDirectory(std::string_view path) {
  for (const std::string_view dir : {"/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/opt/"}) {
    if (path.starts_with(dir)) return true;
  }
  return false;
}

bool InScratchDirectory(std::string_view path) {
  for (const std::string_view dir : {"/tmp/", "/var/tmp/", "/dev/shm/", "/run/user/"}) {
    if (path.starts_with(dir)) return true;
  }
  return false;
}

void HuntExe(const std::filesystem::path& proc_dir, const Process& p, bool same_mounts,
             std::vector<Finding>& out) {
  std::array<char, 4096> target{};
  const std::string link = (proc_dir / std::to_string(p.pid) / "exe").string();
  const ssize_t n = readlink(link.c_str(), target.data(), target.size() - 1);
  if (n <= 0) return;  // a kernel thread, or gone
  const ExeLink exe = ParseExeLink(std::string_view(target.data(), static_cast<size_t>(n)));
  bool replaced = false;
  // A path means the same file only inside our own mount namespace.
  if (!exe.deleted && same_mounts) {
    // The same name may hold another file now: compare the mapped inode.
    struct stat running {
    }, on_disk{};
    replaced = stat(link.c_str(), &running) == 0 && stat(exe.path.c_str(), &on_disk) == 0 &&
               (running.st_ino != on_disk.st_ino || running.st_dev != on_disk.st_dev);
  }
  if (!exe.deleted && !replaced) return;
  Finding f;
  f.kind = "deleted_binary";
  const bool system = InSystemDirectory(exe.path);
  // A program run from a memfd never had a file: container runtimes do it
  // (runc), and so does fileless malware.
  const bool memfd = exe.path.starts_with("/memfd:");
  f.severity = system || memfd ? Severity::kMedium : Severity::kHigh;
  if (memfd) {
    f.summary = fmt::format("pid {} ({}) runs a program from memory ({}), not from a file", p.pid,
                            Describe(p), exe.path);
  } else {
    f.summary = fmt::format("pid {} runs {} that was {} on disk{}", p.pid, exe.path,
                            exe.deleted ? "deleted" : "replaced",
                            system ? " (after a package upgrade, restart it)" : "");
  }
  f.pid = p.pid;
  f.path = exe.path;
  f.evidence = {{"command", Describe(p)},
                {"exe", std::string(target.data(), static_cast<size_t>(n))},
                {"uid", std::to_string(p.ruid)},
                {"recover", fmt::format("cp {} FILE keeps a copy of the running binary", link)}};
  out.push_back(std::move(f));
}

void HuntHidden(const std::filesystem::path& proc_dir, const std::vector<Process>& processes,
                std::vector<Finding>& out) {
  std::set<int> listed;
  for (const Process& p : processes) listed.insert(p.pid);
  const auto pid_max_text = ReadProcFile(proc_dir / "sys/kernel/pid_max", 32);
  int64_t pid_max = 32768;
  if (pid_max_text) pid_max = std::max<int64_t>(1, std::atoll(pid_max_text->c_str()));
  pid_max = std::min<int64_t>(pid_max, 1 << 22);
  std::vector<int> candidates;
  for (int pid = 1; pid < pid_max; ++pid) {
    if (listed.contains(pid)) continue;
    if (kill(pid, 0) == 0 || errno == EPERM) candidates.push_back(pid);
  }
  if (candidates.empty()) return;
  // Threads answer kill() too, and processes start all the time: look again.
  std::set<int> relisted;
  for (const Process& p : ReadProcesses(proc_dir)) relisted.insert(p.pid);
  for (const int pid : candidates) {
    if (relisted.contains(pid)) continue;
    const auto status = ReadProcFile(proc_dir / std::to_string(pid) / "status", 16384);
    if (!status) continue;  // gone meanwhile
    const size_t tgid_at = status->find("\nTgid:\t");
    if (tgid_at != std::string::npos && std::atoi(status->c_str() + tgid_at + 7) != pid) continue;
    Finding f;
    f.kind = "hidden_process";
    f.severity = Severity::kHigh;
    f.summary =
        fmt::format("pid {} exists but is missing from the /proc listing: a rootkit hides it", pid);
    f.pid = pid;
    out.push_back(std::move(f));
  }
}

}  // namespace

std::optional<std::string> FindLdPreload(std::string_view environ) {
  while (!environ.empty()) {
    const size_t end = std::min(environ.find('\0'), environ.size());
    const std::string_view entry = environ.substr(0, end);
    if (entry.starts_with("LD_PRELOAD=")) return std::string(entry.substr(11));
    environ.remove_prefix(std::min(end + 1, environ.size()));
  }
  return std::nullopt;
}

ExeLink ParseExeLink(std::string_view target) {
  ExeLink exe;
  exe.deleted = target.ends_with(kDeleted);
  if (exe.deleted) target.remove_suffix(kDeleted.size());
  exe.path = std::string(target);
  return exe;
}

std::vector<Finding> HuntProcesses(const Root& root, const std::filesystem::path& proc_dir,
                                   const std::vector<Process>& processes, bool live) {
  std::vector<Finding> out;
  if (auto text = root.ReadFile("/etc/ld.so.preload", kMaxPreloadBytes); text.ok()) {
    std::string libraries;
    for (char c : *text) libraries += c == '\n' ? ' ' : c;
    while (!libraries.empty() && libraries.back() == ' ') libraries.pop_back();
    if (!libraries.empty()) {
      Finding f;
      f.kind = "preload";
      f.severity = Severity::kHigh;
      f.summary = "/etc/ld.so.preload loads " + libraries + " into every program";
      f.path = "/etc/ld.so.preload";
      f.evidence = {{"libraries", libraries}};
      out.push_back(std::move(f));
    }
  }
  if (!live) return out;
  const std::string own_mounts = ReadNamespace(proc_dir, "self", "mnt");
  for (const Process& p : processes) {
    HuntExe(
        proc_dir, p,
        !own_mounts.empty() && ReadNamespace(proc_dir, std::to_string(p.pid), "mnt") == own_mounts,
        out);
    const auto environ =
        ReadProcFile(proc_dir / std::to_string(p.pid) / "environ", kMaxEnvironBytes);
    if (!environ) continue;
    const std::optional<std::string> preload = FindLdPreload(*environ);
    if (!preload || preload->empty()) continue;
    Finding f;
    f.kind = "preload";
    f.severity = InScratchDirectory(*preload) ? Severity::kHigh : Severity::kMedium;
    f.summary = fmt::format("pid {} ({}) runs with LD_PRELOAD={}", p.pid, Describe(p), *preload);
    f.pid = p.pid;
    f.evidence = {{"LD_PRELOAD", *preload}, {"uid", std::to_string(p.ruid)}};
    out.push_back(std::move(f));
  }
  HuntHidden(proc_dir, processes, out);
  return out;
}

}  // namespace irk::hunt
