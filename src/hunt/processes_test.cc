#include "hunt/processes.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::hunt {
namespace {

TEST(FindLdPreload, FindsTheVariableAmongTheEnvironment) {
  using namespace std::string_view_literals;
  EXPECT_EQ(FindLdPreload("PATH=/bin\0LD_PRELOAD=/tmp/.l.so\0HOME=/\0"sv), "/tmp/.l.so");
  EXPECT_EQ(FindLdPreload("PATH=/bin\0XLD_PRELOAD=x\0"sv), std::nullopt);
  EXPECT_EQ(FindLdPreload(""), std::nullopt);
}

TEST(ParseExeLink, SeparatesTheDeletedMark) {
  const ExeLink deleted = ParseExeLink("/tmp/.x/sshd (deleted)");
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.path, "/tmp/.x/sshd");
  EXPECT_FALSE(ParseExeLink("/usr/sbin/sshd").deleted);
}

TEST(HuntProcesses, ReadsLdSoPreloadOfAnImage) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "etc");
  std::ofstream(tmp.path() / "etc/ld.so.preload") << "/lib/libhide.so\n";
  auto root = Root::Open(tmp.path());
  const auto found = HuntProcesses(*root, "/proc", {}, false);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "preload");
  EXPECT_EQ(found[0].severity, Severity::kHigh);
  EXPECT_NE(found[0].summary.find("/lib/libhide.so"), std::string::npos);
}

// Runs a copy of sleep from a temporary folder with LD_PRELOAD set, then
// deletes the copy, as an intruder deletes a dropped tool after starting it.
TEST(HuntProcesses, FindsADeletedRunningBinaryAndAPreloadedProcess) {
  testing::TempDir tmp;
  const auto copy = tmp.path() / "sleep";
  std::filesystem::copy_file("/bin/sleep", copy);
  const pid_t child = fork();
  if (child == 0) {
    const char* argv[] = {"sleep", "30", nullptr};
    const char* envp[] = {"LD_PRELOAD=/nonexistent/libirk-test.so", nullptr};
    execve(copy.c_str(), const_cast<char**>(argv), const_cast<char**>(envp));
    _exit(127);
  }
  // Wait until the child runs the copy, then delete it.
  for (int i = 0; i < 200; ++i) {
    std::error_code ec;
    if (std::filesystem::read_symlink("/proc/" + std::to_string(child) + "/exe", ec) == copy) break;
    usleep(10000);
  }
  std::filesystem::remove(copy);
  auto root = Root::Open("/");
  const auto found = HuntProcesses(*root, "/proc", ReadProcesses("/proc"), true);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  bool deleted = false, preload = false;
  for (const Finding& f : found) {
    if (f.pid != child) continue;
    if (f.kind == "deleted_binary") {
      deleted = true;
      EXPECT_EQ(f.severity, Severity::kHigh) << f.summary;
      EXPECT_EQ(f.path, copy.string());
    }
    preload |= f.kind == "preload";
  }
  EXPECT_TRUE(deleted);
  EXPECT_TRUE(preload);
}

TEST(HuntProcesses, FindsNoHiddenProcessOnAnHonestKernel) {
  auto root = Root::Open("/");
  for (const Finding& f : HuntProcesses(*root, "/proc", ReadProcesses("/proc"), true)) {
    EXPECT_NE(f.kind, "hidden_process") << f.summary;
  }
}

}  // namespace
}  // namespace irk::hunt
