// Who is logged in now: utmp's login records joined with the process table,
// as `irk status` and `irk who` show them. Pure: the caller reads the files.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/proc.h"
#include "core/time.h"
#include "logs/login_records.h"

namespace irk::logins {

// One current login. Text fields are raw record bytes: escape them on output.
struct Session {
  std::string user, line, host;
  std::optional<std::string> addr;  // as LoginRecord::addr
  Timestamp login_time;
  int32_t pid = 0;        // utmp's ut_pid: the login's process (sshd, login, a terminal)
  bool alive = false;     // `pid` is in the process table; false for a stale record
  int process_count = 0;  // `pid` and its descendants, plus every process on `line`
  std::string command;    // what the session runs now (see CurrentSessions); "" if unknown
  std::optional<int64_t> idle_seconds;  // since the last input on `line`; nullopt if unknown
};

// The sessions of the USER_PROCESS records of `utmp`, sorted by login time,
// then line, then pid.
//
// `command` is the cmdline of the foreground process group's leader on the
// session's tty (the tty's tpgid), else of the session leader on that tty
// (session id == pid), else of the utmp pid's process; a process with an
// empty cmdline shows as "[comm]". `tty_last_input(line)` is called once for
// each session with a non-empty line and returns when that tty last saw
// input (the caller stats the tty's atime, as w does); idle_seconds is `now`
// minus that, never below 0.
//
// When `processes` is empty, which is how a run on a mounted image (--root)
// calls it, every session has alive false, process_count 0 and command "".
std::vector<Session> CurrentSessions(
    const std::vector<logs::LoginRecord>& utmp, const std::vector<Process>& processes,
    const std::function<std::optional<Timestamp>(std::string_view line)>& tty_last_input,
    Timestamp now);

}  // namespace irk::logins
