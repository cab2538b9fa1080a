#include "logins/history.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace irk::logins {
namespace {

using logs::LoginRecord;
using logs::LoginRecordType;

// What ends the next older login on a line or pid, while LastLogins walks
// wtmp backwards.
struct Ending {
  Timestamp time;
  bool superseded = false;  // a newer login on the line, not a logout
  std::string line;
  int32_t pid = 0;
};

class Endings {
 public:
  void Add(Ending ending) {
    const size_t id = endings_.size();
    if (!ending.line.empty()) by_line_[ending.line] = id;
    if (ending.pid > 0 && !ending.superseded) by_pid_[ending.pid] = id;
    endings_.push_back(std::move(ending));
  }

  // Removes and returns what ends a login on `line` by `pid`, if anything.
  std::optional<Ending> Take(const std::string& line, int32_t pid) {
    std::optional<size_t> id;
    if (const auto it = by_line_.find(line); !line.empty() && it != by_line_.end()) {
      id = it->second;
    } else if (const auto pit = by_pid_.find(pid); pid > 0 && pit != by_pid_.end()) {
      id = pit->second;
    }
    if (!id) return std::nullopt;
    const Ending& e = endings_[*id];
    if (const auto it = by_line_.find(e.line); it != by_line_.end() && it->second == *id) {
      by_line_.erase(it);
    }
    if (const auto it = by_pid_.find(e.pid); it != by_pid_.end() && it->second == *id) {
      by_pid_.erase(it);
    }
    return e;
  }

  void Clear() {
    by_line_.clear();
    by_pid_.clear();
  }

 private:
  std::vector<Ending> endings_;
  std::unordered_map<std::string, size_t> by_line_;
  std::unordered_map<int32_t, size_t> by_pid_;
};

}  // namespace

std::vector<PastLogin> LastLogins(const std::vector<LoginRecord>& wtmp, size_t count) {
  std::vector<PastLogin> logins;
  Endings endings;
  bool boot_seen = false;  // a BOOT_TIME record newer than where the walk is
  for (auto it = wtmp.rbegin(); it != wtmp.rend() && logins.size() < count; ++it) {
    const LoginRecord& r = *it;
    switch (r.type) {
      case LoginRecordType::kBootTime:
        boot_seen = true;
        endings.Clear();
        break;
      case LoginRecordType::kDeadProcess:
        endings.Add({r.time, false, r.line, r.pid});
        break;
      case LoginRecordType::kUserProcess: {
        PastLogin login;
        login.user = r.user;
        login.line = r.line;
        login.host = r.host;
        login.addr = r.addr;
        login.login = r.time;
        if (const std::optional<Ending> ending = endings.Take(r.line, r.pid)) {
          if (ending->superseded) {
            login.end = PastLogin::End::kNoLogout;
          } else {
            login.end = PastLogin::End::kLoggedOut;
            login.logout = ending->time;
          }
        } else {
          login.end = boot_seen ? PastLogin::End::kNoLogout : PastLogin::End::kStillLoggedIn;
        }
        if (!r.line.empty()) endings.Add({r.time, true, r.line, r.pid});
        logins.push_back(std::move(login));
        break;
      }
      default:
        break;
    }
  }
  return logins;
}

}  // namespace irk::logins
