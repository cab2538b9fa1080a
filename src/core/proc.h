// The process seam: processes as the kernel's /proc shows them, read directly
// (never through ps, which an intruder may have replaced), and the pure
// parsers of /proc/<pid>/{stat,status,cmdline} behind it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace irk {

// The most of /proc/<pid>/cmdline that is kept, in bytes.
inline constexpr size_t kMaxCmdlineBytes = 4096;

// One process. Strings are the raw bytes the process chose (hostile: escape
// them on output).
struct Process {
  int pid = 0;
  int ppid = 0;
  int pgrp = 0;
  int session = 0;      // session id: the pid of the session leader
  uint32_t tty_nr = 0;  // controlling tty as the kernel encodes it (see TtyName); 0 for none
  int tpgid = -1;       // foreground process group of the controlling tty; -1 for none
  uint32_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
  std::optional<uint32_t> loginuid;  // audit login uid; nullopt when unset or not readable
  std::string comm;                  // the kernel's short name (at most 15 bytes on Linux)
  std::string cmdline;  // arguments joined by JoinCmdline; empty for kernel threads and zombies
  uint64_t start_ticks = 0;  // start time in clock ticks after boot
  char state = '?';          // 'R', 'S', 'T' (stopped), 'Z' (zombie), ... as in stat
};

// The fields irk uses from /proc/<pid>/stat.
struct ProcStat {
  int pid = 0;
  std::string comm;
  char state = '?';  // 'R', 'S', 'D', 'Z', ...
  int ppid = 0;
  int pgrp = 0;
  int session = 0;
  uint32_t tty_nr = 0;
  int tpgid = -1;
  uint64_t start_ticks = 0;
};

// The four uids of the "Uid:" line of /proc/<pid>/status.
struct ProcUids {
  uint32_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
};

// Parses the one line of /proc/<pid>/stat. The name is everything between the
// first '(' and the last ')', so a process named "x) R 1 1 (" cannot shift the
// numeric fields. Returns nullopt when the text is not such a line (too few
// fields, a number that is not one or does not fit).
std::optional<ProcStat> ParseProcStat(std::string_view stat);

// Reads the "Uid:" line (real, effective, saved, filesystem) of
// /proc/<pid>/status; nullopt when there is none or it is malformed.
std::optional<ProcUids> ParseProcStatus(std::string_view status);

// Joins the NUL-separated arguments of /proc/<pid>/cmdline with single spaces:
// trailing NULs are dropped and every other NUL becomes a space, so the result
// never holds a NUL. The result is cut to kMaxCmdlineBytes.
std::string JoinCmdline(std::string_view raw);

// Reads every numeric entry of `proc_dir` ("/proc", or a fake tree in tests):
// stat, status and cmdline are required, loginuid is optional. A process that
// vanishes mid-read, or whose files are malformed or not regular files, is
// skipped silently. No file is opened that is a FIFO or a device, and none is
// read beyond a small bound. Sorted by pid; empty when `proc_dir` cannot be
// listed.
std::vector<Process> ReadProcesses(const std::filesystem::path& proc_dir);

// Reads at most `max_bytes` of a regular file under /proc. /proc files report
// a size of 0, so this reads until end of file rather than trusting st_size;
// O_NONBLOCK keeps a FIFO planted in a fake or mounted tree from blocking.
// nullopt when it cannot be opened or read, or is no regular file.
std::optional<std::string> ReadProcFile(const std::filesystem::path& path, size_t max_bytes);

// The "btime" of /proc/stat: when the system booted, in seconds since the
// epoch; nullopt when the text has no such line.
std::optional<int64_t> ParseBootTime(std::string_view proc_stat);
std::optional<int64_t> ReadBootTime(const std::filesystem::path& proc_dir);

// When `process` started, from its start_ticks, the boot time and the
// kernel's clock ticks per second (sysconf(_SC_CLK_TCK)).
Timestamp StartTime(const Process& process, int64_t boot_time, int64_t ticks_per_second);

// The namespace a process is in, as its /proc/<pid>/ns/<kind> link names it
// ("net:[4026531840]"); `pid` may be "self". "" when it cannot be read.
std::string ReadNamespace(const std::filesystem::path& proc_dir, std::string_view pid,
                          std::string_view kind);

// The name of the tty device that the kernel encodes as `tty_nr` (major in
// bits 8-19, minor in bits 0-7 and 20-31), as utmp's ut_line writes it:
// "pts/3", "tty1", "ttyS0", "console", "ttyUSB0". "" for 0 (no tty), and
// "?<major>:<minor>" for a device this table does not know.
std::string TtyName(uint32_t tty_nr);

}  // namespace irk
