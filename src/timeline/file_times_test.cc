#include "timeline/file_times.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::timeline {
namespace {

constexpr int64_t kT = 1795698131;  // 2026-11-26T13:02:11Z

void SetTimes(const std::filesystem::path& path, int64_t atime, int64_t mtime) {
  const struct timespec times[2] = {{atime, 0}, {mtime, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0);
}

class FileTimesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(tmp_.path() / "etc/cron.d");
    std::ofstream(tmp_.path() / "etc/cron.d/evil") << "* * * * * root /tmp/x\n";
    std::ofstream(tmp_.path() / "etc/cron.d/old") << "\n";
    SetTimes(tmp_.path() / "etc/cron.d/evil", kT + 60, kT);
    SetTimes(tmp_.path() / "etc/cron.d/old", kT - 86400, kT - 86400);
    auto root = Root::Open(tmp_.path());
    ASSERT_TRUE(root.ok()) << root.error().message;
    root_ = std::make_unique<Root>(std::move(root).value());
  }

  testing::TempDir tmp_;
  std::unique_ptr<Root> root_;
};

TEST_F(FileTimesTest, ReadsTheTimesOfAFileWithoutChangingItsAtime) {
  auto times = StatFile(*root_, "/etc/cron.d/evil");
  ASSERT_TRUE(times.ok()) << times.error().message;
  EXPECT_EQ(times->path, "/etc/cron.d/evil");
  ASSERT_TRUE(times->mtime && times->atime && times->ctime);
  EXPECT_EQ(times->mtime->seconds, kT);
  EXPECT_EQ(times->atime->seconds, kT + 60);
  EXPECT_EQ(times->size, 22u);
  EXPECT_TRUE(S_ISREG(times->mode));
  auto again = StatFile(*root_, "/etc/cron.d/evil");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->atime->seconds, kT + 60);
}

TEST_F(FileTimesTest, ReadsADirectorysFilesAndReportsWhatItCannotRead) {
  std::vector<std::string> problems;
  const auto files = StatFiles(*root_, {"/etc/cron.d", "/etc/missing"},
                               [&](const Error& e) { problems.push_back(e.message); });
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, "/etc/cron.d/evil");
  EXPECT_EQ(files[1].path, "/etc/cron.d/old");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("/etc/missing"), std::string::npos) << problems[0];
}

TEST_F(FileTimesTest, NeverFollowsALinkOutOfTheImage) {
  std::filesystem::create_symlink("/etc/passwd", tmp_.path() / "etc/cron.d/link");
  std::filesystem::create_directories(tmp_.path() / "var");
  std::filesystem::create_symlink("/etc", tmp_.path() / "var/etc");
  // A link as the last component is refused; a link on the way stays in the image.
  EXPECT_FALSE(StatFile(*root_, "/etc/cron.d/link").ok());
  auto inside = StatFile(*root_, "/var/etc/cron.d/evil");
  ASSERT_TRUE(inside.ok()) << inside.error().message;
  EXPECT_EQ(inside->mtime->seconds, kT);
  EXPECT_FALSE(StatFile(*root_, "/var/etc/passwd").ok());  // the host's /etc/passwd is not read
}

TEST_F(FileTimesTest, MakesOneItemPerDistinctTimeInTheWindowNamingTheTimes) {
  FileTimes file;
  file.path = "/x";
  file.mtime = Timestamp{kT, 0};
  file.ctime = Timestamp{kT, 0};
  file.atime = Timestamp{kT + 60, 0};
  file.btime = Timestamp{kT - 86400, 0};
  const auto items = FileTimeItems({file}, Timestamp{kT - 3600, 0}, Timestamp{kT + 3600, 0}, false);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].time.seconds, kT);
  EXPECT_EQ(std::get<FileStamp>(items[0].what).macb, "m.c.");
  EXPECT_EQ(std::get<FileStamp>(items[1].what).macb, ".a..");
  const auto all = FileTimeItems({file}, std::nullopt, std::nullopt, false);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(std::get<FileStamp>(all[0].what).macb, "...b");
  const auto one = FileTimeItems({file}, std::nullopt, std::nullopt, true);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].time.seconds, kT - 86400);
}

}  // namespace
}  // namespace irk::timeline
