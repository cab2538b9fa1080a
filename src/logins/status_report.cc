#include "logins/status_report.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include <fmt/format.h>

namespace irk::logins {
namespace {

constexpr size_t kMaxHostnameBytes = 4096;

// Reads one login-record file; a file that cannot be read is a warning, its
// problems are findings.
// `purpose` says what is missing when it cannot be read: "current sessions".
std::vector<logs::LoginRecord> ReadRecords(const Root& root, const std::string& path,
                                           std::string_view purpose, StatusReport& report) {
  auto fd = root.OpenFile(path);
  if (!fd.ok()) {
    report.warnings.push_back(fd.error().Wrap(fmt::format("no {}", purpose)).message);
    return {};
  }
  auto records = logs::ReadLoginRecords(fd->get(), root.HostPath(path));
  if (!records.ok()) {
    report.warnings.push_back(records.error().Wrap(fmt::format("no {}", purpose)).message);
    return {};
  }
  for (const auto& problem : records->problems) {
    report.findings.push_back(
        fmt::format("{}: offset {}: {}", root.HostPath(path), problem.offset, problem.what));
  }
  return std::move(records->records);
}

std::string HostName(const Root& root) {
  auto text = root.ReadFile("/etc/hostname", kMaxHostnameBytes);
  if (text.ok()) {
    const auto end = text->find_first_of("\r\n");
    if (end != std::string::npos) text->resize(end);
    if (!text->empty()) return std::move(text).value();
  }
  if (root.live()) {
    std::array<char, 256> name{};
    if (gethostname(name.data(), name.size() - 1) == 0) return name.data();
  }
  return "";
}

// When the tty last saw input: its atime, as w(1) reads it.
std::optional<Timestamp> TtyLastInput(std::string_view line) {
  // ut_line is the attacker's text too: only plain device names are looked up.
  if (line.empty() || line.find("..") != std::string_view::npos) return std::nullopt;
  struct stat st {};
  const std::string path = "/dev/" + std::string(line);
  if (stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) return std::nullopt;
  return Timestamp{st.st_atim.tv_sec, static_cast<int32_t>(st.st_atim.tv_nsec / 1000)};
}

}  // namespace

StatusReport GatherStatus(const Root& root, const std::filesystem::path& proc_dir,
                          size_t last_logins, Timestamp now) {
  StatusReport report;
  report.now = now;
  report.live = root.live();
  report.host = HostName(root);

  // /var/run is a link to /run on current systems; older ones have only /var/run.
  report.utmp_path = root.OpenFile("/run/utmp").ok() ? "/run/utmp" : "/var/run/utmp";
  report.wtmp_path = "/var/log/wtmp";
  report.btmp_path = "/var/log/btmp";

  const auto utmp = ReadRecords(root, report.utmp_path, "current sessions", report);
  std::vector<Process> processes;
  if (report.live) processes = ReadProcesses(proc_dir);
  const std::function<std::optional<Timestamp>(std::string_view)> no_tty = [](std::string_view) {
    return std::optional<Timestamp>();
  };
  report.sessions = CurrentSessions(utmp, processes, report.live ? TtyLastInput : no_tty, now);

  report.last_logins =
      LastLogins(ReadRecords(root, report.wtmp_path, "past logins", report), last_logins);
  report.failed_sources =
      FailedBySource(ReadRecords(root, report.btmp_path, "failed logins", report));
  for (const auto& source : report.failed_sources) report.failed_total += source.count;
  return report;
}

}  // namespace irk::logins
