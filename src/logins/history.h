// Past logins from wtmp, as `last` shows them. A pure function over parsed
// login records.
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

}  // namespace irk::logins
