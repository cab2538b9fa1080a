#include "logins/status_report.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "core/sockets.h"
#include "logs/event_reader.h"

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

// The remote end of the first established TCP connection `pid` holds.
std::optional<Peer> PeerOf(const std::filesystem::path& proc_dir, int pid) {
  const std::vector<uint64_t> inodes = ReadSocketInodes(proc_dir, pid);
  if (inodes.empty()) return std::nullopt;
  for (const TcpSocket& socket : ReadTcpSockets(proc_dir, pid)) {
    if (socket.state == kTcpEstablished && socket.inode != 0 &&
        std::binary_search(inodes.begin(), inodes.end(), socket.inode)) {
      return Peer{socket.remote, socket.remote_port};
    }
  }
  return std::nullopt;
}

}  // namespace

void ReadEvents(const Root& root, const logs::TimeZone& zone, const HistorySources& sources,
                const logs::EventFilter& filter, const logs::EventSink& sink,
                std::string_view context, std::vector<std::string>& warnings) {
  const auto problem = [&warnings, context](const Error& error) {
    warnings.push_back(error.Wrap(context).message);
  };
  logs::EventReader reader(root, zone, filter);
  reader.ReadDefaultSources(sources.journal, sink, problem);
  if (!sources.files.empty()) {
    // Named files are this machine's, whatever the root: a copied-off log is
    // read where it lies.
    auto host = Root::Open("/");
    if (!host.ok()) {
      problem(host.error());
    } else {
      logs::EventReader file_reader(*host, zone, filter);
      for (const std::string& name : sources.files) {
        std::error_code ec;
        const std::string file = std::filesystem::absolute(name, ec).lexically_normal().string();
        if (Status status = file_reader.ReadNamedFile(file, sink); !status.ok()) {
          problem(status.error());
        }
      }
    }
  }
}

LoginHistory ReadLoginHistory(const Root& root, const logs::TimeZone& zone,
                              const HistorySources& sources, std::vector<std::string>& warnings) {
  LoginHistory history;
  ReadEvents(
      root, zone, sources, {}, [&history](const logs::Event& event) { history.Add(event); },
      "login history", warnings);
  history.Finish();
  return history;
}

StatusReport GatherStatus(const Root& root, const std::filesystem::path& proc_dir,
                          const StatusOptions& options, Timestamp now) {
  StatusReport report;
  report.now = now;
  report.live = root.live();
  report.host = HostName(root);

  // /var/run is a link to /run on current systems; older ones have only /var/run.
  const bool run_utmp = root.OpenFile("/run/utmp").ok();
  report.utmp_path = run_utmp ? "/run/utmp" : "/var/run/utmp";
  report.wtmp_path = "/var/log/wtmp";
  report.btmp_path = "/var/log/btmp";

  std::vector<logs::LoginRecord> utmp;
  if (!run_utmp && !root.OpenFile(report.utmp_path).ok()) {
    report.utmp_missing = true;
    report.utmp_path = "/run/utmp";
  } else {
    utmp = ReadRecords(root, report.utmp_path, "current sessions", report);
  }
  std::vector<Process> processes;
  SessionProbes probes;
  if (report.live) {
    processes = ReadProcesses(proc_dir);
    probes.tty_last_input = TtyLastInput;
    probes.peer_of = [&proc_dir](int pid) { return PeerOf(proc_dir, pid); };
    probes.boot_time = ReadBootTime(proc_dir);
    probes.ticks_per_second = sysconf(_SC_CLK_TCK);
  }
  report.sessions = CurrentSessions(utmp, processes, probes, now);
  report.last_logins =
      LastLogins(ReadRecords(root, report.wtmp_path, "past logins", report), options.last_logins);

  // btmp is read for its findings here; its attempts come in with the history.
  ReadRecords(root, report.btmp_path, "failed logins", report);

  auto zone = logs::TimeZone::Load(root);
  if (!zone.ok()) {
    report.warnings.push_back(zone.error().Wrap("time zone").message + "; hours are judged in UTC");
    zone = logs::TimeZone::Utc();
  }
  std::vector<std::string> history_warnings;
  const LoginHistory history = ReadLoginHistory(root, *zone, options.history, history_warnings);
  // wtmp and btmp were read above already; name a missing one once.
  for (const std::string& warning : history_warnings) {
    const std::string_view cause = std::string_view(warning).substr(warning.find(": ") + 2);
    if (std::none_of(report.warnings.begin(), report.warnings.end(),
                     [&cause](const std::string& w) { return w.ends_with(cause); })) {
      report.warnings.push_back(warning);
    }
  }
  for (const Session& s : report.sessions) {
    const std::string source = s.addr ? *s.addr : s.host;
    report.judgements.push_back(
        JudgeLogin(history, s.user, source, s.login_time, s.sshd_pid, options.habits, *zone));
  }
  report.failing_sources =
      FailuresBySource(history, Timestamp{now.seconds - options.failing_window_seconds, 0});
  for (const auto& source : report.failing_sources) report.failed_total += source.count;
  return report;
}

}  // namespace irk::logins
