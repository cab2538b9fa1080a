#include "integrity/scanner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include "integrity/testing/tree.h"

namespace irk::integrity {
namespace {

using testing::WriteFile;

Policy OneRule(std::string path, AttributeSet attributes = kAllAttributes) {
  Policy policy;
  policy.rules.push_back(Rule{std::move(path), attributes, HashAlgorithm::kSha256, {}});
  return policy;
}

std::map<std::string, FileRecord> ScanAll(const std::filesystem::path& dir, const Policy& policy,
                                          unsigned workers = 2) {
  auto root = Root::Open(dir);
  EXPECT_TRUE(root.ok());
  std::map<std::string, FileRecord> records;
  auto totals =
      Scan(*root, policy, ScanOptions{workers, false}, [&](std::vector<FileRecord>& batch) {
        for (FileRecord& record : batch) {
          EXPECT_TRUE(records.emplace(record.path, record).second) << "twice: " << record.path;
        }
        return Ok();
      });
  EXPECT_TRUE(totals.ok()) << totals.error().message;
  if (totals.ok()) {
    EXPECT_EQ(totals->entries, records.size());
  }
  return records;
}

TEST(Scan, RecordsFilesFoldersAndLinksUnderARule) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  WriteFile(tmp.path() / "etc/ssh/sshd_config", "PermitRootLogin no\n");
  std::filesystem::create_symlink("/proc/mounts", tmp.path() / "etc/mtab");
  const auto records = ScanAll(tmp.path(), OneRule("/etc"));
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records.at("/etc").type, FileType::kDirectory);
  EXPECT_EQ(records.at("/etc/ssh").type, FileType::kDirectory);
  EXPECT_EQ(records.at("/etc/mtab").target, "/proc/mounts");
  EXPECT_EQ(records.at("/etc/passwd").size, 26u);
  EXPECT_EQ(records.at("/etc/passwd").hash.substr(0, 7), "sha256:");
  EXPECT_EQ(records.at("/etc/ssh/sshd_config").state, ReadState::kOk);
}

TEST(Scan, NeverFollowsALinkOutOfTheImage) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "usr/bin/ls", "x");
  // As on a merged-/usr image: /bin -> usr/bin; and a link to the host's /etc.
  std::filesystem::create_directory_symlink("usr/bin", tmp.path() / "bin");
  std::filesystem::create_directory_symlink("/etc", tmp.path() / "usr/bin/etc");
  Policy policy = OneRule("/bin");
  policy.rules.push_back(Rule{"/usr/bin", kAllAttributes, HashAlgorithm::kSha256, {}});
  const auto records = ScanAll(tmp.path(), policy);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records.at("/bin").type, FileType::kSymlink);
  EXPECT_EQ(records.at("/usr/bin/etc").type, FileType::kSymlink);
  EXPECT_EQ(records.at("/usr/bin/etc").target, "/etc");
}

TEST(Scan, RecordsAFifoWithoutOpeningIt) {
  irk::testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "var/run");
  ASSERT_EQ(mkfifo((tmp.path() / "var/run/initctl").c_str(), 0600), 0);
  const auto records = ScanAll(tmp.path(), OneRule("/var"));
  EXPECT_EQ(records.at("/var/run/initctl").type, FileType::kFifo);
  EXPECT_EQ(records.at("/var/run/initctl").state, ReadState::kOk);
  EXPECT_TRUE(records.at("/var/run/initctl").hash.empty());
}

TEST(Scan, RecordsADeviceNodeWithoutOpeningIt) {
  if (geteuid() != 0) GTEST_SKIP() << "mknod of a device needs root";
  irk::testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "dev");
  // /dev/zero would never end if read: the scan must not read it.
  ASSERT_EQ(mknod((tmp.path() / "dev/zero").c_str(), S_IFCHR | 0666, makedev(1, 5)), 0);
  const auto records = ScanAll(tmp.path(), OneRule("/dev"));
  EXPECT_EQ(records.at("/dev/zero").type, FileType::kCharDevice);
  EXPECT_TRUE(records.at("/dev/zero").hash.empty());
}

