// The rules of `irk watch`: what in a live event, or in a change of the
// host, means the attacker is back. Pure: the caller feeds events and
// snapshots in, and gets alerts out.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contain/firewall.h"
#include "core/passwd.h"
#include "core/proc.h"
#include "core/sockets.h"
#include "core/time.h"
#include "logins/login_history.h"
#include "logs/event.h"
#include "logs/timezone.h"
#include "watch/knowledge.h"

namespace irk::watch {

// One alert. Text fields hold the examined system's bytes: escape them for
// the terminal, write them through the JSON writer.
struct Alert {
  // blocked-address, blocked-network, locked-user (events);
  // new-source, attacker-key, attacker-client, burst (logins);
  // new-account, new-uid0, keys-changed, sudoers-changed, sshd-config-changed,
  // account-changed (files); new-listener, locked-user-process (/proc).
  std::string rule;
  Timestamp time;
  std::string summary;             // one line for a person
  std::string user;                // "" when none
  std::string addr;                // "" when none
  std::optional<int64_t> pid;      // the sshd process of a login (for --respond), or the process
  std::vector<std::string> lines;  // the log lines or file lines behind it
  bool block_address = false;      // --respond blocks `addr`
  bool kill_session = false;       // --respond kills process `pid` and what it started

  // The alert as one JSON object.
  std::string Json() const;
  // The alert as one line for a person: "TIME  RULE  SUMMARY", escaped.
  std::string Line() const;
};

// The rules over log events: (a) blocked addresses and their networks,
// (b) locked users, (c) logins from a source never seen for the user or with
// the attack's key, (d) bursts of failures from a new source. Keeps the
// state bursts need; bounded in memory.
class EventRules {
 public:
  // `history` (the logins before watching started) must outlive the rules.
  EventRules(Knowledge knowledge, const logins::LoginHistory& history, WatchSettings settings,
             logins::HabitSettings habits, logs::TimeZone zone);

  // The alerts `event` raises, in rule order; none for most events.
  std::vector<Alert> Judge(const logs::Event& event);

  // Replaces what the case knows (after SIGHUP).
  void Reload(Knowledge knowledge) { knowledge_ = std::move(knowledge); }
  const Knowledge& knowledge() const { return knowledge_; }

  // Failure sources tracked for bursts at most; past it they start over.
  static constexpr size_t kMaxBurstSources = 16384;

 private:
  std::optional<Alert> Burst(const logs::Event& event, const IpAddress& ip);
  std::optional<Alert> Login(const logs::Event& event);

  Knowledge knowledge_;
  const logins::LoginHistory& history_;
  WatchSettings settings_;
  logins::HabitSettings habits_;
  logs::TimeZone zone_;
  struct Failures {
    std::deque<Timestamp> times;    // within the window
    std::deque<std::string> lines;  // the last few of them
  };
  ClientVersions clients_;                              // what each sshd process announced, for (c)
  std::unordered_map<std::string, Failures> failures_;  // by address
  std::set<std::string> seen_logins_;                   // "user\naddress" already alerted
};

// The host files watched for (e), read whole (bounded), by path.
struct HostFiles {
  std::map<std::string, std::string> contents;  // path → bytes; absent files are left out
  std::vector<PasswdEntry> accounts;            // /etc/passwd parsed
};

// The paths (e) watches given the accounts: passwd, shadow, group,
// gshadow, sudoers, sshd_config, and each user's .ssh/authorized_keys and
// authorized_keys2. Folders (sudoers.d, sshd_config.d) are listed by the caller.
std::vector<std::string> WatchedFilePaths(const std::vector<PasswdEntry>& accounts);

// (e): what changed between two readings of the host files.
std::vector<Alert> CompareHostFiles(const HostFiles& before, const HostFiles& after, Timestamp now);

// "ADDR:PORT" of every listening socket in `sockets`, sorted.
std::set<std::string> Listeners(const std::vector<TcpSocket>& sockets);

// (f): listeners in `after` that were not in `before`.
std::vector<Alert> NewListeners(const std::set<std::string>& before,
                                const std::set<std::string>& after, Timestamp now);

// (f): processes of the locked users (uid → name) not in `reported`, which
// they are added to.
std::vector<Alert> LockedUserProcesses(const std::vector<Process>& processes,
                                       const std::map<uint32_t, std::string>& locked,
                                       std::set<std::pair<int, uint64_t>>& reported, Timestamp now);

// (a): packets irk's block dropped, from the counters nftables keeps per
// source (contain::ParseDroppedSources). A source is reported when it first
// appears and then whenever its count grew, at most once a minute each;
// what was there before watching began is no alert.
class DropRule {
 public:
  static constexpr int64_t kRepeatSeconds = 60;

  // Takes `sources` as already reported (the watch's start).
  void Baseline(const std::vector<contain::DroppedSource>& sources);
  // The alerts for `sources`, the counters read `now`.
  std::vector<Alert> Judge(const std::vector<contain::DroppedSource>& sources,
                           const Knowledge& knowledge, Timestamp now);

 private:
  struct Reported {
    uint64_t packets = 0;       // the count at the last alert (or the baseline)
    std::optional<int64_t> at;  // seconds, of the last alert
  };
  std::map<std::string, Reported> reported_;  // by address; bounded by nftables' set size
};

}  // namespace irk::watch
