#include "logins/sessions.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace irk::logins {
namespace {

// ps shows a process without arguments (one that blanked them, or a zombie)
// by its kernel name in brackets; so do we, rather than an empty column.
std::string CommandOf(const Process& p) {
  return p.cmdline.empty() ? "[" + p.comm + "]" : p.cmdline;
}

// The process table, indexed for the questions a session asks of it.
class ProcessIndex {
 public:
  explicit ProcessIndex(const std::vector<Process>& processes) : processes_(processes) {
    for (const Process& p : processes) {
      by_pid_[p.pid] = &p;
      children_[p.ppid].push_back(p.pid);
      if (p.tty_nr != 0) by_tty_[TtyName(p.tty_nr)].push_back(&p);
    }
  }

  const Process* Find(int pid) const {
    const auto it = by_pid_.find(pid);
    return it == by_pid_.end() ? nullptr : it->second;
  }

  const std::vector<const Process*>& OnTty(const std::string& line) const {
    static const std::vector<const Process*> kNone;
    const auto it = by_tty_.find(line);
    return line.empty() || it == by_tty_.end() ? kNone : it->second;
  }

  // `pid` and everything below it. The set of visited pids stops a ppid
  // cycle, which a fake or racing table could hold, from looping.
  void AddDescendants(int pid, std::set<int>& out) const {
    std::vector<int> todo = {pid};
    while (!todo.empty()) {
      const int next = todo.back();
      todo.pop_back();
      if (!out.insert(next).second) continue;
      const auto it = children_.find(next);
      if (it == children_.end()) continue;
      for (const int child : it->second) {
        if (child != next) todo.push_back(child);
      }
    }
  }

  bool empty() const { return processes_.empty(); }

 private:
  const std::vector<Process>& processes_;
  std::unordered_map<int, const Process*> by_pid_;
  std::unordered_map<int, std::vector<int>> children_;
  std::unordered_map<std::string, std::vector<const Process*>> by_tty_;
};

std::string SessionCommand(const ProcessIndex& index, const std::string& line, int32_t pid) {
  const std::vector<const Process*>& on_tty = index.OnTty(line);
  int tpgid = -1;
  for (const Process* p : on_tty) {
    if (p->tpgid > 0) tpgid = p->tpgid;
  }
  for (const Process* p : on_tty) {
    if (tpgid > 0 && p->pid == tpgid) return CommandOf(*p);
  }
  for (const Process* p : on_tty) {
    if (p->session == p->pid) return CommandOf(*p);
  }
  if (const Process* p = index.Find(pid)) return CommandOf(*p);
  return "";
}

// One ssh connection as sshd's processes show it.
struct SshdProcess {
  std::string user;
  std::string line;                  // "pts/3"; "" for "notty"
  const Process* monitor = nullptr;  // the root-owned "[priv]" process
  const Process* child = nullptr;    // "sshd: USER@pts/3"
};

// "sshd: " or "sshd-session: " (OpenSSH 9.8 split the session binary off).
std::optional<std::string_view> SshdTitle(const Process& p) {
  if (p.comm != "sshd" && p.comm != "sshd-session") return std::nullopt;
  for (const std::string_view prefix : {"sshd: ", "sshd-session: "}) {
    if (std::string_view(p.cmdline).starts_with(prefix)) {
      return std::string_view(p.cmdline).substr(prefix.size());
    }
  }
  return std::nullopt;
}

std::vector<SshdProcess> FindSshdSessions(const ProcessIndex& index,
                                          const std::vector<Process>& processes) {
  std::vector<SshdProcess> found;
  for (const Process& p : processes) {
    const std::optional<std::string_view> title = SshdTitle(p);
    if (!title) continue;
    // The user name comes before the last '@': sshd writes "USER@TTY", and a
    // user name cannot hold the '@' that a tty name never holds.
    const size_t at = title->rfind('@');
    if (at == std::string_view::npos || at == 0) continue;
    SshdProcess s;
    s.user = std::string(title->substr(0, at));
    const std::string_view tty = title->substr(at + 1);
    if (tty != "notty") s.line = std::string(tty);
    s.child = &p;
    const Process* parent = index.Find(p.ppid);
    const std::optional<std::string_view> parent_title =
        parent != nullptr ? SshdTitle(*parent) : std::nullopt;
    if (!parent_title || parent->euid != 0 || *parent_title != s.user + " [priv]") continue;
    s.monitor = parent;
    found.push_back(std::move(s));
  }
  return found;
}

bool DescendsFrom(const ProcessIndex& index, int pid, int ancestor) {
  std::set<int> seen;
  for (const Process* p = index.Find(pid); p != nullptr && seen.insert(p->pid).second;
       p = index.Find(p->ppid)) {
    if (p->pid == ancestor) return true;
  }
  return false;
}

void FillFromSshd(Session& s, const SshdProcess& sshd, const SessionProbes& probes) {
  s.sshd_pid = sshd.monitor->pid;
  if (!probes.peer_of) return;
  std::optional<Peer> peer = probes.peer_of(sshd.monitor->pid);
  if (!peer) peer = probes.peer_of(sshd.child->pid);
  if (!peer) return;
  if (!s.addr) s.addr = peer->addr.ToString();
  s.port = peer->port;
}

}  // namespace

