#include "core/root.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk {
namespace {

void WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(Root, ReadsAFileUnderTheRoot) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "etc/hostname", "web1\n");
  auto root = Root::Open(tmp.path());
  ASSERT_TRUE(root.ok());
  EXPECT_FALSE(root->live());
  EXPECT_EQ(*root->ReadFile("/etc/hostname", 100), "web1\n");
  EXPECT_EQ(root->HostPath("/etc/hostname"), (tmp.path() / "etc/hostname").string());
}

TEST(Root, ResolvesAbsoluteLinksInsideTheRoot) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "run/utmp", "image");
  std::filesystem::create_directories(tmp.path() / "var");
  // As on Debian: /var/run -> /run. Followed on the host it would reach the host's /run.
  std::filesystem::create_directory_symlink("/run", tmp.path() / "var/run");
  auto root = Root::Open(tmp.path());
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root->ReadFile("/var/run/utmp", 100), "image");
}

TEST(Root, NeverClimbsOutOfTheRoot) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "outside", "host secret");
  WriteFile(tmp.path() / "img/etc/passwd", "image");
  auto root = Root::Open(tmp.path() / "img");
  ASSERT_TRUE(root.ok());
  EXPECT_FALSE(root->ReadFile("/../outside", 100).ok() &&
               *root->ReadFile("/../outside", 100) == "host secret");
}

TEST(Root, RefusesALinkAsTheLastComponentNamingItsTarget) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "var/log");
  std::filesystem::create_symlink("/dev/null", tmp.path() / "var/log/wtmp");
  auto root = Root::Open(tmp.path());
  auto fd = root->OpenFile("/var/log/wtmp");
  ASSERT_FALSE(fd.ok());
  EXPECT_NE(fd.error().message.find("symbolic link to /dev/null"), std::string::npos)
      << fd.error().message;
}

TEST(Root, ReadsALinkTargetAsWritten) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "etc");
  std::filesystem::create_symlink("../usr/share/zoneinfo/Europe/Berlin",
                                  tmp.path() / "etc/localtime");
  auto root = Root::Open(tmp.path());
  ASSERT_TRUE(root.ok());
  auto target = root->ReadLink("/etc/localtime");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(*target, "../usr/share/zoneinfo/Europe/Berlin");
}

TEST(Root, ReadsALinkBehindALinkedDirectoryInsideTheRoot) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "img/private/etc");
  std::filesystem::create_symlink("/usr/share/zoneinfo/UTC",
                                  tmp.path() / "img/private/etc/localtime");
  // An absolute link, as on macOS-like layouts; followed on the host it would miss the image.
  std::filesystem::create_directory_symlink("/private/etc", tmp.path() / "img/etc");
  auto root = Root::Open(tmp.path() / "img");
  ASSERT_TRUE(root.ok());
  auto target = root->ReadLink("/etc/localtime");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(*target, "/usr/share/zoneinfo/UTC");
}

TEST(Root, RefusesToReadLinkOfAFileThatIsNoLink) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "etc/timezone", "Europe/Berlin\n");
  auto root = Root::Open(tmp.path());
  ASSERT_TRUE(root.ok());
  auto target = root->ReadLink("/etc/timezone");
  ASSERT_FALSE(target.ok());
  EXPECT_NE(target.error().message.find("not a symbolic link"), std::string::npos)
      << target.error().message;
  EXPECT_FALSE(root->ReadLink("/etc/missing").ok());
  EXPECT_FALSE(root->ReadLink("/").ok());
}

TEST(Root, RefusesAFifoWithoutWaiting) {
  testing::TempDir tmp;
  ASSERT_EQ(mkfifo((tmp.path() / "fifo").c_str(), 0600), 0);
  auto root = Root::Open(tmp.path());
  auto fd = root->OpenFile("/fifo");
  ASSERT_FALSE(fd.ok());
  EXPECT_NE(fd.error().message.find("not a regular file"), std::string::npos);
}

