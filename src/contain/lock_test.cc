// irk lock against system images built in temp folders: the plan, its
// apply, a second apply, and the undo that gives back identical files.
#include "contain/lock.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "contain/undo.h"
#include "core/testing/temp_dir.h"

namespace irk::contain {
namespace {

namespace fs = std::filesystem;

constexpr uid_t kAliceUid = 1001;

const std::string kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "alice:x:1001:1001:Alice:/home/alice:/bin/bash\n"
    "bob:x:1002:1002:Bob:/home/bob:/bin/sh\n";
const std::string kShadow =
    "root:$y$j9T$r$root:20000:0:99999:7:::\n"
    "alice:$y$j9T$a$alice:20001:0:99999:7:::\n"
    "bob:$y$j9T$b$bob:20002:0:99999:7:::\n";

void Write(const fs::path& file, std::string_view text, mode_t mode = 0644) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  chmod(file.c_str(), mode);
}

std::string Read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every regular file of the image with its bytes, mode and owner.
std::map<std::string, std::string> Snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    struct stat st {};
    lstat(entry.path().c_str(), &st);
    if (!S_ISREG(st.st_mode)) continue;
    files[entry.path().lexically_relative(root).string()] =
        std::to_string(st.st_mode) + ":" + std::to_string(st.st_uid) + ":" +
        std::to_string(st.st_gid) + ":" + Read(entry.path());
  }
  return files;
}

class LockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "img";
    Write(root_ / "etc/passwd", kPasswd);
    Write(root_ / "etc/shadow", kShadow, 0640);
    Write(root_ / "etc/group", "root:x:0:\nsudo:x:27:alice\nalice:x:1001:\n");
    Write(root_ / "etc/ftpusers", "root\n");
    Write(root_ / "etc/sudoers", "root ALL=(ALL) ALL\n%sudo ALL=(ALL) ALL\n");
    Write(root_ / "etc/subuid", "alice:100000:65536\n");
    Write(root_ / "etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n");
    Write(root_ / "etc/ssh/sshd_config.d/keys.conf",
          "AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/keys/%u\n");
    Write(root_ / "etc/ssh/keys/alice", "ssh-ed25519 AAAAC3 central\n", 0600);
    Write(root_ / "usr/sbin/nologin", "", 0755);
    Write(root_ / "home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAAC3 alice@laptop\n", 0600);
    Write(root_ / "home/alice/.rhosts", "evil.example.org alice\n", 0600);
    Write(root_ / "home/alice/.forward", "\"|/tmp/.x/run\"\n");
    Write(root_ / "home/alice/.bashrc", "PS1='$ '\n");
    Write(root_ / "var/spool/cron/crontabs/alice", "* * * * * /tmp/.x/beacon\n", 0600);
    Write(root_ / "var/lib/systemd/linger/alice", "");
    if (geteuid() == 0) {
      // Real owners, so the undo's owner check means something.
      for (const char* file : {"home/alice/.ssh/authorized_keys", "home/alice/.rhosts",
                               "var/spool/cron/crontabs/alice"}) {
        ASSERT_EQ(chown((root_ / file).c_str(), kAliceUid, kAliceUid), 0);
      }
      ASSERT_EQ(chown((root_ / "etc/shadow").c_str(), 0, 42), 0);
    }
    auto store = CaseStore::Open(dir_.path() / "case", Actor{"{}", "irk lock alice"});
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::make_unique<CaseStore>(std::move(store).value());
    auto files = HostFiles::Open(root_);
    ASSERT_TRUE(files.ok());
    files_ = std::make_shared<const HostFiles>(std::move(files).value());
  }

  Result<Plan> PlanAlice() {
    auto root = Root::Open(root_);
    if (!root.ok()) return root.error();
    return PlanLock(files_, *root, "alice");
  }

  Action Apply() {
    auto plan = PlanAlice();
    EXPECT_TRUE(plan.ok()) << plan.error().message;
    auto action = ApplyPlan(*store_, *plan, nullptr);
    EXPECT_TRUE(action.ok());
    return *action;
  }

  testing::TempDir dir_;
  fs::path root_;
  std::unique_ptr<CaseStore> store_;
  std::shared_ptr<const HostFiles> files_;
};

TEST_F(LockTest, ExpiresAndLocksInShadowKeepingEveryOtherByte) {
  const Action action = Apply();
  EXPECT_EQ(action.State(), "applied");
  std::string expected = kShadow;
  expected.replace(expected.find("alice:$y$j9T$a$alice:20001:0:99999:7:::"),
                   std::string("alice:$y$j9T$a$alice:20001:0:99999:7:::").size(),
                   "alice:!$y$j9T$a$alice:20001:0:99999:7::1:");
  EXPECT_EQ(Read(root_ / "etc/shadow"), expected);
  struct stat st {};
  ASSERT_EQ(stat((root_ / "etc/shadow").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_NE(
      Read(root_ / "etc/passwd").find("alice:x:1001:1001:Alice:/home/alice:/usr/sbin/nologin\n"),
      std::string::npos);
  EXPECT_NE(Read(root_ / "etc/passwd").find("bob:x:1002:1002:Bob:/home/bob:/bin/sh\n"),
            std::string::npos);
  EXPECT_EQ(Read(root_ / "etc/ftpusers"), "root\nalice\n");
}

TEST_F(LockTest, MovesEveryDoorIntoTheCaseAndLeavesOtherFiles) {
  Apply();
  for (const char* gone :
       {"home/alice/.ssh/authorized_keys", "etc/ssh/keys/alice", "home/alice/.rhosts",
        "home/alice/.forward", "var/spool/cron/crontabs/alice", "var/lib/systemd/linger/alice"}) {
    EXPECT_FALSE(fs::exists(root_ / gone)) << gone;
  }
  EXPECT_TRUE(fs::exists(root_ / "home/alice/.bashrc"));
  size_t kept = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.path() / "case/contain")) {
    if (entry.is_regular_file() && Read(entry.path()) == "ssh-ed25519 AAAAC3 alice@laptop\n")
      ++kept;
  }
  EXPECT_EQ(kept, 1u);
}

