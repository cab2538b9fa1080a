#include "core/root.h"

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

TEST(Root, KnowsTheLiveHost) {
  auto root = Root::Open("/");
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(root->live());
  EXPECT_EQ(root->HostPath("/etc/passwd"), "/etc/passwd");
}

}  // namespace
}  // namespace irk
