#include "contain/kill.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace irk::contain {
namespace {

Process Proc(int pid, int ppid, uint32_t uid, std::optional<uint32_t> loginuid = {},
             std::string cmdline = "x") {
  Process p;
  p.pid = pid;
  p.ppid = ppid;
  p.session = pid;
  p.ruid = p.euid = p.suid = p.fsuid = uid;
  p.loginuid = loginuid;
  p.cmdline = std::move(cmdline);
  p.state = 'S';
  return p;
}

TEST(SelectProcesses, FollowsEveryUidAndTheLoginUid) {
  std::vector<Process> processes = {
      Proc(1, 0, 0),
      Proc(2, 0, 0),
      Proc(3, 2, 0),                                    // init, kthreadd, a kernel thread
      Proc(100, 1, 0, 1001, "sshd: alice [priv]"),      // the monitor: root, loginuid alice
      Proc(101, 100, 1001, 1001, "sshd: alice@pts/0"),  // alice's session
      Proc(102, 101, 0, 1001, "sudo -s"),               // became root, loginuid follows
      Proc(103, 1, 0, {}, "sshd: alice"),               // before pam_loginuid ran
      Proc(104, 1, 1002, 1002, "bob's shell"),
      Proc(105, 1, 0, 1002, "sshd: alice-bob [priv]"),  // another user whose name starts alike
      Proc(106, 1, 1001, 1001, "zombie"),
  };
  processes[1].ppid = 0;
  processes[9].state = 'Z';
  processes[7].suid = 1001;  // bob's process with alice's saved uid: enough

  KillSelector selector{1001, "alice", std::nullopt, ""};
  EXPECT_EQ(SelectProcesses(processes, selector, /*self=*/102),
            (std::vector<int>{100, 101, 103, 104}));
}

TEST(SelectProcesses, APidBringsItsDescendantsAndATtyItsSessions) {
  std::vector<Process> processes = {Proc(10, 1, 5),
                                    Proc(11, 10, 5),
                                    Proc(12, 11, 5),
                                    Proc(13, 1, 5),
                                    Proc(20, 1, 6, {}, "sshd: eve@pts/3"),
                                    Proc(21, 20, 6),
                                    Proc(22, 21, 6)};
  KillSelector by_pid;
  by_pid.pid = 11;
  EXPECT_EQ(SelectProcesses(processes, by_pid, 0), (std::vector<int>{11, 12}));
  processes[5].tty_nr = (136 << 8) | 3;  // pts/3
  processes[6].session = processes[5].session;
  KillSelector by_tty;
  by_tty.tty = "pts/3";
  EXPECT_EQ(SelectProcesses(processes, by_tty, 0), (std::vector<int>{20, 21, 22}));
}

TEST(Lineage, WalksUpToInit) {
  std::vector<Process> processes = {Proc(1, 0, 0), Proc(5, 1, 0), Proc(9, 5, 0)};
  EXPECT_EQ(Lineage(processes, 9), (std::vector<int>{9, 5}));
}

// Uids no account uses, one per test, so tests that ctest runs in parallel
// never see each other's processes.
constexpr uid_t kManyUid = 64121;
constexpr uid_t kForkLoopUid = 64122;
constexpr uid_t kThawUid = 64123;

// Forks a child that becomes `uid` and runs `body`.
pid_t SpawnAs(uid_t uid, void (*body)()) {
  const pid_t child = fork();
  if (child == 0) {
    const rlimit limit{512, 512};  // bounds the fork loop even if the test fails
    setrlimit(RLIMIT_NPROC, &limit);
    if (setresgid(uid, uid, uid) != 0 || setresuid(uid, uid, uid) != 0) _exit(1);
    body();
    _exit(0);
  }
  return child;
}

size_t CountProcessesOf(uid_t uid) {
  size_t count = 0;
  for (const auto& p : ReadProcesses("/proc")) {
    if (p.ruid == uid && p.state != 'Z') ++count;
  }
  return count;
}

// Waits up to 10 s until `uid` runs at least `count` processes.
bool WaitForProcesses(uid_t uid, size_t count) {
  for (int i = 0; i < 2000; ++i) {
    if (CountProcessesOf(uid) >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

class FreezeAndKillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: spawns processes as another uid";
  }
  void TearDown() override {
    // Whatever happened, leave no process of the test's uid behind.
    if (geteuid() != 0 || uid_ == 0) return;
    const pid_t cleaner = fork();
    if (cleaner == 0) {
      if (setresuid(uid_, uid_, uid_) == 0) kill(-1, SIGKILL);
      _exit(0);
    }
    waitpid(cleaner, nullptr, 0);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
  uid_t uid_ = 0;  // the uid the test spawns processes as
};

TEST_F(FreezeAndKillTest, KillsManyProcessesAndSnapshotsThemFirst) {
  uid_ = kManyUid;
  const pid_t parent = SpawnAs(uid_, [] {
    for (int i = 0; i < 100; ++i) {
      if (fork() == 0) {
        pause();
        _exit(0);
      }
    }
    pause();
  });
  ASSERT_TRUE(WaitForProcesses(uid_, 101));
  size_t seen_before_kill = 0;
  auto report = FreezeAndKill("/proc", KillSelector{uid_, "", std::nullopt, ""},
                              [&](const std::vector<ProcessSnapshot>& snapshot) {
                                seen_before_kill = snapshot.size();
                                return Ok();
                              });
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(seen_before_kill, 101u);
  EXPECT_EQ(report->killed.size(), 101u);
  EXPECT_TRUE(report->survivors.empty());
  EXPECT_FALSE(report->killed[0].exe.empty());
  waitpid(parent, nullptr, 0);
  EXPECT_EQ(CountProcessesOf(uid_), 0u);
}

TEST_F(FreezeAndKillTest, OutrunsAForkLoop) {
  uid_ = kForkLoopUid;
  // Each process forks and exits at once, so its pid never stays put.
  SpawnAs(uid_, [] {
    for (int i = 0; i < 4; ++i) fork();
    while (true) {
      const pid_t pid = fork();
      if (pid > 0) _exit(0);
      if (pid < 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto report = FreezeAndKill("/proc", KillSelector{uid_, "", std::nullopt, ""},
                              [](const std::vector<ProcessSnapshot>&) { return Ok(); });
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->killed.empty());
  EXPECT_TRUE(report->survivors.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(CountProcessesOf(uid_), 0u);
}

TEST_F(FreezeAndKillTest, AnErrorBeforeTheKillThawsEverything) {
  uid_ = kThawUid;
  const pid_t child = SpawnAs(uid_, [] { pause(); });
  ASSERT_TRUE(WaitForProcesses(uid_, 1));
  auto report = FreezeAndKill(
      "/proc", KillSelector{uid_, "", std::nullopt, ""},
      [](const std::vector<ProcessSnapshot>&) { return Status(Fail("journal full")); });
  EXPECT_FALSE(report.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (const auto& p : ReadProcesses("/proc")) {
    if (p.pid == child) {
      EXPECT_NE(p.state, 'T');
    }
  }
}

}  // namespace
}  // namespace irk::contain
