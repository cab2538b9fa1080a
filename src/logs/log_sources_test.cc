#include "logs/log_sources.h"

#include <sys/stat.h>
#include <zlib.h>

#include <fstream>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::logs {
namespace {

using Strings = std::vector<std::string>;

void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Gzip(std::string_view text) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Lines in these tests start with an RFC 3339 stamp.
std::optional<Timestamp> StampOfLine(std::string_view line) {
  return ParseRfc3339(line.substr(0, line.find(' ')));
}

Timestamp At(std::string_view text) { return *ParseRfc3339(text); }

TEST(RotationsOf, OrdersNumericRotationsOldestFirstWithTheLiveLogLast) {
  EXPECT_EQ(
      RotationsOf("/var/log", "auth.log",
                  {"auth.log", "auth.log.1", "auth.log.10.gz", "auth.log.2.gz", "auth.log.3.zst"}),
      (Strings{"/var/log/auth.log.10.gz", "/var/log/auth.log.3.zst", "/var/log/auth.log.2.gz",
               "/var/log/auth.log.1", "/var/log/auth.log"}));
}

TEST(RotationsOf, OrdersDateextRotationsByDate) {
  EXPECT_EQ(RotationsOf("/var/log", "secure",
                        {"secure", "secure-20261127", "secure-20261106.gz", "secure-20261030"}),
            (Strings{"/var/log/secure-20261030", "/var/log/secure-20261106.gz",
                     "/var/log/secure-20261127", "/var/log/secure"}));
}

TEST(RotationsOf, ReadsOtherDateFormats) {
  EXPECT_EQ(RotationsOf("/var/log", "messages",
                        {"messages-2026-11-20", "messages-2026-11-13.gz", "messages-2026112101"}),
            (Strings{"/var/log/messages-2026-11-13.gz", "/var/log/messages-2026-11-20",
                     "/var/log/messages-2026112101"}));
}

TEST(RotationsOf, PutsDateextBeforeNumericWhenBothAreThere) {
  EXPECT_EQ(RotationsOf("/var/log", "auth.log",
                        {"auth.log.1", "auth.log-20261120.gz", "auth.log", "auth.log.2.gz"}),
            (Strings{"/var/log/auth.log-20261120.gz", "/var/log/auth.log.2.gz",
                     "/var/log/auth.log.1", "/var/log/auth.log"}));
}

TEST(RotationsOf, PutsAPlainRotationBeforeItsCompressedTwin) {
  EXPECT_EQ(RotationsOf("/var/log", "syslog", {"syslog.1.gz", "syslog.1"}),
            (Strings{"/var/log/syslog.1", "/var/log/syslog.1.gz"}));
}

TEST(RotationsOf, IgnoresNamesThatAreNoRotation) {
  EXPECT_EQ(RotationsOf("/var/log", "syslog",
                        {"syslog-ng.log", "syslog.old", "syslog.1.bak", "syslogd", "syslog.",
                         "syslog-", "syslog.1.xz", "auth.log", "syslog.-1", "syslog--1"}),
            Strings{});
}

TEST(FindLogSources, GroupsEachLogWithItsRotationsAndSkipsLinksAndFifos) {
  testing::TempDir tmp;
  const auto log = tmp.path() / "var/log";
  for (const char* name :
       {"auth.log", "auth.log.1", "auth.log.2.gz", "auth.log-20261101.gz", "secure-20261120",
        "proftpd/xferlog", "proftpd/xferlog.1", "dpkg.log", "syslog-ng.log"}) {
    WriteFile(log / name, "x\n");
  }
  std::filesystem::create_symlink("/etc/shadow", log / "auth.log.3");
  ASSERT_EQ(mkfifo((log / "auth.log.4").c_str(), 0600), 0);
  std::filesystem::create_directories(log / "syslog.1");  // a directory, not a log
  auto root = Root::Open(tmp.path());
  ASSERT_TRUE(root.ok());
  auto sources = FindLogSources(*root);
  ASSERT_TRUE(sources.ok()) << sources.error().message;
  EXPECT_EQ(
      *sources,
      (std::vector<LogSource>{
          {"/var/log/auth.log",
           {"/var/log/auth.log-20261101.gz", "/var/log/auth.log.2.gz", "/var/log/auth.log.1",
            "/var/log/auth.log"}},
          {"/var/log/proftpd/xferlog", {"/var/log/proftpd/xferlog.1", "/var/log/proftpd/xferlog"}},
          {"/var/log/secure", {"/var/log/secure-20261120"}},
      }));
}

TEST(FindLogSources, FindsNothingOnARootWithoutLogs) {
  testing::TempDir tmp;
  auto root = Root::Open(tmp.path());
  auto sources = FindLogSources(*root);
  ASSERT_TRUE(sources.ok());
  EXPECT_TRUE(sources->empty());
}

TEST(SourceForFile, IsTheFileAlone) {
  EXPECT_EQ(SourceForFile("/srv/logs/auth.log"),
            (LogSource{"/srv/logs/auth.log", {"/srv/logs/auth.log"}}));
}

TEST(SourceWithRotations, AddsTheRotationsOfTheNamedFileBeforeIt) {
  testing::TempDir tmp;
  for (const char* name : {"auth.log", "auth.log.1", "auth.log.2.gz", "other.log.1"}) {
    WriteFile(tmp.path() / "srv/logs" / name, "x\n");
  }
  auto root = Root::Open(tmp.path());
  auto source = SourceWithRotations(*root, "/srv/logs/auth.log");
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(*source,
            (LogSource{"/srv/logs/auth.log",
                       {"/srv/logs/auth.log.2.gz", "/srv/logs/auth.log.1", "/srv/logs/auth.log"}}));
}

TEST(SourceWithRotations, NamesAMissingFileSoThatReadingItSaysWhy) {
  testing::TempDir tmp;
  WriteFile(tmp.path() / "srv/auth.log.1", "x\n");
  auto root = Root::Open(tmp.path());
  auto source = SourceWithRotations(*root, "/srv/auth.log");
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->files, (Strings{"/srv/auth.log.1", "/srv/auth.log"}));
}

