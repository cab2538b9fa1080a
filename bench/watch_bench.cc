// irk watch under load. Starts `irk watch --json` on a log file of its own
// (a temporary case and folder), then either
//   latency N: appends N lines one at a time, each a login from a new
//     address (a new-source alert), and times each from the write to the
//     alert line read from irk's output: p50, p99, max;
//   flood RATE SECONDS: appends RATE lines a second for SECONDS (lines that
//     make events but no alerts), stops irk with SIGTERM, and compares the
//     lines irk says it read with the lines written; reports irk's peak RSS.
// Usage: watch_bench IRK latency 10000 | watch_bench IRK flood 100000 10
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Irk {
  pid_t pid = -1;
  int out = -1;  // irk's stdout
  std::string pending;

  // The next line irk printed.
  std::string ReadLine() {
    while (true) {
      const size_t newline = pending.find('\n');
      if (newline != std::string::npos) {
        std::string line = pending.substr(0, newline);
        pending.erase(0, newline + 1);
        return line;
      }
      char buffer[65536];
      const ssize_t n = read(out, buffer, sizeof(buffer));
      if (n <= 0) return "";
      pending.append(buffer, static_cast<size_t>(n));
    }
  }
  std::string WaitFor(const std::string& text) {
    while (true) {
      std::string line = ReadLine();
      if (line.empty() || line.find(text) != std::string::npos) return line;
    }
  }
};

Irk Start(const std::string& irk, const fs::path& dir, const fs::path& log) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) std::exit(2);
  Irk started;
  started.pid = fork();
  if (started.pid == 0) {
    dup2(pipe_fds[1], 1);
    close(pipe_fds[0]);
    const std::string case_dir = (dir / "case").string();
    execl(irk.c_str(), irk.c_str(), "--case", case_dir.c_str(), "--json", "watch", log.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  started.out = pipe_fds[0];
  started.WaitFor("\"type\":\"note\"");
  return started;
}

long PeakRssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

std::string Stamp() { return "Nov 27 10:00:00 bench sshd[4242]: "; }

int Latency(Irk& irk, int log_fd, int count) {
  std::vector<double> millis;
  for (int i = 0; i < count; ++i) {
    const std::string addr = "10." + std::to_string(i / 65536 % 256) + "." +
                             std::to_string(i / 256 % 256) + "." + std::to_string(i % 256);
    const std::string line =
        Stamp() + "Accepted password for bob from " + addr + " port 2222 ssh2\n";
    const auto start = Clock::now();
    if (write(log_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 2;
    if (irk.WaitFor("\"addr\":\"" + addr + "\"").empty()) return 2;
    millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(millis.begin(), millis.end());
  const auto at = [&millis](double q) {
    return millis[std::min(millis.size() - 1, static_cast<size_t>(q * millis.size()))];
  };
  std::printf("latency over %d lines: p50 %.2f ms, p99 %.2f ms, max %.2f ms; peak RSS %.1f MiB\n",
              count, at(0.50), at(0.99), millis.back(), PeakRssKib(irk.pid) / 1024.0);
  return 0;
}

int Flood(Irk& irk, int log_fd, int rate, int seconds) {
  // Failures from a source the history knows: events, but no burst alerts.
  const std::string line = Stamp() + "Failed password for bob from 198.51.100.4 port 2222 ssh2\n";
  constexpr int kTicks = 100;  // writes a second
  std::string batch;
  for (int i = 0; i < rate / kTicks; ++i) batch += line;
  const auto start = Clock::now();
  long written = 0;
  for (int tick = 0; tick < seconds * kTicks; ++tick) {
    if (write(log_fd, batch.data(), batch.size()) != static_cast<ssize_t>(batch.size())) return 2;
    written += rate / kTicks;
    std::this_thread::sleep_until(start + std::chrono::milliseconds(10 * (tick + 1)));
  }
  const double write_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // A last line that raises an alert: once it is printed, every line before
  // it has been read.
  const std::string sentinel =
      Stamp() + "Accepted password for bob from 192.0.2.254 port 2222 ssh2\n";
  if (write(log_fd, sentinel.data(), sentinel.size()) != static_cast<ssize_t>(sentinel.size())) {
    return 2;
  }
  ++written;
  irk.WaitFor("192.0.2.254");
  const double caught_up = std::chrono::duration<double>(Clock::now() - start).count();
  const long rss = PeakRssKib(irk.pid);
  kill(irk.pid, SIGTERM);
  const std::string stopped = irk.WaitFor("stopped:");
  waitpid(irk.pid, nullptr, 0);
  // "stopped: N lines, N events, N alerts"
  const size_t at = stopped.find("stopped: ");
  const long read_lines =
      at == std::string::npos ? -1 : std::strtol(stopped.c_str() + at + 9, nullptr, 10);
  std::printf(
      "flood: %ld lines written in %.1f s (%.0f lines/s), all read after %.1f s; irk read %ld "
      "(%s); peak RSS %.1f MiB\n",
      written, write_seconds, written / write_seconds, caught_up, read_lines,
      read_lines == written ? "none lost" : "LOST LINES", rss / 1024.0);
  return read_lines == written ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: watch_bench IRK latency N | watch_bench IRK flood RATE SECONDS\n");
    return 2;
  }
  char pattern[] = "/tmp/irk-watch-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return 2;
  const fs::path dir = pattern;
  const fs::path log = dir / "auth.log";
  {
    // The history: one earlier failure from the flood's source.
    std::ofstream(log) << "Nov 20 10:00:00 bench sshd[1]: Failed password for bob from "
                          "198.51.100.4 port 1 ssh2\n";
  }
  Irk irk = Start(argv[1], dir, log);
  const int log_fd = open(log.c_str(), O_WRONLY | O_APPEND);
  const std::string mode = argv[2];
  int rc = 2;
  if (mode == "latency") {
    rc = Latency(irk, log_fd, std::atoi(argv[3]));
    kill(irk.pid, SIGTERM);
    waitpid(irk.pid, nullptr, 0);
  } else if (mode == "flood" && argc >= 5) {
    rc = Flood(irk, log_fd, std::atoi(argv[3]), std::atoi(argv[4]));
  }
  close(log_fd);
  fs::remove_all(dir);
  return rc;
}
