#include "core/proc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <limits>
#include <system_error>

#include "core/root.h"

namespace irk {
namespace {

// Bounds on what one process's files may cost us; a hostile or broken tree
// cannot make irk read more.
constexpr size_t kMaxStatBytes = 4096;
constexpr size_t kMaxStatusBytes = 16384;
constexpr size_t kMaxLoginuidBytes = 32;
// /proc/stat: one line per cpu and interrupt counts; large machines write a lot.
constexpr size_t kMaxProcStatBytes = 1 << 20;

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Splits on runs of spaces, tabs and newlines.
std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find_first_not_of(" \t\n", pos);
    if (start == std::string_view::npos) break;
    size_t end = text.find_first_of(" \t\n", start);
    if (end == std::string_view::npos) end = text.size();
    fields.push_back(text.substr(start, end - start));
    pos = end;
  }
  return fields;
}

}  // namespace

std::optional<std::string> ReadProcFile(const std::filesystem::path& path, size_t max_bytes) {
  Fd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  struct stat st {};
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  std::string text;
  while (text.size() < max_bytes) {
    const size_t used = text.size();
    text.resize(std::min(max_bytes, used + 65536));
    const ssize_t n = read(fd.get(), text.data() + used, text.size() - used);
    text.resize(used + static_cast<size_t>(std::max<ssize_t>(n, 0)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;  // ESRCH: the process exited under us
    if (n == 0) break;
  }
  return text;
}

std::string ReadNamespace(const std::filesystem::path& proc_dir, std::string_view pid,
                          std::string_view kind) {
  std::array<char, 64> target{};
  const std::string link = (proc_dir / pid / "ns" / kind).string();
  const ssize_t n = readlink(link.c_str(), target.data(), target.size() - 1);
  return n > 0 ? std::string(target.data(), static_cast<size_t>(n)) : "";
}

std::optional<int64_t> ParseBootTime(std::string_view proc_stat) {
  while (!proc_stat.empty()) {
    const size_t end = std::min(proc_stat.find('\n'), proc_stat.size());
    const std::string_view line = proc_stat.substr(0, end);
    int64_t seconds = 0;
    if (line.starts_with("btime ") && ParseNumber(line.substr(6), seconds) && seconds > 0) {
      return seconds;
    }
    proc_stat.remove_prefix(std::min(end + 1, proc_stat.size()));
  }
  return std::nullopt;
}

std::optional<int64_t> ReadBootTime(const std::filesystem::path& proc_dir) {
  const std::optional<std::string> text = ReadProcFile(proc_dir / "stat", kMaxProcStatBytes);
  return text ? ParseBootTime(*text) : std::nullopt;
}

Timestamp StartTime(const Process& process, int64_t boot_time, int64_t ticks_per_second) {
  const auto ticks = static_cast<int64_t>(process.start_ticks);
  return Timestamp{boot_time + ticks / ticks_per_second,
                   static_cast<int32_t>(ticks % ticks_per_second * 1000000 / ticks_per_second)};
}

std::optional<ProcStat> ParseProcStat(std::string_view stat) {
  const size_t open_paren = stat.find('(');
  const size_t close_paren = stat.rfind(')');
  if (open_paren == std::string_view::npos || close_paren == std::string_view::npos ||
      close_paren < open_paren || open_paren < 2 || stat[open_paren - 1] != ' ') {
    return std::nullopt;
  }
  ProcStat out;
  if (!ParseNumber(stat.substr(0, open_paren - 1), out.pid)) return std::nullopt;
  out.comm = std::string(stat.substr(open_paren + 1, close_paren - open_paren - 1));

  // Field numbers as in proc(5), minus 3: [0] is field 3 (state).
  const std::string_view rest = stat.substr(close_paren + 1);
  if (rest.empty() || rest[0] != ' ') return std::nullopt;
  const std::vector<std::string_view> fields = Fields(rest);
  if (fields.size() < 20 || fields[0].size() != 1) return std::nullopt;
  out.state = fields[0][0];
  // The kernel prints tty_nr with %d; read it wide and keep the bit pattern.
  int64_t tty_nr = 0;
  if (!ParseNumber(fields[1], out.ppid) || !ParseNumber(fields[2], out.pgrp) ||
      !ParseNumber(fields[3], out.session) || !ParseNumber(fields[4], tty_nr) ||
      !ParseNumber(fields[5], out.tpgid) || !ParseNumber(fields[19], out.start_ticks)) {
    return std::nullopt;
  }
  if (tty_nr < std::numeric_limits<int32_t>::min() ||
      tty_nr > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  out.tty_nr = static_cast<uint32_t>(tty_nr);
  return out;
}

std::optional<ProcUids> ParseProcStatus(std::string_view status) {
  size_t pos = 0;
  while (pos < status.size()) {
    size_t end = status.find('\n', pos);
    if (end == std::string_view::npos) end = status.size();
    const std::string_view line = status.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with("Uid:")) continue;
    const std::vector<std::string_view> fields = Fields(line.substr(4));
    ProcUids uids;
    if (fields.size() != 4 || !ParseNumber(fields[0], uids.ruid) ||
        !ParseNumber(fields[1], uids.euid) || !ParseNumber(fields[2], uids.suid) ||
        !ParseNumber(fields[3], uids.fsuid)) {
      return std::nullopt;
    }
    return uids;
  }
  return std::nullopt;
}

std::string JoinCmdline(std::string_view raw) {
  raw = raw.substr(0, kMaxCmdlineBytes);
  while (!raw.empty() && raw.back() == '\0') raw.remove_suffix(1);
  std::string joined(raw);
  std::replace(joined.begin(), joined.end(), '\0', ' ');
  return joined;
}

std::vector<Process> ReadProcesses(const std::filesystem::path& proc_dir) {
  std::vector<Process> processes;
  std::error_code ec;
  std::filesystem::directory_iterator it(proc_dir, ec);
  if (ec) return processes;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    int pid = 0;
    if (name.empty() || name[0] < '1' || name[0] > '9' || !ParseNumber(name, pid)) continue;
    const std::filesystem::path dir = it->path();
    const std::optional<std::string> stat_text = ReadProcFile(dir / "stat", kMaxStatBytes);
    if (!stat_text) continue;
    const std::optional<ProcStat> stat = ParseProcStat(*stat_text);
    if (!stat || stat->pid != pid) continue;
    const std::optional<std::string> status_text = ReadProcFile(dir / "status", kMaxStatusBytes);
    if (!status_text) continue;
    const std::optional<ProcUids> uids = ParseProcStatus(*status_text);
    if (!uids) continue;
    const std::optional<std::string> cmdline = ReadProcFile(dir / "cmdline", kMaxCmdlineBytes);
    if (!cmdline) continue;

    Process p;
    p.pid = pid;
    p.ppid = stat->ppid;
    p.pgrp = stat->pgrp;
    p.session = stat->session;
    p.tty_nr = stat->tty_nr;
    p.tpgid = stat->tpgid;
    p.ruid = uids->ruid;
    p.euid = uids->euid;
    p.suid = uids->suid;
    p.fsuid = uids->fsuid;
    p.comm = stat->comm;
    p.cmdline = JoinCmdline(*cmdline);
    p.start_ticks = stat->start_ticks;
    p.state = stat->state;
    if (const auto text = ReadProcFile(dir / "loginuid", kMaxLoginuidBytes)) {
      std::string_view value = *text;
      while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
      uint32_t loginuid = 0;
      // (uid_t)-1 is the kernel's "never set".
      if (ParseNumber(value, loginuid) && loginuid != std::numeric_limits<uint32_t>::max()) {
        p.loginuid = loginuid;
      }
    }
    processes.push_back(std::move(p));
  }
  std::sort(processes.begin(), processes.end(),
            [](const Process& a, const Process& b) { return a.pid < b.pid; });
  return processes;
}

std::string TtyName(uint32_t tty_nr) {
  if (tty_nr == 0) return "";
  const uint32_t major = (tty_nr >> 8) & 0xfff;
  const uint32_t minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
  const std::string number = std::to_string(minor);
  if (major >= 136 && major <= 143) return "pts/" + std::to_string(minor + (major - 136) * 256);
  switch (major) {
    case 4:
      return minor < 64 ? "tty" + number : "ttyS" + std::to_string(minor - 64);
    case 5:
      if (minor == 0) return "tty";
      if (minor == 1) return "console";
      if (minor == 2) return "ptmx";
      break;
    case 166:
      return "ttyACM" + number;
    case 188:
      return "ttyUSB" + number;
    case 204:
      if (minor >= 64 && minor < 64 + 16) return "ttyAMA" + std::to_string(minor - 64);
      break;
    case 229:
      return "hvc" + number;
    default:
      break;
  }
  return "?" + std::to_string(major) + ":" + number;
}

}  // namespace irk