TEST(Scan, LeavesOutExcludedPathsAndWhatIsBelowThem) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "usr/lib/python3/a.py", "x");
  WriteFile(tmp.path() / "usr/lib/python3/__pycache__/a.pyc", "x");
  WriteFile(tmp.path() / "usr/lib/b.pyc", "x");
  WriteFile(tmp.path() / "usr/lib/cache/c", "x");
  Policy policy = OneRule("/usr/lib");
  policy.exclude = {"*/__pycache__", "*.pyc"};
  policy.rules[0].exclude = {"/usr/lib/cache"};
  const auto records = ScanAll(tmp.path(), policy);
  EXPECT_EQ(records.size(), 3u);
  EXPECT_TRUE(records.contains("/usr/lib/python3/a.py"));
}

TEST(Scan, ExpandsWildcardsInRulePaths) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA\n");
  WriteFile(tmp.path() / "home/bob/.ssh/authorized_keys", "ssh-ed25519 BBBB\n");
  WriteFile(tmp.path() / "home/carol/notes", "x");
  const auto records = ScanAll(tmp.path(), OneRule("/home/*/.ssh"));
  EXPECT_EQ(records.size(), 4u);
  EXPECT_TRUE(records.contains("/home/bob/.ssh/authorized_keys"));
}

TEST(Scan, LeavesAnInnerRulesFolderToThatRule) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "var/log/auth.log", "x");
  WriteFile(tmp.path() / "var/lib/x", "x");
  Policy policy = OneRule("/var");
  policy.rules.push_back(Rule{"/var/log", kMode | kGrowing, HashAlgorithm::kSha256, {}});
  const auto records = ScanAll(tmp.path(), policy);
  EXPECT_EQ(records.at("/var/log/auth.log").attributes, kMode | kGrowing);
  EXPECT_EQ(records.at("/var/lib/x").attributes, kAllAttributes);
}

TEST(Scan, YieldsNothingForAMissingRulePath) {
  irk::testing::TempDir tmp;
  EXPECT_TRUE(ScanAll(tmp.path(), OneRule("/lib64")).empty());
}

TEST(Scan, MarksAFileRewrittenWhileHashedUnstableWithoutAHash) {
  irk::testing::TempDir tmp;
  const auto big = tmp.path() / "srv/db";
  WriteFile(big, std::string(64 << 20, 'a'));
  std::atomic<bool> done = false;
  std::thread writer([&] {
    const Fd fd(open(big.c_str(), O_WRONLY | O_CLOEXEC));
    for (uint64_t i = 0; !done; ++i) {
      const char byte = static_cast<char>('b' + i % 20);
      (void)pwrite(fd.get(), &byte, 1, static_cast<off_t>((i * 4096) % (64 << 20)));
    }
  });
  const auto records = ScanAll(tmp.path(), OneRule("/srv"));
  done = true;
  writer.join();
  const FileRecord& record = records.at("/srv/db");
  EXPECT_EQ(record.state, ReadState::kUnstable);
  EXPECT_TRUE(record.hash.empty());
}

TEST(Scan, StopsWithTheSinksError) {
  irk::testing::TempDir tmp;
  for (int i = 0; i < 50; ++i) WriteFile(tmp.path() / "etc" / std::to_string(i), "x");
  auto root = Root::Open(tmp.path());
  auto totals = Scan(*root, OneRule("/etc"), ScanOptions{},
                     [](std::vector<FileRecord>&) -> Status { return Fail("disk full"); });
  ASSERT_FALSE(totals.ok());
  EXPECT_EQ(totals.error().message, "disk full");
}

TEST(Scan, HandlesAHundredThousandFilesWithEveryRecordOnce) {
  irk::testing::TempDir tmp;
  for (int d = 0; d < 100; ++d) {
    const auto dir = tmp.path() / "usr/share" / std::to_string(d);
    std::filesystem::create_directories(dir);
    for (int f = 0; f < 1000; ++f) {
      const Fd fd(open((dir / std::to_string(f)).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
      ASSERT_GE(fd.get(), 0);
    }
  }
  const auto records = ScanAll(tmp.path(), OneRule("/usr/share"), 4);
  EXPECT_EQ(records.size(), 100000u + 100u + 1u);
}

}  // namespace
}  // namespace irk::integrity
