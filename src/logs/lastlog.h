// The lastlog file (/var/log/lastlog): each user's last login, one
// fixed-size record per uid in a sparse file, in the layouts of x86-64 and of
// the 64-bit-time architectures. Parsing is pure; ReadLastlog visits only
// the file's data, so a record at uid 4 billion costs no terabyte of reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/root.h"
#include "core/time.h"

namespace irk::logs {

enum class LastlogLayout {
  kTime32,  // 292 bytes: int32 ll_time, line[32], host[256]; x86-64 and 32-bit, little-endian
  kTime64,  // 296 bytes: int64 ll_time, line[32], host[256]; aarch64, little-endian
  kTime64BigEndian,  // 296 bytes as kTime64, big-endian (s390x, ppc64)
};

// 292 or 296.
size_t LastlogRecordSize(LastlogLayout layout);

// One user's last login. The text fields are the raw bytes up to the first
// NUL (or the whole field when it has none): hostile, escape them on output.
struct LastlogEntry {
  uint32_t uid = 0;  // the record's index: its offset over the record size
  Timestamp time;    // ll_time, whole seconds; as written, even if 0 or negative
  std::string line;  // ll_line, at most 32 bytes: "pts/0", "tty1"
  std::string host;  // ll_host, at most 256 bytes: an address or a host name
};

// Which layout a whole lastlog file `bytes` is written in. Only layouts whose
// record size divides the file size are candidates (all three when none
// does); among them wins the one under which the most of the first 64
// non-zero records are plausible (time after 1970 and before 2100, line and
// host printable text padded with NULs) minus those that are not. Ties go to
// kTime32, then kTime64. A file of 73 × 296 bytes (divisible by both sizes)
// is thus told apart by its contents.
LastlogLayout DetectLastlogLayout(std::string_view bytes);

// The entries of a whole lastlog file, in uid order, in the detected layout.
// All-zero records (the holes of the sparse file, users who never logged in)
// are skipped; so is a truncated last record. Never fails.
std::vector<LastlogEntry> ParseLastlog(std::string_view bytes);

// The entries of `bytes` read as whole records in `layout`, the first one
// being uid `first_uid`. A trailing partial record is ignored, and so are
// records past uid 4294967295.
std::vector<LastlogEntry> ParseLastlog(std::string_view bytes, LastlogLayout layout,
                                       uint64_t first_uid);

// The most data ReadLastlog reads: 256 MiB, some 900,000 users.
inline constexpr uint64_t kMaxLastlogData = uint64_t{256} << 20;

// Reads `path` (as the examined system names it) under `root`, visiting only
// its data regions (lseek SEEK_DATA/SEEK_HOLE; the whole file on file systems
// without holes), so the file's apparent size does not matter. Fails, naming
// the file, when it cannot be opened (as Root::OpenFile: no symbolic link,
// only a regular file) or holds more than kMaxLastlogData bytes of data.
Result<std::vector<LastlogEntry>> ReadLastlog(const Root& root,
                                              std::string_view path = "/var/log/lastlog");

}  // namespace irk::logs