TEST_F(LockTest, ListsWhatItCannotClose) {
  auto plan = PlanAlice();
  ASSERT_TRUE(plan.ok());
  std::string notes;
  for (const auto& note : plan->notes) notes += note + "\n";
  EXPECT_NE(notes.find("group sudo"), std::string::npos) << notes;
  EXPECT_NE(notes.find("/etc/sudoers:2: %sudo ALL=(ALL) ALL"), std::string::npos) << notes;
  EXPECT_NE(notes.find("alice:100000:65536"), std::string::npos) << notes;
}

TEST_F(LockTest, LockingTwiceChangesNothingMore) {
  Apply();
  const auto after_first = Snapshot(root_);
  const Action second = Apply();
  EXPECT_EQ(Snapshot(root_), after_first);
  for (const auto& step : second.steps) {
    EXPECT_EQ(step.outcome, "already") << step.description;
    EXPECT_EQ(step.undo_json, "");
  }
}

TEST_F(LockTest, UndoGivesBackIdenticalFilesWithModeAndOwner) {
  const auto before = Snapshot(root_);
  const Action action = Apply();
  ASSERT_NE(Snapshot(root_), before);
  const Reverter revert = [this](std::string_view recipe) {
    return Revert(*files_, nullptr, recipe);
  };
  auto undone = UndoAction(*store_, action, revert, nullptr);
  ASSERT_TRUE(undone.ok());
  EXPECT_TRUE(undone->undone);
  for (const auto& step : undone->steps) {
    if (!step.undo_json.empty()) {
      EXPECT_EQ(step.undo_outcome, "reverted") << step.undo_detail;
    }
  }
  EXPECT_EQ(Snapshot(root_), before);

  // A second undo finds nothing left to do.
  const auto again = ReadActions(*store_->Records()).at(0);
  EXPECT_FALSE(again.HasSomethingToUndo());
}

TEST_F(LockTest, UndoReportsAStepRevertedByHandAndRestoresTheRest) {
  const auto before = Snapshot(root_);
  const Action action = Apply();
  Write(root_ / "etc/shadow", kShadow, 0640);  // the operator put shadow back by hand
  if (geteuid() == 0) {
    ASSERT_EQ(chown((root_ / "etc/shadow").c_str(), 0, 42), 0);
  }
  const Reverter revert = [this](std::string_view recipe) {
    return Revert(*files_, nullptr, recipe);
  };
  auto undone = UndoAction(*store_, action, revert, nullptr);
  ASSERT_TRUE(undone.ok());
  EXPECT_EQ(undone->steps[0].undo_outcome, "already");
  EXPECT_TRUE(undone->undone);
  EXPECT_EQ(Snapshot(root_), before);
}

TEST_F(LockTest, UndoNeverOverwritesAKeyFileCreatedSince) {
  const Action action = Apply();
  Write(root_ / "home/alice/.ssh/authorized_keys", "ssh-ed25519 NEW\n", 0600);
  const Reverter revert = [this](std::string_view recipe) {
    return Revert(*files_, nullptr, recipe);
  };
  auto undone = UndoAction(*store_, action, revert, nullptr);
  ASSERT_TRUE(undone.ok());
  EXPECT_FALSE(undone->undone);
  EXPECT_EQ(Read(root_ / "home/alice/.ssh/authorized_keys"), "ssh-ed25519 NEW\n");
}

TEST_F(LockTest, NeverFollowsALinkInsideTheHome) {
  // ~/.ssh pointing at root's keys must not make irk move root's keys.
  Write(root_ / "root/.ssh/authorized_keys", "ssh-ed25519 ROOT\n", 0600);
  fs::remove_all(root_ / "home/alice/.ssh");
  fs::create_directory_symlink("/root/.ssh", root_ / "home/alice/.ssh");
  Apply();
  EXPECT_EQ(Read(root_ / "root/.ssh/authorized_keys"), "ssh-ed25519 ROOT\n");
}

TEST_F(LockTest, RefusesAccountsThatAreNotLocal) {
  auto root = Root::Open(root_);
  ASSERT_TRUE(root.ok());
  auto plan = PlanLock(files_, *root, "carol");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("not a local account"), std::string::npos);
  EXPECT_NE(plan.error().message.find("DenyUsers carol"), std::string::npos);
  EXPECT_FALSE(PlanLock(files_, *root, "root").ok());
}

}  // namespace
}  // namespace irk::contain
