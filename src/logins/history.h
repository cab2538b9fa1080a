// Past logins from wtmp (as `last` shows them) and failed logins from btmp
// grouped by where they came from (what `lastb` leaves the reader to do).
// Pure functions over parsed login records.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "logs/login_records.h"

namespace irk::logins {

// One login and how it ended. Text fields are raw record bytes.
struct PastLogin {
  enum class End {
    kLoggedOut,      // a DEAD_PROCESS record ended it
    kStillLoggedIn,  // nothing after it ended it
    kNoLogout,       // a reboot, or a newer login on the same line, came first (a crash)
  };

  std::string user, line, host;
  std::optional<std::string> addr;  // as LoginRecord::addr
  Timestamp login;
  std::optional<Timestamp> logout;  // set for kLoggedOut only
  End end = End::kStillLoggedIn;
};

// The newest `count` USER_PROCESS logins of `wtmp`, newest first in file
// order (the order they were written, which a clock change cannot reorder).
// A login ends at the first later DEAD_PROCESS on the same line, or, when
// none is on that line, with the same pid. A later BOOT_TIME record, or a
// later login on the same line, before any such logout makes it kNoLogout; a
// logout written after a reboot never ends a login from before it.
std::vector<PastLogin> LastLogins(const std::vector<logs::LoginRecord>& wtmp, size_t count);

// Failed logins from one place.
struct FailedSource {
  std::string source;  // the address text, else the host, else "(local)"
  int count = 0;
  std::vector<std::string> users;  // distinct user names tried, sorted; the first 5 only
  size_t distinct_users = 0;       // how many distinct user names were tried in all
  Timestamp first, last;           // earliest and latest attempt
};

// Groups the LOGIN_PROCESS and USER_PROCESS records of `btmp` (sshd and
// login write the former, some tools the latter) by source. Sorted by count,
// highest first, then by source.
std::vector<FailedSource> FailedBySource(const std::vector<logs::LoginRecord>& btmp);

}  // namespace irk::logins
