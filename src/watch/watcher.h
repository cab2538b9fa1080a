// The live loop of `irk watch`: every log source followed (files through
// inotify on their folders, the journal through its wait descriptor), the
// host's account, sudo and sshd files and every user's authorized_keys
// watched, /proc polled for new listeners and processes of locked users,
// irk's nftables counters for packets dropped from blocked sources;
// each event and change judged by the rules, each alert handed on.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contain/firewall.h"
#include "core/case_store.h"
#include "core/config.h"
#include "core/result.h"
#include "core/root.h"
#include "logins/login_history.h"
#include "logs/event_reader.h"
#include "logs/journal.h"
#include "watch/cursor_store.h"
#include "watch/follower.h"
#include "watch/rules.h"

namespace irk::watch {

struct WatchOptions {
  std::vector<std::string>
      files;             // follow these log files (paths in the root) instead of the default ones
  bool journal = false;  // follow the journal even where a text auth log exists
  // Start at this time (files from their start, the journal from the time)
  // instead of at the saved cursors, or at the end when there are none.
  std::optional<Timestamp> since;
  bool host = true;  // watch the host's files and /proc (rules e and f)
};

// What the watch has seen, for the summary line.
struct WatchCounts {
  uint64_t lines = 0;   // log lines and journal entries read
  uint64_t events = 0;  // events they held
  uint64_t alerts = 0;
  uint64_t rotations = 0;
};

using AlertSink = std::function<void(const Alert&)>;

class Watcher {
  struct Key {};  // only Start makes watchers

 public:
  // Reads the case (blocked networks, locked users), the login history of
  // every default source (which also teaches the attack's keys and users),
  // the settings ([watch], [logins]) and the host's current state; opens the
  // followers at their saved cursors; sets up inotify. Problems with single
  // sources go to `problem`; watching goes on without them.
  static Result<std::unique_ptr<Watcher>> Start(CaseStore& store, const Root& root,
                                                const Config& config, WatchOptions options,
                                                const std::function<void(const Error&)>& problem);
  Watcher(Key, CaseStore& store, const Root& root);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Waits until a source changes, `timeout_ms` passes or `wake_fd` (>= 0)
  // becomes readable; reads everything new and hands each alert to `sink`.
  // Returns true when `wake_fd` is readable (it is not read). Per-source
  // read errors go to `problem`.
  Result<bool> Step(int wake_fd, int timeout_ms, const AlertSink& sink,
                    const std::function<void(const Error&)>& problem);

  // Saves every source's cursor into the case.
  Status SaveCursors();
  // Re-reads the case's actions: what is blocked and locked now.
  Status Reload();

  const WatchCounts& counts() const { return counts_; }
  const Knowledge& knowledge() const { return rules_->knowledge(); }
  // The log files followed, and whether the journal is.
  std::vector<std::string> FollowedFiles() const;
  bool following_journal() const { return journal_ != nullptr; }

 private:
  void HandleEvent(const logs::Event& event, const AlertSink& sink);
  void CheckHost(bool files_changed, const AlertSink& sink);
  // The sources irk's block dropped packets from, by nftables' counters;
  // none without irk's table.
  std::vector<contain::DroppedSource> ReadDropped() const;
  void WatchFolder(const std::string& folder, bool host);
  Cursors CurrentCursors() const;

  CaseStore& store_;
  const Root& root_;
  WatchOptions options_;
  WatchSettings settings_;
  logs::TimeZone zone_;
  logins::LoginHistory history_;
  std::unique_ptr<EventRules> rules_;
  std::unique_ptr<logs::EventReader> reader_;
  std::vector<FileFollower> followers_;
  std::unique_ptr<logs::JournalReader> journal_;
  std::string journal_cursor_;
  Fd inotify_;
  std::map<int, bool> watches_;  // inotify watch → it is a host folder (rules e)
  HostFiles host_files_;
  std::set<std::string> listeners_;
  std::set<std::pair<int, uint64_t>> reported_processes_;
  std::unique_ptr<contain::Firewall> firewall_;  // this namespace's, on the live host
  DropRule drops_;
  int64_t last_proc_check_ = 0;  // seconds, of the last /proc poll
  int64_t last_host_read_ = 0;   // seconds, of the last reading of the host files
  int64_t last_save_ = 0;        // seconds, of the last cursor save
  bool unsaved_ = false;         // lines were read since the last save
  WatchCounts counts_;
};

}  // namespace irk::watch
