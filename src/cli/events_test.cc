// End to end: `irk events` on log files and system images the tests build.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/json_lines.h"
#include "cli/testing/run_irk.h"
#include "core/testing/temp_dir.h"

namespace irk {
namespace {

using testing::JsonLines;
using testing::RunIrk;

constexpr const char* kAuthLog =
    "Nov 26 13:02:09 web1 sshd[4242]: Connection from 203.0.113.7 port 51234 on 192.0.2.1 port 22\n"
    "Nov 26 13:02:11 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port "
    "51234 ssh2\n"
    "Nov 26 13:02:15 web1 sshd[4242]: Disconnecting: Too many authentication failures [preauth]\n"
    "Nov 26 13:05:00 web1 sshd[4300]: Accepted publickey for alice from 198.51.100.4 port 40022 "
    "ssh2: ED25519 SHA256:AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKK\n"
    "Nov 26 13:06:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
    "COMMAND=/usr/bin/id\n"
    "Nov 26 13:07:00 web1 sshd[4301]: Invalid user \x1b[2J from 192.0.2.1 from 203.0.113.9 port "
    "22\n";

class EventsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = (tmp_.path() / "auth.log").string();
    std::ofstream(log_) << kAuthLog;
  }
  std::string CaseDir() const { return (tmp_.path() / "case").string(); }

  testing::TempDir tmp_;
  std::string log_;
};

TEST_F(EventsCommandTest, PrintsTheDesignRecordAsJsonLines) {
  auto run = RunIrk({"--case", CaseDir(), "events", "--json", log_});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto events = JsonLines(run.out);
  ASSERT_GE(events.size(), 5u);
  const auto& failed = events[1];
  EXPECT_EQ(failed["time"], "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(failed["file"], log_);
  EXPECT_EQ(failed["line"], 2);
  EXPECT_EQ(failed["host"], "web1");
  EXPECT_EQ(failed["service"], "sshd");
  EXPECT_EQ(failed["pid"], 4242);
  EXPECT_EQ(failed["kind"], "auth");
  EXPECT_EQ(failed["outcome"], "failure");
  EXPECT_EQ(failed["user"], "admin");
  EXPECT_EQ(failed["user_valid"], false);
  EXPECT_EQ(failed["addr"], "203.0.113.7");
  EXPECT_EQ(failed["port"], 51234);
  EXPECT_EQ(failed["method"], "password");
  // The line that names no address takes it from the same sshd process.
  EXPECT_EQ(events[2]["addr"], "203.0.113.7");
}

TEST_F(EventsCommandTest, FiltersByUserKindAndAddress) {
  auto run = RunIrk({"--case", CaseDir(), "events", "--json", "--user", "alice", log_});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const auto& event : JsonLines(run.out)) EXPECT_EQ(event["user"], "alice");
  auto by_net = RunIrk({"--case", CaseDir(), "events", "--json", "--addr", "203.0.113.0/24",
                        "--kind", "auth", log_});
  const auto events = JsonLines(by_net.out);
  // The failed password, the too-many-failures line (its address from the
  // same process) and the invalid user.
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1]["addr"], "203.0.113.7");
  EXPECT_EQ(events[2]["addr"], "203.0.113.9");
}

TEST_F(EventsCommandTest, EscapesHostileUserNamesInTheTable) {
  auto run = RunIrk({"--case", CaseDir(), "events", log_});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos);
  EXPECT_NE(run.out.find("\\x1b[2J"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2026-11-26 13:02:11  sshd[4242]  auth failure  admin (invalid)"),
            std::string::npos)
      << run.out;
}

TEST_F(EventsCommandTest, StatsCountLinesEventsAndGapsOnStderr) {
  std::ofstream(log_, std::ios::app)
      << "Nov 26 13:08:00 web1 sshd[9]: an sshd message nobody knows\n";
  auto run = RunIrk({"--case", CaseDir(), "events", "--stats", log_});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("UNRECOGNIZED"), std::string::npos);
  std::istringstream in(run.err);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  std::istringstream fields(row);
  std::string file;
  uint64_t lines = 0, events = 0, unrecognized = 0;
  fields >> file >> lines >> events >> unrecognized;
  EXPECT_EQ(lines, 7u);
  EXPECT_EQ(unrecognized, 1u);
}

TEST_F(EventsCommandTest, RejectsBadArgumentsWithAClearMessage) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--since", "yesterday-ish"}, {"--kind", "logins"}, {"--addr", "not an address"}}) {
    std::vector<std::string> full = {"--case", CaseDir(), "events"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back(log_);
    auto run = RunIrk(full);
    EXPECT_EQ(run.exit_code, 2) << args[0];
    EXPECT_NE(run.err.find(args[0]), std::string::npos) << run.err;
  }
}

TEST_F(EventsCommandTest, ReadsFilesRelativeToTheCurrentFolderEvenWithRoot) {
  const auto image = tmp_.path() / "img";
  std::filesystem::create_directories(image);
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(tmp_.path());
  auto run =
      RunIrk({"--case", CaseDir(), "--root", image.string(), "events", "--json", "auth.log"});
  std::filesystem::current_path(previous);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << run.err;
  const auto events = JsonLines(run.out);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["file"], log_);
}

TEST_F(EventsCommandTest, ANamedFileThatCannotBeReadIsAnErrorAfterTheOthers) {
  auto run = RunIrk(
      {"--case", CaseDir(), "events", "--json", (tmp_.path() / "missing.log").string(), log_});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("missing.log"), std::string::npos) << run.err;
  EXPECT_FALSE(JsonLines(run.out).empty()) << "the readable file was not read";
}

TEST_F(EventsCommandTest, ReadsTheDefaultSourcesOfAnImage) {
  const auto image = tmp_.path() / "img";
  std::filesystem::create_directories(image / "var/log");
  std::ofstream(image / "var/log/auth.log") << kAuthLog;
  std::ofstream(image / "var/log/auth.log.1")
      << "Nov 25 09:00:00 web1 sshd[1]: Invalid user early from 203.0.113.1 port 1\n";
  auto run = RunIrk({"--case", CaseDir(), "--root", image.string(), "events", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto events = JsonLines(run.out);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["user"], "early");  // the older rotation first
}

}  // namespace
}  // namespace irk
