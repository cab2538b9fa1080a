// What `irk status` shows, gathered from a system: who is on now, the last
// logins, and failed logins by source. Reading happens here; the judging is
// in sessions.h and history.h.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/root.h"
#include "core/time.h"
#include "logins/history.h"
#include "logins/sessions.h"

namespace irk::logins {

struct StatusReport {
  std::string host;  // the examined system's host name; "" when unknown
  Timestamp now;
  bool live = false;  // the running host (processes read from /proc), not an image
  std::string utmp_path, wtmp_path, btmp_path;  // as the examined system names them
  std::vector<Session> sessions;
  std::vector<PastLogin> last_logins;        // newest first
  std::vector<FailedSource> failed_sources;  // most failures first
  int failed_total = 0;
  // Files that could not be read: shown, never fatal.
  std::vector<std::string> warnings;
  // Signs of trouble in the login records themselves (zeroed or corrupt
  // records, each naming file and offset): they need attention.
  std::vector<std::string> findings;
};

// Reads the login records of `root` and, on the live host, the processes
// under `proc_dir`. Never fails: what cannot be read becomes a warning.
StatusReport GatherStatus(const Root& root, const std::filesystem::path& proc_dir,
                          size_t last_logins, Timestamp now);

}  // namespace irk::logins
