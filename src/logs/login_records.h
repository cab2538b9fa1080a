// Login records: the utmp, wtmp and btmp files, read from their bytes in any
// of the three layouts Linux uses, so files from another machine's disk read
// as well as this host's. Parsing is pure; only the two Read functions touch
// a file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace irk::logs {

// ut_type. The numbers are the file's values.
enum class LoginRecordType {
  kEmpty = 0,
  kRunLevel = 1,
  kBootTime = 2,
  kNewTime = 3,
  kOldTime = 4,
  kInitProcess = 5,
  kLoginProcess = 6,
  kUserProcess = 7,
  kDeadProcess = 8,
  kAccounting = 9,
  kUnknown,  // any other value; the record also gets a problem naming it
};

// "USER_PROCESS" and so on, as utmp(5) names them; "UNKNOWN" for kUnknown.
std::string_view LoginRecordTypeName(LoginRecordType type);

enum class LoginRecordLayout {
  kX86_64,       // 384 bytes, little-endian, int32 session and time (x86-64 glibc)
  kAarch64,      // 400 bytes, little-endian, int64 session/sec/usec at 336/344/352, address at 360
  kBigEndian64,  // 400 bytes as kAarch64 but big-endian (s390x)
};

// 384 or 400.
size_t LoginRecordSize(LoginRecordLayout layout);

// One record. The text fields are the raw bytes up to the first NUL (or the
// whole fixed field when it has none): hostile, escape them on output.
struct LoginRecord {
  LoginRecordType type = LoginRecordType::kEmpty;
  int32_t pid = 0;
  std::string line;     // ut_line, at most 32 bytes: "pts/3", "tty1", "~"
  std::string id;       // ut_id, at most 4 bytes
  std::string user;     // ut_user, at most 32 bytes
  std::string host;     // ut_host, at most 256 bytes
  int64_t session = 0;  // ut_session; int32 in the 384-byte layout, int64 in the others
  Timestamp time;       // ut_tv; micros is 0 when the file's value is out of range
  // ut_addr_v6 as normalized text: IPv4 when the last 12 bytes are zero, or
  // for an IPv4-mapped address (but ::ffff:0.0.0.0); IPv6 otherwise; nullopt
  // when all zero. An IPv6 address that ends in 12 zero bytes reads as IPv4
  // here, because the format cannot tell them apart: cross-check with `host`.
  std::optional<std::string> addr;
  uint64_t offset = 0;  // of the record's first byte in the file
};

// Something wrong in the file. Parsing goes on past it.
struct LoginRecordProblem {
  uint64_t offset = 0;  // of the record concerned (the first of a run)
  std::string what;     // "truncated record: 100 of 384 bytes", "invalid record type 4711"
};

struct LoginRecords {
  LoginRecordLayout layout = LoginRecordLayout::kX86_64;
  std::vector<LoginRecord> records;          // in file order; without zeroed and truncated records
  std::vector<LoginRecordProblem> problems;  // in file order; at most 1000, then one saying so
};

// Which layout `bytes` (a file's beginning) is written in: the one under
// which most of the first 64 records are plausible non-empty records (type
// 1-9, microseconds below a million, time after 1970 and before 2100, a
// printable line). Ties, including files with no such record, go to kX86_64.
LoginRecordLayout DetectLoginRecordLayout(std::string_view bytes);

// Parses a whole utmp/wtmp/btmp file. Never fails: an empty input has no
// records; what is wrong becomes a problem and the rest is still read.
// Problems: "invalid record type N" (the record is kept as kUnknown), "time
// out of range ..." (kept), a run of all-zero records (dropped; they are what
// log cleaners leave, and chkrootkit's chkwtmp looks for them), and a
// truncated last record (dropped).
LoginRecords ParseLoginRecords(std::string_view bytes);

// Reads `file` as ParseLoginRecords does, in chunks of 1024 records, so
// memory does not grow with the file beyond the records themselves. Refuses
// symbolic links, FIFOs, devices and directories without opening them for
// blocking reads. Errors name the file: "read /var/log/wtmp: no such file or
// directory", "read /tmp/x: not a regular file (a FIFO)".
Result<LoginRecords> ReadLoginRecordFile(const std::filesystem::path& file);

// ReadLoginRecordFile's reading, from `fd` (a file opened by the caller, as
// Root::OpenFile opens one inside a mounted image) named `name` in errors.
// Reads from the current position; does not close `fd`.
Result<LoginRecords> ReadLoginRecords(int fd, std::string_view name);

// The bytes of `record` in `layout`, as glibc would write them: text fields
// cut to their size, `addr` parsed back to 16 bytes (zero when nullopt or not
// an address), kUnknown written as type -1, `offset` ignored. For tests and
// for building fixtures that --root runs read.
std::string EncodeLoginRecord(const LoginRecord& record, LoginRecordLayout layout);

}  // namespace irk::logs
