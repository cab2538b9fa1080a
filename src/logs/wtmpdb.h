// The SQLite login stores of newer distributions, which write no wtmp or
// lastlog: wtmpdb's /var/lib/wtmpdb/wtmp.db (every login, logout and boot)
// and util-linux lastlog2's /var/lib/lastlog/lastlog2.db (each user's last
// login). Read-only and immutable, so the evidence is never written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "core/time.h"

namespace irk::logs {

// Longest text kept from a column: longer values are cut to this many bytes.
inline constexpr size_t kMaxLoginStoreText = 1024;
// Most rows read from one database; more is an error.
inline constexpr size_t kMaxLoginStoreRows = 10'000'000;
// Most problems kept; a last one then says that more were left out.
inline constexpr size_t kMaxLoginStoreProblems = 1000;

// One row of wtmpdb's table `wtmp(ID INTEGER PRIMARY KEY, Type INTEGER,
// User TEXT, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT,
// Service TEXT)`. Text is the raw bytes (at most kMaxLoginStoreText; a NULL
// is ""): hostile, escape it on output.
struct WtmpdbLogin {
  int64_t id = 0;  // the row's ID, growing by one per login: a gap is a deleted row
  std::string user;
  std::string tty;                  // "pts/0", "tty1"; for a boot, often the kernel's version
  std::string remote_host;          // an address or host name; "" for local logins
  std::string service;              // the PAM service: "sshd", "login", "systemd-user"
  Timestamp login;                  // Login, microseconds since the epoch
  std::optional<Timestamp> logout;  // Logout; nullopt while logged in (or never closed)
  // Type 1, BOOT_TIME in wtmpdb.h: a system boot (user "reboot"). Type 3,
  // USER_PROCESS, is a login, as is any other value (2, RUNLEVEL, is unused).
  bool boot = false;
};

struct WtmpdbLogins {
  std::vector<WtmpdbLogin> logins;  // in ID order
  // What was not read, one line each: "row 12: Login is text, not an
  // integer", or a non-empty -wal beside the database ("…/wtmp.db-wal holds
  // 4120 bytes of transactions that were not read"); at most
  // kMaxLoginStoreProblems, then one saying how many more.
  std::vector<std::string> problems;
};

// One row of lastlog2's table `Lastlog2(Name TEXT PRIMARY KEY, Time
// INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT)`: the last login of a
// user by name (lastlog2 keys by name, where lastlog keys by uid). Text as
// in WtmpdbLogin.
struct Lastlog2Entry {
  std::string user;
  Timestamp time;  // Time, whole seconds since the epoch
  std::string tty;
  std::string remote_host;
  std::string service;
};

struct Lastlog2Entries {
  std::vector<Lastlog2Entry> entries;  // in the order of user names (bytewise)
  std::vector<std::string> problems;   // as in WtmpdbLogins
};

inline constexpr std::string_view kWtmpdbPath = "/var/lib/wtmpdb/wtmp.db";
inline constexpr std::string_view kLastlog2Path = "/var/lib/lastlog/lastlog2.db";

// Reads the wtmpdb database `path` (as the examined system names it) under
// `root`. The file is opened as Root::OpenFile would (a symbolic link
// anywhere on the way is refused) and through Database::OpenReadOnly, so it
// is never written, nor is a -wal beside it read (a non-empty one is a
// problem). Fails naming the file when
// it is missing, not a database, or has no table `wtmp` with those columns
// ("read /mnt/img/var/lib/wtmpdb/wtmp.db: not a wtmpdb database: no such
// column: Logout"), or has more than kMaxLoginStoreRows rows. A row whose
// Login is not an integer becomes a problem; a Logout that is not an integer
// or NULL becomes a problem and nullopt.
Result<WtmpdbLogins> ReadWtmpdb(const Root& root, std::string_view path = kWtmpdbPath);

// Reads the lastlog2 database `path` as ReadWtmpdb reads wtmpdb's; a row
// whose Time is not an integer becomes a problem.
Result<Lastlog2Entries> ReadLastlog2(const Root& root, std::string_view path = kLastlog2Path);

}  // namespace irk::logs
