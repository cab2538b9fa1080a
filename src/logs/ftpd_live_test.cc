// ParseVsftpd against what a real vsftpd writes: starts the system's vsftpd
// binary on a free loopback port with its own config and log in a temporary
// folder, fails two logins at it, and reads every line of its log back.
// Needs root (vsftpd's privilege separation); never touches the system's
// vsftpd config.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/testing/temp_dir.h"
#include "logs/ftpd.h"

namespace irk::logs {
namespace {

constexpr const char* kVsftpd = "/usr/sbin/vsftpd";

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

// A connected socket to 127.0.0.1:port with a 15 s receive timeout, or -1.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  timeval timeout{15, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

// The vsftpd we started: stopped and reaped when the test ends, pass or fail.
class VsftpdProcess {
 public:
  explicit VsftpdProcess(const std::string& config) {
    pid_ = fork();
    if (pid_ == 0) {
      execl(kVsftpd, kVsftpd, config.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~VsftpdProcess() { Stop(); }
  VsftpdProcess(const VsftpdProcess&) = delete;
  VsftpdProcess& operator=(const VsftpdProcess&) = delete;

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

// Reads one FTP reply (single-line replies are all this test meets); "" on
// timeout or close.
std::string ReadReply(int fd) {
  std::string reply;
  char c = 0;
  while (reply.size() < 4096 && read(fd, &c, 1) == 1) {
    reply += c;
    if (c == '\n') break;
  }
  return reply;
}

void Send(int fd, std::string_view command) {
  [[maybe_unused]] const ssize_t sent = write(fd, command.data(), command.size());
}

// One USER/PASS attempt over a fresh control connection; returns the reply
// to PASS.
std::string TryLogin(int port, std::string_view user, std::string_view password) {
  const int fd = Connect(port);
  if (fd < 0) return "";
  std::string reply = ReadReply(fd);  // 220
  Send(fd, "USER " + std::string(user) + "\r\n");
  reply = ReadReply(fd);  // 331
  Send(fd, "PASS " + std::string(password) + "\r\n");
  reply = ReadReply(fd);  // 530
  Send(fd, "QUIT\r\n");
  ReadReply(fd);
  close(fd);
  return reply;
}

// The message after vsftpd's own "Fri Nov 27 04:53:04 2026 [pid 123] "
// prefix, as the line framing hands it to the parser.
std::string_view MessageOf(std::string_view line) {
  const size_t pid = line.find(" [pid ");
  if (pid == std::string_view::npos) return line;
  const size_t end = line.find("] ", pid);
  return end == std::string_view::npos ? line : line.substr(end + 2);
}

TEST(ParseVsftpdLive, ReadsEveryLineARealVsftpdWrites) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: vsftpd's privilege separation only runs as root";
  if (!std::filesystem::exists(kVsftpd)) GTEST_SKIP() << kVsftpd << " is not installed";
  if (!std::filesystem::exists("/etc/pam.d/vsftpd")) GTEST_SKIP() << "no PAM service vsftpd";

  irk::testing::TempDir dir;
  const std::filesystem::path empty = dir.path() / "empty";
  std::filesystem::create_directory(empty);
  chmod(empty.c_str(), 0755);
  const std::filesystem::path log = dir.path() / "vsftpd.log";
  const int port = FreeLoopbackPort();
  ASSERT_NE(port, 0);
  const std::filesystem::path config = dir.path() / "vsftpd.conf";
  {
    std::ofstream out(config);
    out << "listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1\nlisten_port=" << port
        << "\nbackground=NO\nrun_as_launching_user=NO\n"
        << "anonymous_enable=NO\nlocal_enable=YES\nwrite_enable=NO\n"
        << "xferlog_enable=YES\nxferlog_std_format=NO\nlog_ftp_protocol=NO\nsyslog_enable=NO\n"
        << "vsftpd_log_file=" << log.string()
        << "\nxferlog_file=" << (dir.path() / "xferlog").string()
        << "\nsecure_chroot_dir=" << empty.string() << "\npam_service_name=vsftpd\n"
        << "seccomp_sandbox=NO\nisolate=NO\nisolate_network=NO\ntcp_wrappers=NO\n"
        << "connect_from_port_20=NO\n";
  }
  chmod(config.c_str(), 0600);

  VsftpdProcess vsftpd(config.string());
  bool up = false;
  for (int i = 0; i < 100 && !up && vsftpd.running(); ++i) {
    const int fd = Connect(port);
    if (fd >= 0) {
      // This connection is logged too: a CONNECT with no login after it.
      close(fd);
      up = true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_TRUE(up) << "vsftpd did not start on port " << port;

  EXPECT_EQ(TryLogin(port, "irk-no-such-user", "wrong").substr(0, 3), "530");
  EXPECT_EQ(TryLogin(port, "nobody", "wrong").substr(0, 3), "530");
  vsftpd.Stop();

  std::ifstream in(log);
  ASSERT_TRUE(in) << "vsftpd wrote no log at " << log;
  std::string line;
  int lines = 0;
  int connects = 0;
  std::vector<std::string> failed_users;
  while (std::getline(in, line)) {
    ++lines;
    const Parsed parsed = ParseVsftpd(MessageOf(line));
    ASSERT_NE(parsed.what, Parsed::What::kUnrecognized) << line;
    if (parsed.what != Parsed::What::kEvent) continue;
    ASSERT_TRUE(parsed.event.addr) << line;
    EXPECT_EQ(parsed.event.addr->view(), "127.0.0.1") << line;
    if (parsed.event.kind == EventKind::kConnection) ++connects;
    if (parsed.event.kind == EventKind::kAuth) {
      EXPECT_EQ(parsed.event.outcome, Outcome::kFailure) << line;
      failed_users.emplace_back(parsed.event.user);
    }
  }
  EXPECT_GE(lines, 5);
  EXPECT_EQ(connects, 3);
  EXPECT_EQ(failed_users, (std::vector<std::string>{"irk-no-such-user", "nobody"}));
}

}  // namespace
}  // namespace irk::logs
