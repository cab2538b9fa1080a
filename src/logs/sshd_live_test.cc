// ParseSshd against what a real sshd writes: starts OpenSSH's sshd on a free
// loopback port with its own host key and config in a temporary folder,
// drives the real ssh client at it, and reads back its log. Needs root
// (sshd's privilege separation); never touches the system's sshd or config.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/testing/temp_dir.h"
#include "logs/sshd.h"

namespace irk::logs {
namespace {

constexpr const char* kSshd = "/usr/sbin/sshd";
constexpr const char* kSshpass = "/usr/bin/sshpass";

// A loopback port that was free a moment ago: bind port 0, read it back.
int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool Listening(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// The sshd we started: stopped and reaped when the test ends, pass or fail.
class SshdProcess {
 public:
  explicit SshdProcess(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      // sshd records failed logins in /var/log/btmp and needs /run/sshd: in
      // a private mount namespace it gets empty ones of its own, so the
      // host's login records and /run stay as they were.
      if (unshare(CLONE_NEWNS) != 0 ||
          mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
          mount("tmpfs", "/var/log", "tmpfs", 0, "mode=0755") != 0 ||
          mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") != 0 || mkdir("/run/sshd", 0755) != 0) {
        _exit(126);
      }
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~SshdProcess() { Stop(); }
  SshdProcess(const SshdProcess&) = delete;
  SshdProcess& operator=(const SshdProcess&) = delete;

  bool started() const { return pid_ > 0; }
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

// Runs the real client once as `user` with `password`; its own result does
// not matter, only what sshd logs.
void TryLogin(int port, std::string_view user, std::string_view password) {
  const std::string command =
      "timeout 30 " + std::string(kSshpass) + " -p '" + std::string(password) +
      "' ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
      "-o PreferredAuthentications=password -o PubkeyAuthentication=no "
      "-o NumberOfPasswordPrompts=1 -o ConnectTimeout=10 -p " +
      std::to_string(port) + " " + std::string(user) + "@127.0.0.1 true >/dev/null 2>&1";
  [[maybe_unused]] const int status = std::system(command.c_str());
}

// The message after "sshd[pid]: " (or sshd-session, sshd-auth); the whole
// line when it has no such prefix (sshd -E writes none).
std::string_view MessageOf(std::string_view line) {
  for (std::string_view program : {"sshd[", "sshd-session[", "sshd-auth["}) {
    const size_t at = line.find(program);
    if (at == std::string_view::npos) continue;
    const size_t end = line.find("]: ", at);
    if (end != std::string_view::npos) return line.substr(end + 3);
  }
  return line;
}

TEST(ParseSshdLive, ReadsEveryLineARealSshdWrites) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root: sshd's privilege separation only runs as root";
  }
  ASSERT_TRUE(std::filesystem::exists(kSshd) && std::filesystem::exists(kSshpass))
      << "needs openssh-server and sshpass: run scripts/install-deps";
  testing::TempDir dir;
  const std::string base = dir.path().string();
  const std::string key = base + "/host_key";
  ASSERT_EQ(std::system(("ssh-keygen -q -t ed25519 -N '' -f " + key).c_str()), 0);

  const int port = FreeLoopbackPort();
  ASSERT_GT(port, 0);
  const std::string config = base + "/sshd_config";
  const std::string log = base + "/sshd.log";
  {
    std::ofstream out(config);
    out << "Port " << port << "\n"
        << "ListenAddress 127.0.0.1\n"
        << "HostKey " << key << "\n"
        << "PidFile " << base << "/sshd.pid\n"
        << "UsePAM yes\n"
        << "PasswordAuthentication yes\n"
        << "KbdInteractiveAuthentication no\n"
        << "PermitRootLogin yes\n"
        << "LogLevel VERBOSE\n"
        << "MaxAuthTries 3\n"
        << "AllowUsers root\n";
  }

  {
    SshdProcess sshd({kSshd, "-D", "-e", "-f", config, "-E", log});
    ASSERT_TRUE(sshd.started());
    for (int i = 0; i < 100 && !Listening(port) && sshd.running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(Listening(port)) << "sshd did not start; its log is in " << log;
    TryLogin(port, "nosuchuser", "wrong");  // Invalid user, Failed password for invalid user
    TryLogin(port, "root", "wrong");        // Failed password for root
    TryLogin(port, "nobody", "wrong");      // not listed in AllowUsers
    sshd.Stop();
  }

  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  ASSERT_FALSE(lines.empty());

  bool invalid_user = false;
  bool root_failed = false;
  bool refused = false;
  bool opened = false;
  bool closed = false;
  for (const std::string& line : lines) {
    const Parsed parsed = ParseSshd(MessageOf(line));
    EXPECT_NE(parsed.what, Parsed::What::kUnrecognized) << "not recognized: " << line;
    if (parsed.what != Parsed::What::kEvent) continue;
    const Event& e = parsed.event;
    const bool loopback = e.addr && e.addr->view() == "127.0.0.1";
    if (e.kind == EventKind::kAuth && e.user == "nosuchuser" && loopback) {
      EXPECT_EQ(e.outcome, Outcome::kFailure) << line;
      EXPECT_EQ(e.user_valid, false) << line;
      invalid_user = true;
    }
    if (e.kind == EventKind::kAuth && e.user == "root" && loopback &&
        e.outcome == Outcome::kFailure) {
      EXPECT_EQ(e.user_valid, true) << line;
      root_failed = true;
    }
    if (e.kind == EventKind::kRefused && e.user == "nobody") {
      EXPECT_EQ(e.reason, "not listed in AllowUsers") << line;
      refused = true;
    }
    if (e.kind == EventKind::kConnection && loopback && e.outcome == Outcome::kNone &&
        line.find("Connection from") != std::string::npos) {
      opened = true;
    }
    if (e.kind == EventKind::kConnection && loopback && e.outcome == Outcome::kFailure) {
      closed = true;
    }
  }
  std::string all;
  for (const std::string& line : lines) all += line + "\n";
  EXPECT_TRUE(invalid_user) << all;
  EXPECT_TRUE(root_failed) << all;
  EXPECT_TRUE(refused) << all;
  EXPECT_TRUE(opened) << all;
  EXPECT_TRUE(closed) << all;
}

}  // namespace
}  // namespace irk::logs
