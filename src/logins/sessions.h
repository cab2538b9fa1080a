// Who is logged in now: utmp's login records joined with the process table,
// as `irk status` and `irk who` show them. Pure: the caller reads the files.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.h"
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
  std::optional<uint16_t> port;         // the client's port, read from the connection's socket
  int32_t sshd_pid =
      0;                // sshd's privileged process (its log lines' pid); 0 when not ssh or unknown
  bool in_utmp = true;  // false: found from sshd's processes only (see CurrentSessions)
};

// The remote end of a TCP connection.
struct Peer {
  IpAddress addr;
  uint16_t port = 0;
};

// What CurrentSessions asks of the live host beyond the process table. Each
// may be empty (a mounted image, a test): the answer is then unknown.
struct SessionProbes {
  // When the tty `line` last saw input (its atime, as w reads it).
  std::function<std::optional<Timestamp>(std::string_view line)> tty_last_input;
  // The remote end of the established TCP connection process `pid` holds.
  std::function<std::optional<Peer>(int pid)> peer_of;
  std::optional<int64_t> boot_time;  // seconds since the epoch, for process start times
  int64_t ticks_per_second = 100;    // sysconf(_SC_CLK_TCK)
};

// The sessions of the USER_PROCESS records of `utmp`, sorted by login time,
// then line, then pid.
//
// `command` is the cmdline of the foreground process group's leader on the
// session's tty (the tty's tpgid), else of the session leader on that tty
// (session id == pid), else of the utmp pid's process; a process with an
// empty cmdline shows as "[comm]". `probes.tty_last_input(line)` is called once for
// each session with a non-empty line and returns when that tty last saw
// input (the caller stats the tty's atime, as w does); idle_seconds is `now`
// minus that, never below 0.
//
// Sessions also come from the process table, so that one missing from utmp
// (wiped by a log cleaner, or on a host that keeps no utmp) still shows: each
// ssh connection is a root-owned "sshd: USER [priv]" process with a child
// "sshd: USER@pts/N" (or "@notty"; "sshd-session:" since OpenSSH 9.8). A
// utmp session whose process descends from that child, or with the same user
// and line, is the same session: it gains sshd_pid and the peer's address
// and port. Any other becomes a session with in_utmp false: login_time is
// the [priv] process's start, pid the child's, addr and port from
// `probes.peer_of`. A "sshd:" process without a root-owned [priv] parent is
// not trusted as a session (any user can name a process so).
//
// When `processes` is empty, which is how a run on a mounted image (--root)
// calls it, every session has alive false, process_count 0 and command "".
std::vector<Session> CurrentSessions(const std::vector<logs::LoginRecord>& utmp,
                                     const std::vector<Process>& processes,
                                     const SessionProbes& probes, Timestamp now);

}  // namespace irk::logins
