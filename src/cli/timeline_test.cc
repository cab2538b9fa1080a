// End to end: `irk timeline` on a system image the test builds.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/image_test.h"
#include "cli/testing/json_lines.h"
#include "cli/testing/run_irk.h"

namespace irk {
namespace {

using testing::JsonLines;
using testing::RunIrk;

class TimelineCommandTest : public testing::ImageTest {
 protected:
  void SetUp() override {
    const auto log = image() / "var/log";
    std::filesystem::create_directories(log);
    std::filesystem::create_directories(image() / "etc/cron.d");
    std::ofstream(log / "auth.log")
        << "Nov 26 13:02:11 web1 sshd[4242]: Failed password for alice from 203.0.113.7 port "
           "51234 ssh2\n"
           "Nov 26 13:05:00 web1 sshd[4300]: Accepted password for alice from 203.0.113.7 port "
           "40022 ssh2\n";
    std::ofstream(log / "vsftpd.log")
        << "Thu Nov 26 13:01:00 2026 [pid 1234] [alice] FAIL LOGIN: Client \"203.0.113.7\"\n"
           "Thu Nov 26 13:03:00 2026 [pid 1235] [alice] OK LOGIN: Client \"203.0.113.7\"\n";
    std::ofstream(image() / "etc/cron.d/evil") << "* * * * * root /tmp/.x\n";
    SetMtime(log / "auth.log", kAt1300 + 600);
    SetMtime(log / "vsftpd.log", kAt1300 + 600);
    SetMtime(image() / "etc/cron.d/evil", kAt1300 + 240);
  }
};

TEST_F(TimelineCommandTest, MergesEveryServiceAndTheFileTimesInTimeOrder) {
  auto run = RunIrk(Args({"--json", "timeline", "--around", "2026-11-26T13:03:00Z", "--window",
                          "10m", "--files", "/etc/cron.d"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto items = JsonLines(run.out);
  ASSERT_EQ(items.size(), 5u) << run.out;
  std::vector<std::string> seen;
  for (const auto& item : items) {
    seen.push_back(item["time"].get<std::string>().substr(11, 8) + " " +
                   (item["type"] == "event" ? item["event"]["service"].get<std::string>() + " " +
                                                  item["event"]["outcome"].get<std::string>()
                                            : item["path"].get<std::string>()));
  }
  const std::vector<std::string> expected = {"13:01:00 vsftpd failure", "13:02:11 sshd failure",
                                             "13:03:00 vsftpd success", "13:04:00 /etc/cron.d/evil",
                                             "13:05:00 sshd success"};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(items[3]["macb"], "ma..");  // ctime is when the test made the file
}

TEST_F(TimelineCommandTest, InterleavesTheCasesOwnActions) {
  ASSERT_EQ(RunIrk(Args({"timeline"})).exit_code, 0);
  auto run = RunIrk(Args({"timeline", "--since", "2026-11-26T13:04:00Z"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const size_t accepted = run.out.find("sshd[4300]  auth success  alice  from 203.0.113.7");
  const size_t action = run.out.find("case #2  timeline");
  ASSERT_NE(accepted, std::string::npos) << run.out;
  ASSERT_NE(action, std::string::npos) << run.out;
  EXPECT_LT(accepted, action);
  EXPECT_EQ(run.out.find("13:01:00"), std::string::npos);
}

TEST_F(TimelineCommandTest, WritesABodyFileForMactime) {
  auto run = RunIrk(Args({"timeline", "--bodyfile", "--files", "/etc/cron.d/evil"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream in(run.out);
  int lines = 0;
  bool file_seen = false;
  for (std::string line; std::getline(in, line); ++lines) {
    EXPECT_EQ(std::count(line.begin(), line.end(), '|'), 10) << line;
    if (line.starts_with("0|/etc/cron.d/evil|")) {
      file_seen = true;
      EXPECT_NE(line.find("|r/rrw"), std::string::npos) << line;
      // atime and mtime as set; ctime and birth are when the test made the file.
      EXPECT_NE(line.find(fmt::format("|{}|{}|", kAt1300 + 240, kAt1300 + 240)), std::string::npos)
          << line;
    }
  }
  EXPECT_TRUE(file_seen) << run.out;
  EXPECT_GE(lines, 5);  // four log lines, the file, and the case's own records
  EXPECT_NE(run.out.find("0|" + (image() / "var/log/vsftpd.log").string() + ":1: Thu Nov 26"),
            std::string::npos)
      << run.out;
}

TEST_F(TimelineCommandTest, ShowsClockProblemsAndExitsWithFindings) {
  // A line stamped hours after the file last changed, and a jump back.
  std::ofstream(image() / "var/log/auth.log", std::ios::app)
      << "Nov 26 18:00:00 web1 sshd[4400]: Failed password for bob from 198.51.100.9 port 1 ssh2\n"
         "Nov 26 12:00:00 web1 sshd[4401]: Failed password for bob from 198.51.100.9 port 2 ssh2\n";
  SetMtime(image() / "var/log/auth.log", kAt1300 + 600);
  auto run = RunIrk(Args({"timeline"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("[clock: stamp 4h50m after the file's last change"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("[clock: stamp 6h00m before the previous one of this source]"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.err.find("clock: " + (image() / "var/log/auth.log").string() +
                         ": 1 stamp going backwards (first at line 4)"),
            std::string::npos)
      << run.err;
}

TEST_F(TimelineCommandTest, RejectsAroundWithSinceAndBodyfileWithJson) {
  auto both = RunIrk(Args({"timeline", "--around", "2h", "--since", "3h"}));
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--around"), std::string::npos) << both.err;
  auto json = RunIrk(Args({"--json", "timeline", "--bodyfile"}));
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_NE(json.err.find("--bodyfile"), std::string::npos) << json.err;
}

}  // namespace
}  // namespace irk
