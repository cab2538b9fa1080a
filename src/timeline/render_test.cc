#include "timeline/render.h"

#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace irk::timeline {
namespace {

constexpr int64_t kT = 1795698131;  // 2026-11-26T13:02:11Z

Item FileItem(std::string path) {
  FileTimes file;
  file.path = std::move(path);
  file.inode = 42;
  file.mode = S_IFREG | 04755;
  file.uid = 0;
  file.gid = 1;
  file.size = 100;
  file.mtime = Timestamp{kT, 0};
  file.atime = Timestamp{kT + 1, 0};
  file.ctime = Timestamp{kT, 0};
  return Item{Timestamp{kT, 0}, FileStamp{file, "m.c."}};
}

Item EventItem(std::string_view raw) {
  logs::Event event;
  event.time = Timestamp{kT, 0};
  event.file = "/var/log/auth.log";
  event.line = 812;
  event.service = "sshd";
  event.pid = 4242;
  event.kind = logs::EventKind::kAuth;
  event.outcome = logs::Outcome::kFailure;
  event.user = "admin\x1b[2J";
  event.addr = logs::EventAddress::Parse("203.0.113.7");
  event.raw = raw;
  return Item{event.time, OwnedEvent(event)};
}

TEST(ModeString, ShowsTypePermissionsAndSpecialBits) {
  EXPECT_EQ(ModeString(S_IFREG | 0644), "-rw-r--r--");
  EXPECT_EQ(ModeString(S_IFDIR | 0755), "drwxr-xr-x");
  EXPECT_EQ(ModeString(S_IFREG | 04755), "-rwsr-xr-x");
  EXPECT_EQ(ModeString(S_IFREG | 02640), "-rw-r-S---");
  EXPECT_EQ(ModeString(S_IFDIR | 01777), "drwxrwxrwt");
}

TEST(BodyfileName, EscapesTheSeparatorAndNewlinesSoAHostileNameStaysOneField) {
  EXPECT_EQ(BodyfileName("a|b\nc"), "a\\x7cb\\x0ac");
  EXPECT_EQ(BodyfileName("/tmp/\x1b]0;x\x07"), "/tmp/\\x1b]0;x\\x07");
}

TEST(AppendBodyLine, WritesAFileWithItsFourTimes) {
  std::string line;
  AppendBodyLine(line, FileItem("/usr/bin/x"));
  EXPECT_EQ(line, fmt::format("0|/usr/bin/x|42|r/rrwsr-xr-x|0|1|100|{}|{}|{}|0", kT + 1, kT, kT));
}

TEST(AppendBodyLine, KeepsAHostileFileNameToElevenFieldsOnOneLine) {
  std::string line;
  AppendBodyLine(line, FileItem("/tmp/x|0|0|0|0|0|0|0\n0|/etc/shadow|1"));
  EXPECT_EQ(std::count(line.begin(), line.end(), '|'), 10);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("/tmp/x\\x7c0"), std::string::npos) << line;
}

TEST(AppendBodyLine, GivesAnEventItsFileLineAndTextAndItsTimeAsAllFour) {
  std::string line;
  AppendBodyLine(line, EventItem("Nov 26 13:02:11 web1 sshd[4242]: Failed | password\r"));
  EXPECT_EQ(line, fmt::format("0|/var/log/auth.log:812: Nov 26 13:02:11 web1 sshd[4242]: Failed "
                              "\\x7c password\\x0d|0|0|0|0|0|{}|{}|{}|{}",
                              kT, kT, kT, kT));
}

TEST(AppendItemLine, EscapesHostTextAndAddsClockNotes) {
  Item item = EventItem("raw");
  item.notes.push_back("stamp 2d in the future");
  std::string line;
  AppendItemLine(line, item);
  EXPECT_EQ(line,
            "2026-11-26 13:02:11  auth.log:812  sshd[4242]  auth failure  admin\\x1b[2J  from "
            "203.0.113.7  [clock: stamp 2d in the future]");
}

TEST(AppendItemLine, ShowsAFilesTimesAndAnAction) {
  std::string line;
  AppendItemLine(line, FileItem("/etc/cron.d/x"));
  EXPECT_EQ(line, "2026-11-26 13:02:11  file m.c.  /etc/cron.d/x  -rwsr-xr-x 0:1 100");
  line.clear();
  AppendItemLine(line, Item{Timestamp{kT, 0}, Action{7, "block.apply", R"({"addr":"x"})"}});
  EXPECT_EQ(line, R"(2026-11-26 13:02:11  case #7  block.apply  {"addr":"x"})");
}

TEST(AppendItemJson, NestsTheEventRecordAndNamesTheType) {
  Item item = EventItem("raw");
  item.notes.push_back("n");
  std::string text;
  AppendItemJson(text, item);
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["time"], "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(json["type"], "event");
  EXPECT_EQ(json["event"]["user"], "admin\x1b[2J");
  EXPECT_EQ(json["event"]["line"], 812);
  EXPECT_EQ(json["notes"][0], "n");

  text.clear();
  AppendItemJson(text, FileItem("/etc/passwd"));
  const auto file = nlohmann::json::parse(text);
  EXPECT_EQ(file["type"], "file");
  EXPECT_EQ(file["macb"], "m.c.");
  EXPECT_EQ(file["mode"], "-rwsr-xr-x");
  EXPECT_EQ(file["atime"], "2026-11-26T13:02:12.000000+00:00");
  EXPECT_FALSE(file.contains("btime"));
}

}  // namespace
}  // namespace irk::timeline
