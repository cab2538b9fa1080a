// What `irk status` and `irk who` show, gathered from a system: who is on now
// and how usual their source is, the last logins, and the sources failing
// most. Reading happens here; the judging is in sessions.h, history.h and
// login_history.h.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/root.h"
#include "core/time.h"
#include "logins/history.h"
#include "logins/login_history.h"
#include "logins/sessions.h"
#include "logs/event_reader.h"
#include "logs/timezone.h"

namespace irk::logins {

// Where the login history is read from.
struct HistorySources {
  bool journal = false;            // read the journal even where text auth logs exist
  std::vector<std::string> files;  // files of this host, read as `irk events FILE` reads them
};

// Reads the root's default sources (as `irk events` does) and `sources`,
// passing the events `filter` keeps to `sink`. Never fails: what cannot be
// read becomes a warning, prefixed with `context`.
void ReadEvents(const Root& root, const logs::TimeZone& zone, const HistorySources& sources,
                const logs::EventFilter& filter, const logs::EventSink& sink,
                std::string_view context, std::vector<std::string>& warnings);

// Reads the root's default sources (as `irk events` does) and `sources` into
// a finished history. Never fails: what cannot be read becomes a warning.
LoginHistory ReadLoginHistory(const Root& root, const logs::TimeZone& zone,
                              const HistorySources& sources, std::vector<std::string>& warnings);

struct StatusOptions {
  size_t last_logins = 10;
  int64_t failing_window_seconds = 24 * 3600;  // failing sources of this last stretch of time
  HabitSettings habits;
  HistorySources history;
};

struct StatusReport {
  std::string host;  // the examined system's host name; "" when unknown
  Timestamp now;
  bool live = false;  // the running host (processes read from /proc), not an image
  std::string utmp_path, wtmp_path, btmp_path;  // as the examined system names them
  bool utmp_missing = false;  // the system keeps no utmp: sessions come from /proc only
  std::vector<Session> sessions;
  std::vector<Judgement> judgements;          // one per session, in the same order
  std::vector<PastLogin> last_logins;         // newest first
  std::vector<FailedSource> failing_sources;  // of the window, most failures first
  int failed_total = 0;                       // failed attempts in the window
  // Files that could not be read: shown, never fatal.
  std::vector<std::string> warnings;
  // Signs of trouble in the login records themselves (zeroed or corrupt
  // records, each naming file and offset): they need attention.
  std::vector<std::string> findings;
};

// Reads the login records and logs of `root` and, on the live host, the
// processes under `proc_dir`. Never fails: what cannot be read becomes a
// warning.
StatusReport GatherStatus(const Root& root, const std::filesystem::path& proc_dir,
                          const StatusOptions& options, Timestamp now);

}  // namespace irk::logins
