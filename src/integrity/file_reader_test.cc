#include "integrity/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/root.h"
#include "core/testing/temp_dir.h"
#include "integrity/testing/tree.h"

namespace irk::integrity {
namespace {

using testing::WriteFile;

// Lists `name` in `dir` as the walker would, then reads it.
FileRecord ListThenRead(const std::filesystem::path& dir, const char* name,
                        HashAlgorithm algorithm = HashAlgorithm::kSha256,
                        void (*between)(const std::filesystem::path&) = nullptr) {
  const Fd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  FileRecord record;
  record.path = (dir / name).string();
  record.attributes = kAllAttributes;
  struct stat st {};
  EXPECT_EQ(fstatat(fd.get(), name, &st, AT_SYMLINK_NOFOLLOW), 0);
  FillFromStat(st, record);
  if (between != nullptr) between(dir / name);
  FileReader reader;
  reader.Read(fd.get(), name, algorithm, record);
  return record;
}

TEST(FileReader, HashesAFileWithEachAlgorithm) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "abc", "abc");
  const FileRecord sha256 = ListThenRead(tmp.path(), "abc");
  EXPECT_EQ(sha256.state, ReadState::kOk) << sha256.problem;
  EXPECT_EQ(sha256.hash, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256.size, 3u);
  EXPECT_EQ(ListThenRead(tmp.path(), "abc", HashAlgorithm::kSha512).hash.size(), 7u + 128u);
  EXPECT_EQ(ListThenRead(tmp.path(), "abc", HashAlgorithm::kBlake2b).hash.substr(0, 24),
            "blake2b:ba80a53f981c4d0d");
}

TEST(FileReader, DoesNotFollowASymlinkSwappedInAfterListing) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "passwd", "root:x:0:0::/root:/bin/sh\n");
  const FileRecord record = ListThenRead(tmp.path(), "passwd", HashAlgorithm::kSha256,
                                         [](const std::filesystem::path& path) {
                                           std::filesystem::remove(path);
                                           std::filesystem::create_symlink("/etc/shadow", path);
                                         });
  EXPECT_EQ(record.state, ReadState::kUnstable);
  EXPECT_EQ(record.type, FileType::kSymlink);
  EXPECT_EQ(record.target, "/etc/shadow");
  EXPECT_TRUE(record.hash.empty());
}

TEST(FileReader, NeverWaitsOnAFifoSwappedInAfterListing) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "log", "x");
  const FileRecord record = ListThenRead(tmp.path(), "log", HashAlgorithm::kSha256,
                                         [](const std::filesystem::path& path) {
                                           std::filesystem::remove(path);
                                           ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
                                         });
  EXPECT_EQ(record.state, ReadState::kUnstable);
  EXPECT_EQ(record.type, FileType::kFifo);
  EXPECT_TRUE(record.hash.empty());
}

TEST(FileReader, ReportsAFileThatVanishedAfterListing) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "gone", "x");
  const FileRecord record =
      ListThenRead(tmp.path(), "gone", HashAlgorithm::kSha256,
                   [](const std::filesystem::path& path) { std::filesystem::remove(path); });
  EXPECT_EQ(record.state, ReadState::kVanished);
  EXPECT_NE(record.problem.find("No such file"), std::string::npos) << record.problem;
}

TEST(FileReader, ReportsAFileItMayNotRead) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every file; run as a user to test EACCES";
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "secret", "x");
  chmod((tmp.path() / "secret").c_str(), 0);
  const FileRecord record = ListThenRead(tmp.path(), "secret");
  EXPECT_EQ(record.state, ReadState::kDenied);
}

TEST(FileReader, TakesTheMetadataOfTheFileItReadNotTheOneListed) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "ls", "old");
  const FileRecord record =
      ListThenRead(tmp.path(), "ls", HashAlgorithm::kSha256, [](const std::filesystem::path& path) {
        WriteFile(path.string() + ".new", "new content");
        std::filesystem::rename(path.string() + ".new", path);
      });
  EXPECT_EQ(record.state, ReadState::kOk);
  EXPECT_EQ(record.size, 11u);
  struct stat st {};
  ASSERT_EQ(stat((tmp.path() / "ls").c_str(), &st), 0);
  EXPECT_EQ(record.inode, st.st_ino);
}

TEST(FileReader, ReadsExtendedAttributes) {
  irk::testing::TempDir tmp;
  WriteFile(tmp.path() / "f", "x");
  if (setxattr((tmp.path() / "f").c_str(), "user.irk", "v", 1, 0) != 0) {
    GTEST_SKIP() << "this file system has no user xattrs";
  }
  const FileRecord record = ListThenRead(tmp.path(), "f");
  ASSERT_EQ(record.xattrs.size(), 1u);
  EXPECT_EQ(record.xattrs[0], (std::pair<std::string, std::string>{"user.irk", "v"}));
}

}  // namespace
}  // namespace irk::integrity
