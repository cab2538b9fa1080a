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

}  // namespace

std::vector<Session> CurrentSessions(
    const std::vector<logs::LoginRecord>& utmp, const std::vector<Process>& processes,
    const std::function<std::optional<Timestamp>(std::string_view line)>& tty_last_input,
    Timestamp now) {
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
    if (!index.empty()) {
      s.alive = r.pid > 0 && index.Find(r.pid) != nullptr;
      std::set<int> members;
      if (s.alive) index.AddDescendants(r.pid, members);
      for (const Process* p : index.OnTty(s.line)) members.insert(p->pid);
      s.process_count = static_cast<int>(members.size());
      s.command = SessionCommand(index, s.line, s.alive ? r.pid : 0);
    }
    if (!s.line.empty() && tty_last_input) {
      if (const std::optional<Timestamp> input = tty_last_input(s.line)) {
        s.idle_seconds = std::max<int64_t>(0, now.seconds - input->seconds);
      }
    }
    sessions.push_back(std::move(s));
  }
  std::sort(sessions.begin(), sessions.end(), [](const Session& a, const Session& b) {
    if (a.login_time != b.login_time) return a.login_time < b.login_time;
    if (a.line != b.line) return a.line < b.line;
    return a.pid < b.pid;
  });
  return sessions;
}

}  // namespace irk::logins