class ReadFileSpanTest : public ::testing::Test {
 protected:
  // A log from 2026-11-01T00:00:00Z with one line a minute, `lines` long,
  // under a line without a stamp and over another.
  static std::string Log(int lines) {
    std::string text = "-- no stamp here --\n";
    for (int i = 0; i < lines; ++i) {
      text += FormatRfc3339(Timestamp{At("2026-11-01T00:00:00Z").seconds + 60 * i}) +
              " web1 sshd[812]: Connection closed by 198.51.100.4 port 50022 [preauth]\n";
    }
    return text + "-- trailer --\n";
  }

  Result<FileSpan> Span(std::string_view bytes) {
    WriteFile(tmp_.path() / "var/log/auth.log", bytes);
    auto root = Root::Open(tmp_.path());
    return ReadFileSpan(*root, "/var/log/auth.log", StampOfLine);
  }

  testing::TempDir tmp_;
};

TEST_F(ReadFileSpanTest, FindsTheFirstAndLastStampsOfASmallPlainFile) {
  auto span = Span(Log(3));
  ASSERT_TRUE(span.ok()) << span.error().message;
  EXPECT_EQ(span->first, At("2026-11-01T00:00:00Z"));
  EXPECT_EQ(span->last, At("2026-11-01T00:02:00Z"));
}

TEST_F(ReadFileSpanTest, FindsTheLastStampOfALargePlainFileFromItsTail) {
  auto span = Span(Log(10000));  // about 1 MB
  ASSERT_TRUE(span.ok()) << span.error().message;
  EXPECT_EQ(span->first, At("2026-11-01T00:00:00Z"));
  EXPECT_EQ(span->last, Timestamp{At("2026-11-01T00:00:00Z").seconds + 60 * 9999});
}

TEST_F(ReadFileSpanTest, FindsTheStampsOfAGzipFile) {
  auto span = Span(Gzip(Log(10000)));
  ASSERT_TRUE(span.ok()) << span.error().message;
  EXPECT_EQ(span->first, At("2026-11-01T00:00:00Z"));
  EXPECT_EQ(span->last, Timestamp{At("2026-11-01T00:00:00Z").seconds + 60 * 9999});
}

TEST_F(ReadFileSpanTest, LeavesBothEndsUnknownWithoutStamps) {
  auto span = Span("no\nstamps\nat all");
  ASSERT_TRUE(span.ok());
  EXPECT_FALSE(span->first);
  EXPECT_FALSE(span->last);
}

TEST_F(ReadFileSpanTest, ReportsACorruptGzipFile) {
  std::string gz = Gzip(Log(10000));
  gz.resize(gz.size() / 2);
  auto span = Span(gz);
  ASSERT_FALSE(span.ok());
  EXPECT_NE(span.error().message.find("cut off"), std::string::npos) << span.error().message;
}

TEST(FileSpan, LiesOutsideWhenItEndsBeforeSince) {
  const FileSpan span{At("2026-11-01T00:00:00Z"), At("2026-11-07T00:00:00Z")};
  EXPECT_TRUE(span.Outside(At("2026-11-08T00:00:00Z"), std::nullopt));
  EXPECT_FALSE(span.Outside(At("2026-11-07T00:00:00Z"), std::nullopt));
}

TEST(FileSpan, LiesOutsideWhenItStartsAtOrAfterUntil) {
  const FileSpan span{At("2026-11-01T00:00:00Z"), At("2026-11-07T00:00:00Z")};
  EXPECT_TRUE(span.Outside(std::nullopt, At("2026-11-01T00:00:00Z")));
  EXPECT_FALSE(span.Outside(std::nullopt, At("2026-11-01T00:00:01Z")));
}

TEST(FileSpan, NeverLiesOutsideAtAnUnknownEnd) {
  EXPECT_FALSE((FileSpan{std::nullopt, std::nullopt})
                   .Outside(At("2026-11-08T00:00:00Z"), At("2026-11-09T00:00:00Z")));
}

}  // namespace
}  // namespace irk::logs
