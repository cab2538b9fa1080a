#include "logs/lastlog.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::logs {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kTime = 1795700000;  // 2026-11-26

// One record in `layout`, as login(1) writes it: fields NUL-padded.
std::string Record(LastlogLayout layout, int64_t time, std::string_view line,
                   std::string_view host) {
  std::string r(LastlogRecordSize(layout), '\0');
  const size_t t = layout == LastlogLayout::kTime32 ? 4 : 8;
  for (size_t i = 0; i < t; ++i) {
    const auto byte = static_cast<char>((static_cast<uint64_t>(time) >> (8 * i)) & 0xff);
    r[layout == LastlogLayout::kTime64BigEndian ? t - 1 - i : i] = byte;
  }
  r.replace(t, std::min(line.size(), size_t{32}), line.substr(0, 32));
  r.replace(t + 32, std::min(host.size(), size_t{256}), host.substr(0, 256));
  return r;
}

std::string Zeros(LastlogLayout layout, size_t records) {
  return std::string(LastlogRecordSize(layout) * records, '\0');
}

TEST(LastlogRecordSize, Is292For32BitTimeAnd296For64BitTime) {
  EXPECT_EQ(LastlogRecordSize(LastlogLayout::kTime32), 292u);
  EXPECT_EQ(LastlogRecordSize(LastlogLayout::kTime64), 296u);
  EXPECT_EQ(LastlogRecordSize(LastlogLayout::kTime64BigEndian), 296u);
}

TEST(ParseLastlog, ReadsX86_64RecordsWithTheUidFromTheOffset) {
  const auto l = LastlogLayout::kTime32;
  const std::string file =
      Record(l, kTime, "tty1", "") + Zeros(l, 999) + Record(l, kTime + 60, "pts/0", "203.0.113.5");
  const auto entries = ParseLastlog(file);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].uid, 0u);
  EXPECT_EQ(entries[0].time, (Timestamp{kTime, 0}));
  EXPECT_EQ(entries[0].line, "tty1");
  EXPECT_EQ(entries[0].host, "");
  EXPECT_EQ(entries[1].uid, 1000u);
  EXPECT_EQ(entries[1].time, (Timestamp{kTime + 60, 0}));
  EXPECT_EQ(entries[1].line, "pts/0");
  EXPECT_EQ(entries[1].host, "203.0.113.5");
}

TEST(ParseLastlog, ReadsThe296ByteLayoutOf64BitTime) {
  const auto l = LastlogLayout::kTime64;
  const std::string file = Zeros(l, 1000) + Record(l, kTime, "pts/1", "2001:db8::7");
  EXPECT_EQ(DetectLastlogLayout(file), l);
  const auto entries = ParseLastlog(file);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].uid, 1000u);
  EXPECT_EQ(entries[0].time.seconds, kTime);
  EXPECT_EQ(entries[0].host, "2001:db8::7");
}

TEST(ParseLastlog, ReadsTheBigEndianLayout) {
  const auto l = LastlogLayout::kTime64BigEndian;
  const std::string file = Zeros(l, 3) + Record(l, kTime, "pts/2", "198.51.100.9");
  EXPECT_EQ(DetectLastlogLayout(file), l);
  const auto entries = ParseLastlog(file);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].uid, 3u);
  EXPECT_EQ(entries[0].time.seconds, kTime);
  EXPECT_EQ(entries[0].line, "pts/2");
}

TEST(DetectLastlogLayout, TellsLayoutsApartByContentWhenBothSizesDivideTheFile) {
  // 73 records of 296 bytes are 74 records of 292 bytes.
  for (const auto l : {LastlogLayout::kTime32, LastlogLayout::kTime64}) {
    const size_t count = l == LastlogLayout::kTime32 ? 74 : 73;
    std::string file;
    for (size_t uid = 0; uid < count; ++uid) {
      file += uid % 10 == 0 ? Record(l, kTime + static_cast<int64_t>(uid), "pts/3", "192.0.2.44")
                            : Zeros(l, 1);
    }
    ASSERT_EQ(file.size(), 21608u);
    EXPECT_EQ(DetectLastlogLayout(file), l);
  }
}

TEST(DetectLastlogLayout, GoesByFileSizeWhenOnlyOneSizeDividesIt) {
  // A lone root record: 292 bytes cannot be a 296-byte file.
  const auto l = LastlogLayout::kTime32;
  EXPECT_EQ(DetectLastlogLayout(Record(l, kTime, "tty1", "")), l);
  const auto l64 = LastlogLayout::kTime64;
  EXPECT_EQ(DetectLastlogLayout(Record(l64, kTime, "tty1", "")), l64);
}

TEST(ParseLastlog, CutsTextAtTheFirstNul) {
  const auto l = LastlogLayout::kTime32;
  std::string file = Record(l, kTime, "pts/0", "web");
  file[4 + 32 + 3] = '\0';
  file[4 + 32 + 4] = 'X';  // junk after the terminator
  const auto entries = ParseLastlog(file, l, 0);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].host, "web");
}

TEST(ParseLastlog, KeepsAFullFieldWithoutTerminator) {
  const auto l = LastlogLayout::kTime32;
  const std::string line(40, 'L');
  const std::string host(300, 'h');
  const auto entries = ParseLastlog(Record(l, kTime, line, host), l, 0);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].line, std::string(32, 'L'));
  EXPECT_EQ(entries[0].host, std::string(256, 'h'));
}

