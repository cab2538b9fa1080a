// End to end: irk lock and irk undo on a system image the test builds.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "cli/testing/run_irk.h"
#include "core/testing/temp_dir.h"

namespace irk {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::RunIrk;
using testing::Write;

const std::string kShadow = "root:*:20000:0:99999:7:::\nalice:$y$j9T$a:20001:0:99999:7:::\n";

class LockCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "img";
    case_ = (dir_.path() / "case").string();
    Write(root_ / "etc/passwd",
          "root:x:0:0::/root:/bin/bash\nalice:x:1001:1001::/home/alice:/bin/bash\n");
    Write(root_ / "etc/shadow", kShadow, 0640);
    Write(root_ / "home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA alice\n", 0600);
  }
  std::vector<std::string> Args(std::vector<std::string> rest) {
    std::vector<std::string> args = {"--case", case_, "--root", root_.string()};
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  }
  testing::TempDir dir_;
  fs::path root_;
  std::string case_;
};

TEST_F(LockCommand, WithoutATerminalOrYesPrintsThePlanAndExits2) {
  auto run = RunIrk(Args({"lock", "alice"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.out.find("Plan: lock alice"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("/etc/shadow"), std::string::npos);
  EXPECT_NE(run.err.find("--yes"), std::string::npos) << run.err;
  EXPECT_EQ(ReadAll(root_ / "etc/shadow"), kShadow);
}

TEST_F(LockCommand, DryRunNeverApplies) {
  auto run = RunIrk(Args({"lock", "alice", "--dry-run", "--yes"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ReadAll(root_ / "etc/shadow"), kShadow);
  EXPECT_TRUE(fs::exists(root_ / "home/alice/.ssh/authorized_keys"));
}

TEST_F(LockCommand, YesAppliesAndUndoLastRevertsIt) {
  auto lock = RunIrk(Args({"lock", "alice", "--yes"}));
  ASSERT_EQ(lock.exit_code, 0) << lock.out << lock.err;
  EXPECT_NE(ReadAll(root_ / "etc/shadow").find("alice:!$y$j9T$a:20001:0:99999:7::1:"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(root_ / "home/alice/.ssh/authorized_keys"));

  auto list = RunIrk(Args({"undo", "--list"}));
  EXPECT_NE(list.out.find("applied"), std::string::npos) << list.out;

  auto undo = RunIrk(Args({"undo", "--last", "--yes"}));
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(ReadAll(root_ / "etc/shadow"), kShadow);
  EXPECT_EQ(ReadAll(root_ / "home/alice/.ssh/authorized_keys"), "ssh-ed25519 AAAA alice\n");

  auto again = RunIrk(Args({"undo", "--last", "--yes"}));
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("Nothing to undo"), std::string::npos) << again.out;
}

TEST_F(LockCommand, ACrashMidApplyIsIncompleteAndUndoRestoresEverything) {
  const std::string bin = IRK_BIN;
  const pid_t child = fork();
  if (child == 0) {
    setenv("IRK_TEST_CRASH_AFTER_STEP", "2", 1);
    const int null = open("/dev/null", O_RDWR);
    dup2(null, 1);
    dup2(null, 2);
    auto args = Args({"lock", "alice", "--yes"});
    std::vector<char*> argv = {const_cast<char*>(bin.c_str())};
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 99);
  EXPECT_NE(ReadAll(root_ / "etc/shadow"), kShadow);
  EXPECT_TRUE(fs::exists(root_ / "home/alice/.ssh/authorized_keys"));  // step 3 never ran

  auto list = RunIrk(Args({"undo", "--list"}));
  EXPECT_NE(list.out.find("incomplete"), std::string::npos) << list.out;
  auto status_run = RunIrk(Args({"status"}));
  EXPECT_NE(status_run.out.find("incomplete"), std::string::npos) << status_run.out;

  auto undo = RunIrk(Args({"undo", "--last", "--yes"}));
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(ReadAll(root_ / "etc/shadow"), kShadow);
  EXPECT_NE(ReadAll(root_ / "etc/passwd").find("alice:x:1001:1001::/home/alice:/bin/bash"),
            std::string::npos);
}

TEST_F(LockCommand, RefusesAnAccountThatIsNotLocal) {
  auto run = RunIrk(Args({"lock", "carol", "--yes"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not a local account"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace irk
