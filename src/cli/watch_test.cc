// End to end: irk watch follows a log of a system image while the test
// appends to it, then stops on SIGTERM and resumes where it stopped.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli/testing/json_lines.h"
#include "cli/testing/run_irk.h"
#include "core/testing/temp_dir.h"
#include "logs/testing/journal_remote.h"

namespace irk {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::RunIrk;
using testing::Write;

void Append(const fs::path& file, std::string_view text) {
  std::ofstream(file, std::ios::binary | std::ios::app) << text;
}

// `irk watch` running in the background, its stdout in a file.
class Watching {
 public:
  Watching(const std::vector<std::string>& args, const fs::path& out) : out_(out) {
    pid_ = fork();
    if (pid_ == 0) {
      const int in = open("/dev/null", O_RDONLY);
      const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = open((out.string() + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(in, 0);
      dup2(fd, 1);
      dup2(err, 2);
      std::vector<char*> argv = {const_cast<char*>(IRK_BIN)};
      for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv(IRK_BIN, argv.data());
      _exit(127);
    }
  }
  ~Watching() {
    if (pid_ > 0) Stop();
  }
  // Waits up to 10 s until the output holds `text`.
  bool WaitFor(std::string_view text) const {
    for (int i = 0; i < 1000; ++i) {
      if (ReadAll(out_).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  // SIGTERM, then the exit code.
  int Stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Output() const { return ReadAll(out_); }
  void Signal(int signal) const { kill(pid_, signal); }

 private:
  fs::path out_;
  pid_t pid_ = -1;
};

class WatchCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "img";
    case_ = (dir_.path() / "case").string();
    log_ = root_ / "var/log/auth.log";
    Write(root_ / "etc/passwd",
          "root:x:0:0::/root:/bin/bash\nalice:x:1001:1001::/home/alice:/bin/bash\n"
          "bob:x:1002:1002::/home/bob:/bin/bash\n");
    Write(root_ / "etc/shadow", "root:*:20000:0:99999:7:::\nalice:$y$j9T$a:20001:0:99999:7:::\n",
          0640);
    Write(root_ / "home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA alice\n", 0600);
    Write(log_,
          "Nov 20 10:00:00 web1 sshd[1]: Accepted password for bob from 198.51.100.4 port 1 "
          "ssh2\n");
  }
  std::vector<std::string> Args(std::vector<std::string> rest) {
    std::vector<std::string> args = {"--case", case_, "--root", root_.string()};
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  }
  fs::path Out(std::string_view name) const { return dir_.path() / name; }

  testing::TempDir dir_;
  fs::path root_;
  fs::path log_;
  std::string case_;
};

TEST_F(WatchCommand, AlertsOnALockedUserAndANewSourceAndJournalsEachAlert) {
  ASSERT_EQ(RunIrk(Args({"lock", "alice", "--yes"})).exit_code, 0);
  Watching watch(Args({"--json", "watch"}), Out("out"));
  ASSERT_TRUE(watch.WaitFor("\"type\":\"note\""));
  Append(log_,
         "Nov 27 10:00:00 web1 sshd[7]: Failed password for alice from 192.0.2.50 port 2 ssh2\n"
         "Nov 27 10:00:01 web1 sshd[8]: Accepted password for bob from 203.0.113.9 port 3 ssh2\n");
  ASSERT_TRUE(watch.WaitFor("\"rule\":\"new-source\"")) << watch.Output();
  EXPECT_EQ(watch.Stop(), 1);
  const auto lines = testing::JsonLines(watch.Output());
  std::vector<std::string> rules;
  for (const auto& line : lines) {
    if (line["type"] == "alert") rules.push_back(line["rule"]);
  }
  EXPECT_EQ(rules, (std::vector<std::string>{"locked-user", "new-source"}));
  const auto journal = RunIrk(Args({"--json", "journal"}));
  EXPECT_NE(journal.out.find("watch.alert"), std::string::npos) << journal.out;
  EXPECT_NE(journal.out.find("Failed password for alice from 192.0.2.50"), std::string::npos);
  EXPECT_NE(journal.out.find("watch.stop"), std::string::npos);
}

TEST_F(WatchCommand, ResumesWhereItStoppedWithoutRepeatingOrMissingALine) {
  {
    Watching watch(Args({"--json", "watch"}), Out("first"));
    ASSERT_TRUE(watch.WaitFor("\"type\":\"note\""));
    Append(
        log_,
        "Nov 27 10:00:00 web1 sshd[8]: Accepted password for bob from 203.0.113.9 port 3 ssh2\n");
    ASSERT_TRUE(watch.WaitFor("203.0.113.9")) << watch.Output();
    EXPECT_EQ(watch.Stop(), 1);
  }
  // Written while no watch ran: the next one starts right after the last line read.
  Append(log_,
         "Nov 27 10:01:00 web1 sshd[9]: Accepted password for bob from 192.0.2.77 port 3 ssh2\n");
  Watching watch(Args({"--json", "watch"}), Out("second"));
  ASSERT_TRUE(watch.WaitFor("192.0.2.77")) << watch.Output();
  EXPECT_EQ(watch.Stop(), 1);
  EXPECT_EQ(watch.Output().find("203.0.113.9"), std::string::npos) << watch.Output();
}

TEST_F(WatchCommand, LearnsOfALockOnSighup) {
  Watching watch(Args({"--json", "watch"}), Out("out"));
  ASSERT_TRUE(watch.WaitFor("0 locked users"));
  ASSERT_EQ(RunIrk(Args({"lock", "alice", "--yes"})).exit_code, 0);
  watch.Signal(SIGHUP);
  ASSERT_TRUE(watch.WaitFor("reloaded the case")) << watch.Output();
  Append(log_,
         "Nov 27 10:00:00 web1 sshd[7]: Failed password for alice from 198.51.100.4 port 2 ssh2\n");
  ASSERT_TRUE(watch.WaitFor("\"rule\":\"locked-user\"")) << watch.Output();
  EXPECT_NE(watch.Output().find("1 locked user"), std::string::npos) << watch.Output();
  EXPECT_EQ(watch.Stop(), 1);
}

TEST_F(WatchCommand, ReportsAKeyAppendedToAuthorizedKeys) {
  Watching watch(Args({"watch"}), Out("out"));
  ASSERT_TRUE(watch.WaitFor("watching"));
  Append(root_ / "home/alice/.ssh/authorized_keys", "ssh-rsa BBBB \x1b[2Jevil\n");
  ASSERT_TRUE(watch.WaitFor("keys-changed")) << watch.Output();
  EXPECT_EQ(watch.Stop(), 1);
  EXPECT_NE(watch.Output().find("ssh-rsa BBBB \\x1b[2Jevil"), std::string::npos) << watch.Output();
  EXPECT_EQ(watch.Output().find('\x1b'), std::string::npos);
}

TEST_F(WatchCommand, RunsTheExecCommandWithTheAlertOnItsInput) {
  const fs::path script = dir_.path() / "hook";
  const fs::path got = dir_.path() / "got";
  Write(script, "#!/bin/sh\ncat > " + got.string() + "\n", 0755);
  Watching watch(Args({"watch", "--exec", script.string()}), Out("out"));
  ASSERT_TRUE(watch.WaitFor("watching"));
  Append(log_,
         "Nov 27 10:00:00 web1 sshd[8]: Accepted password for bob from 203.0.113.9 port 3 ssh2\n");
  ASSERT_TRUE(watch.WaitFor("new-source")) << watch.Output();
  watch.Stop();
  EXPECT_NE(ReadAll(got).find("\"rule\":\"new-source\""), std::string::npos) << ReadAll(got);
}

// An sshd entry of the journal export format, at `seconds` since the epoch.
std::string SshdExport(int64_t seconds, std::string_view message) {
  static int monotonic = 0;
  return "__REALTIME_TIMESTAMP=" + std::to_string(seconds * 1000000) +
         "\n__MONOTONIC_TIMESTAMP=" + std::to_string(++monotonic * 1000000) +
         "\n_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=web1\n"
         "SYSLOG_IDENTIFIER=sshd\n_PID=4242\nMESSAGE=" +
         std::string(message) + "\n\n";
}

TEST_F(WatchCommand, FollowsTheJournalWhereNoTextAuthLogExistsAndResumesAtItsCursor) {
  if (access(logs::testing::kJournalRemote, X_OK) != 0) {
    GTEST_SKIP() << logs::testing::kJournalRemote
                 << " is missing: scripts/install-deps installs it";
  }
  fs::remove(log_);
  const fs::path journal =
      root_ / "var/log/journal/5f0e4c1a2b3d4e5f60718293a4b5c6d7/system.journal";
  // Each entry is stamped when it is written, as journald does: a watch
  // takes the journal from the time it starts.
  const auto now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const auto write = [&](int64_t at, std::string_view message) {
    return logs::testing::AppendToJournal(journal, SshdExport(at, message), dir_.path());
  };
  ASSERT_EQ(write(now() - 3600, "Accepted password for bob from 198.51.100.4 port 1 ssh2"), "");
  {
    Watching watch(Args({"--json", "watch"}), Out("first"));
    ASSERT_TRUE(watch.WaitFor("\"type\":\"note\"")) << watch.Output();
    EXPECT_NE(watch.Output().find("and the journal"), std::string::npos) << watch.Output();
    ASSERT_EQ(write(now() + 1, "Accepted password for bob from 203.0.113.9 port 3 ssh2"), "");
    ASSERT_TRUE(watch.WaitFor("203.0.113.9")) << watch.Output();
    EXPECT_NE(watch.Output().find("\"rule\":\"new-source\""), std::string::npos);
    EXPECT_EQ(watch.Stop(), 1);
  }
  // Written while no watch ran: the next one goes on after the saved cursor.
  ASSERT_EQ(write(now() + 1, "Accepted password for bob from 192.0.2.77 port 3 ssh2"), "");
  Watching watch(Args({"--json", "watch"}), Out("second"));
  ASSERT_TRUE(watch.WaitFor("192.0.2.77")) << watch.Output();
  EXPECT_EQ(watch.Stop(), 1);
  EXPECT_EQ(watch.Output().find("203.0.113.9"), std::string::npos) << watch.Output();
}

TEST_F(WatchCommand, RefusesRespondOnAnImage) {
  const auto run = RunIrk(Args({"watch", "--respond"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--respond acts on this host"), std::string::npos) << run.err;
}

TEST_F(WatchCommand, StopsByItselfAfterForAndSavesItsPlace) {
  const auto started = std::chrono::steady_clock::now();
  const auto run = RunIrk(Args({"watch", "--for", "2s"}));
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("stopped:"), std::string::npos) << run.out;
  EXPECT_GE(took, std::chrono::seconds(2));
  const auto journal = RunIrk(Args({"journal"}));
  EXPECT_NE(journal.out.find("watch.stop"), std::string::npos) << journal.out;
  EXPECT_EQ(RunIrk(Args({"watch", "--for", "soon"})).exit_code, 2);
}

}  // namespace
}  // namespace irk