TEST(Root, RefusesAFileLargerThanAsked) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "big", std::string(1000, 'x'));
  auto root = Root::Open(tmp.path());
  EXPECT_FALSE(root->ReadFile("/big", 999).ok());
  EXPECT_TRUE(root->ReadFile("/big", 1000).ok());
}

TEST(Root, NamesAMissingFile) {
  testing::TempDir tmp;
  auto root = Root::Open(tmp.path());
  auto data = root->ReadFile("/var/log/btmp", 100);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("No such file"), std::string::npos);
}

TEST(Root, ListsTheRegularFilesOfADirectorySorted) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "var/log/syslog", "x");
  WriteFile(tmp.path() / "var/log/auth.log", "x");
  WriteFile(tmp.path() / "var/log/apt/history.log", "x");
  std::filesystem::create_symlink("/etc/shadow", tmp.path() / "var/log/auth.log.1");
  ASSERT_EQ(mkfifo((tmp.path() / "var/log/auth.log.2").c_str(), 0600), 0);
  auto root = Root::Open(tmp.path());
  auto names = root->ListFiles("/var/log");
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"auth.log", "syslog"}));
}

TEST(Root, ListsEveryEntryWithItsOwnStatNeverFollowingALink) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "etc/cron.d/job", "x");
  std::filesystem::create_directories(tmp.path() / "etc/cron.d/sub");
  std::filesystem::create_symlink("/etc/shadow", tmp.path() / "etc/cron.d/link");
  auto root = Root::Open(tmp.path());
  auto entries = root->List("/etc/cron.d");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].name, "job");
  EXPECT_TRUE(S_ISREG((*entries)[0].st.st_mode));
  EXPECT_EQ((*entries)[1].name, "link");
  EXPECT_TRUE(S_ISLNK((*entries)[1].st.st_mode));
  EXPECT_TRUE(S_ISDIR((*entries)[2].st.st_mode));
}

TEST(Root, StatsALinkItselfInsideTheRoot) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "tmp/sh", "#!");
  chmod((tmp.path() / "tmp/sh").c_str(), 04755);
  std::filesystem::create_symlink("/etc/passwd", tmp.path() / "tmp/link");
  auto root = Root::Open(tmp.path());
  auto st = root->Stat("/tmp/sh");
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_TRUE(st->st_mode & S_ISUID);
  auto link = root->Stat("/tmp/link");
  ASSERT_TRUE(link.ok());
  EXPECT_TRUE(S_ISLNK(link->st_mode));
  EXPECT_FALSE(root->Stat("/tmp/missing").ok());
}

TEST(Root, ListsADirectoryThroughLinksInsideTheRoot) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "srv/log/auth.log", "x");
  std::filesystem::create_directories(tmp.path() / "var");
  std::filesystem::create_directory_symlink("/srv/log", tmp.path() / "var/log");
  auto root = Root::Open(tmp.path());
  auto names = root->ListFiles("/var/log");
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"auth.log"}));
}

TEST(Root, ListsNoFilesInAMissingDirectory) {
  testing::TempDir tmp;
  auto root = Root::Open(tmp.path());
  auto names = root->ListFiles("/var/log/proftpd");
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
}

TEST(Root, RefusesToListAFileAsADirectory) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "var/log", "x");
  auto root = Root::Open(tmp.path());
  EXPECT_FALSE(root->ListFiles("/var/log").ok());
}

TEST(Root, OpensADirectoryThroughAnAbsoluteLinkInsideTheRoot) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "usr/bin/ls", "x");
  std::filesystem::create_directory_symlink("/usr/bin", tmp.path() / "bin");
  auto root = Root::Open(tmp.path());
  auto dir = root->OpenDirectory("/bin");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  struct stat st {};
  EXPECT_EQ(fstatat(dir->get(), "ls", &st, AT_SYMLINK_NOFOLLOW), 0);
  EXPECT_FALSE(root->OpenDirectory("/usr/bin/ls").ok());
}

TEST(Root, KnowsTheLiveHost) {
  auto root = Root::Open("/");
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(root->live());
  EXPECT_EQ(root->HostPath("/etc/passwd"), "/etc/passwd");
}

}  // namespace
}  // namespace irk