TEST(ParseLastlog, KeepsHostileBytesForTheCallerToEscape) {
  const auto l = LastlogLayout::kTime32;
  const auto entries = ParseLastlog(Record(l, kTime, "pts/0", "\x1b[2Jevil"), l, 0);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].host, "\x1b[2Jevil");
}

TEST(ParseLastlog, IgnoresATruncatedLastRecord) {
  const auto l = LastlogLayout::kTime32;
  const std::string file =
      Record(l, kTime, "tty1", "") + Record(l, kTime, "tty2", "").substr(0, 100);
  const auto entries = ParseLastlog(file, l, 0);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].line, "tty1");
}

TEST(ParseLastlog, HasNoEntriesForEmptyOrZeroedInput) {
  EXPECT_TRUE(ParseLastlog("").empty());
  EXPECT_TRUE(ParseLastlog(Zeros(LastlogLayout::kTime32, 100)).empty());
}

TEST(ParseLastlog, KeepsARecordWithZeroTimeButText) {
  const auto l = LastlogLayout::kTime32;
  const auto entries = ParseLastlog(Record(l, 0, "pts/9", ""), l, 5);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].uid, 5u);
  EXPECT_EQ(entries[0].time.seconds, 0);
}

TEST(ParseLastlog, StopsPastTheLargestUid) {
  const auto l = LastlogLayout::kTime32;
  const std::string two = Record(l, kTime, "a", "") + Record(l, kTime, "b", "");
  const auto entries = ParseLastlog(two, l, 4294967295u);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].uid, 4294967295u);
  EXPECT_EQ(entries[0].line, "a");
}

TEST(ParseLastlog, ReadsNegative32BitTimesAsWritten) {
  const auto l = LastlogLayout::kTime32;
  const auto entries = ParseLastlog(Record(l, -5, "tty1", ""), l, 0);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].time.seconds, -5);
}

class ReadLastlogTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_.path() / "var/log"); }

  fs::path File() const { return dir_.path() / "var/log/lastlog"; }

  // Writes `bytes` at `offset` of the lastlog, leaving a hole before it.
  // False when the file system cannot hold a file that large.
  bool WriteAt(uint64_t offset, const std::string& bytes) {
    const int fd = open(File().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    const ssize_t n = pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    close(fd);
    return n == static_cast<ssize_t>(bytes.size());
  }

  testing::TempDir dir_;
};

TEST_F(ReadLastlogTest, ReadsRecordsAroundHoles) {
  const auto l = LastlogLayout::kTime32;
  ASSERT_TRUE(WriteAt(0, Record(l, kTime, "tty1", "")));
  ASSERT_TRUE(WriteAt(1000 * 292, Record(l, kTime + 1, "pts/0", "203.0.113.5")));
  ASSERT_TRUE(WriteAt(60000 * 292, Record(l, kTime + 2, "pts/1", "198.51.100.7")));
  auto root = Root::Open(dir_.path());
  ASSERT_TRUE(root.ok());
  auto entries = ReadLastlog(*root);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].uid, 0u);
  EXPECT_EQ((*entries)[1].uid, 1000u);
  EXPECT_EQ((*entries)[1].host, "203.0.113.5");
  EXPECT_EQ((*entries)[2].uid, 60000u);
  EXPECT_EQ((*entries)[2].time.seconds, kTime + 2);
}

TEST_F(ReadLastlogTest, ReadsAUidOfFourBillionWithoutReadingTheHoles) {
  const auto l = LastlogLayout::kTime32;
  const uint64_t uid = 4000000000u;
  ASSERT_TRUE(WriteAt(0, Record(l, kTime, "tty1", "")));
  if (!WriteAt(uid * 292, Record(l, kTime, "pts/7", "192.0.2.200"))) {
    GTEST_SKIP() << "this file system cannot hold a 1.2 TB sparse file: " << std::strerror(errno);
  }
  auto root = Root::Open(dir_.path());
  ASSERT_TRUE(root.ok());
  const auto start = std::chrono::steady_clock::now();
  auto entries = ReadLastlog(*root);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].uid, uid);
  EXPECT_EQ((*entries)[1].host, "192.0.2.200");
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(ReadLastlogTest, Detects64BitTimeInASparseFile) {
  const auto l = LastlogLayout::kTime64;
  ASSERT_TRUE(WriteAt(0, Record(l, kTime, "tty1", "")));
  ASSERT_TRUE(WriteAt(70000 * 296, Record(l, kTime, "pts/4", "2001:db8::1")));
  auto root = Root::Open(dir_.path());
  ASSERT_TRUE(root.ok());
  auto entries = ReadLastlog(*root);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].uid, 70000u);
  EXPECT_EQ((*entries)[1].host, "2001:db8::1");
}

TEST_F(ReadLastlogTest, HasNoEntriesForAnEmptyFile) {
  std::ofstream(File()).flush();
  auto root = Root::Open(dir_.path());
  ASSERT_TRUE(root.ok());
  auto entries = ReadLastlog(*root);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST_F(ReadLastlogTest, FailsNamingTheFileWhenItIsMissing) {
  auto root = Root::Open(dir_.path());
  ASSERT_TRUE(root.ok());
  auto entries = ReadLastlog(*root);
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.error().message.find("var/log/lastlog"), std::string::npos);
}

TEST_F(ReadLastlogTest, RefusesASymbolicLink) {
  fs::create_symlink("/dev/null", File());
  auto root = Root::Open(dir_.path());
  ASSERT_TRUE(root.ok());
  auto entries = ReadLastlog(*root);
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.error().message.find("symbolic link"), std::string::npos);
}

}  // namespace
}  // namespace irk::logs