std::vector<Session> CurrentSessions(const std::vector<logs::LoginRecord>& utmp,
                                     const std::vector<Process>& processes,
                                     const SessionProbes& probes, Timestamp now) {
  const ProcessIndex index(processes);
  std::vector<Session> sessions;
  for (const logs::LoginRecord& r : utmp) {
    if (r.type != logs::LoginRecordType::kUserProcess) continue;
    Session s;
    s.user = r.user;
    s.line = r.line;
    s.host = r.host;
    s.addr = r.addr;
    s.login_time = r.time;
    s.pid = r.pid;
    sessions.push_back(std::move(s));
  }
  for (const SshdProcess& sshd : FindSshdSessions(index, processes)) {
    const auto same = std::find_if(sessions.begin(), sessions.end(), [&](const Session& s) {
      return s.in_utmp && s.sshd_pid == 0 &&
             ((s.pid > 0 && DescendsFrom(index, s.pid, sshd.child->pid)) ||
              (!sshd.line.empty() && s.user == sshd.user && s.line == sshd.line));
    });
    if (same != sessions.end()) {
      FillFromSshd(*same, sshd, probes);
      continue;
    }
    Session s;
    s.user = sshd.user;
    s.line = sshd.line;
    s.pid = sshd.child->pid;
    s.in_utmp = false;
    if (probes.boot_time) {
      s.login_time = StartTime(*sshd.monitor, *probes.boot_time, probes.ticks_per_second);
    }
    FillFromSshd(s, sshd, probes);
    sessions.push_back(std::move(s));
  }
  for (Session& s : sessions) {
    if (!index.empty()) {
      s.alive = s.pid > 0 && index.Find(s.pid) != nullptr;
      std::set<int> members;
      if (s.alive) index.AddDescendants(s.pid, members);
      for (const Process* p : index.OnTty(s.line)) members.insert(p->pid);
      s.process_count = static_cast<int>(members.size());
      s.command = SessionCommand(index, s.line, s.alive ? s.pid : 0);
    }
    if (!s.line.empty() && probes.tty_last_input) {
      if (const std::optional<Timestamp> input = probes.tty_last_input(s.line)) {
        s.idle_seconds = std::max<int64_t>(0, now.seconds - input->seconds);
      }
    }
  }
  std::sort(sessions.begin(), sessions.end(), [](const Session& a, const Session& b) {
    if (a.login_time != b.login_time) return a.login_time < b.login_time;
    if (a.line != b.line) return a.line < b.line;
    return a.pid < b.pid;
  });
  return sessions;
}

}  // namespace irk::logins
