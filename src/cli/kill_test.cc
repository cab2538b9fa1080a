// End to end: irk kill on a process tree of the test's own, and its refusal
// to kill the operator's own lineage.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "cli/testing/run_irk.h"
#include "core/testing/temp_dir.h"

namespace irk {
namespace {

using testing::RunIrk;

bool Alive(pid_t pid) {
  // A zombie is dead for this purpose: reap it if it is ours.
  if (waitpid(pid, nullptr, WNOHANG) == pid) return false;
  return kill(pid, 0) == 0;
}

TEST(KillCommand, KillsAProcessAndItsDescendants) {
  testing::TempDir dir;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t parent = fork();
  if (parent == 0) {
    close(ready[0]);
    if (fork() == 0) {
      pause();
      _exit(0);
    }
    (void)write(ready[1], "x", 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);

  auto run =
      RunIrk({"--case", (dir.path() / "case").string(), "kill", std::to_string(parent), "--yes"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("2 processes frozen"), std::string::npos) << run.out;
  for (int i = 0; i < 100 && Alive(parent); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(Alive(parent));
}

TEST(KillCommand, RefusesToKillItsOwnOperatorsLineage) {
  testing::TempDir dir;
  // This test process is an ancestor of the irk it runs: the operator's side.
  auto run =
      RunIrk({"--case", (dir.path() / "case").string(), "kill", std::to_string(getpid()), "--yes"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("ancestor of this irk"), std::string::npos) << run.err;
}

TEST(KillCommand, RefusesRootAndUnknownUsers) {
  testing::TempDir dir;
  const std::string case_dir = (dir.path() / "case").string();
  EXPECT_EQ(RunIrk({"--case", case_dir, "kill", "root", "--yes"}).exit_code, 2);
  auto unknown = RunIrk({"--case", case_dir, "kill", "no-such-user-irk", "--yes"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no local account"), std::string::npos);
}

}  // namespace
}  // namespace irk
