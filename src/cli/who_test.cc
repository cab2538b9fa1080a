// End to end: `irk who` and `irk logins` on a system image the test builds,
// with its logs and login records.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/json_lines.h"
#include "cli/testing/run_irk.h"
#include "core/testing/temp_dir.h"
#include "logs/login_records.h"

namespace irk {
namespace {

using logs::LoginRecord;
using logs::LoginRecordType;
using testing::JsonLines;

constexpr int64_t kNow = 1795770000;  // 2026-11-27T09:00:00Z
const std::string kHostileUser = "evil\x1b]0;pwned\x07";

LoginRecord Login(std::string user, std::string line, std::string addr, int64_t time, int pid) {
  LoginRecord r;
  r.type = LoginRecordType::kUserProcess;
  r.user = std::move(user);
  r.line = std::move(line);
  r.host = addr;
  r.addr = std::move(addr);
  r.time = Timestamp{time, 0};
  r.pid = pid;
  return r;
}

void WriteRecords(const std::filesystem::path& file, const std::vector<LoginRecord>& records) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  for (const auto& r : records) out << logs::EncodeLoginRecord(r, logs::LoginRecordLayout::kX86_64);
}

// alice logs in from her office, 198.51.100.7, at 08:xx on three days and is
// on now from there; "evil" (a hostile name) is on from an address never seen;
// 203.0.113.9 guessed passwords first.
void BuildImage(const std::filesystem::path& root) {
  std::filesystem::create_directories(root / "etc");
  std::filesystem::create_directories(root / "var/log");
  std::ofstream(root / "etc/hostname") << "web1\n";
  std::ofstream log(root / "var/log/auth.log");
  log << "2026-11-24T08:10:00+00:00 web1 sshd[101]: Accepted password for alice from "
         "198.51.100.7 port 40001 ssh2\n"
         "2026-11-25T08:20:00+00:00 web1 sshd[102]: Accepted publickey for alice from "
         "198.51.100.7 port 40002 ssh2: ED25519 SHA256:AbCdEf\n"
         "2026-11-26T08:30:00+00:00 web1 sshd[103]: Accepted password for alice from "
         "198.51.100.7 port 40003 ssh2\n"
         "2026-11-27T08:40:00+00:00 web1 sshd[104]: Failed password for invalid user admin from "
         "203.0.113.9 port 50001 ssh2\n"
         "2026-11-27T08:50:00+00:00 web1 sshd[105]: Accepted password for alice from "
         "198.51.100.7 port 40004 ssh2\n"
         "2026-11-27T08:55:00+00:00 web1 sshd[106]: Accepted password for "
      << kHostileUser << " from 192.0.2.66 port 50002 ssh2\n";
  log.close();
  WriteRecords(root / "run/utmp", {Login("alice", "pts/0", "198.51.100.7", kNow - 600, 4001),
                                   Login(kHostileUser, "pts/1", "192.0.2.66", kNow - 300, 4002)});
  WriteRecords(root / "var/log/wtmp", {Login("alice", "pts/0", "198.51.100.7", kNow - 600, 4001)});
  WriteRecords(root / "var/log/btmp", {});
}

class WhoCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    BuildImage(tmp_.path() / "img");
    setenv("IRK_TEST_NOW", "2026-11-27T09:00:00Z", 1);
  }
  testing::IrkRun Run(std::vector<std::string> args) {
    std::vector<std::string> all = {"--case", (tmp_.path() / "case").string(), "--root",
                                    (tmp_.path() / "img").string()};
    all.insert(all.end(), args.begin(), args.end());
    return testing::RunIrk(all);
  }
  testing::TempDir tmp_;
};

TEST_F(WhoCommand, JudgesAHabitualAddressUsualAndANewOneNeverSeen) {
  auto run = Run({"who", "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // a never-seen source needs a look
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_EQ(lines[0]["user"], "alice");
  EXPECT_EQ(lines[0]["source_verdict"], "usual");
  EXPECT_EQ(lines[0]["earlier_logins"], 3);
  EXPECT_EQ(lines[0]["first"], "2026-11-24T08:10:00+00:00");
  EXPECT_EQ(lines[0]["hour_verdict"], "usual");
  EXPECT_EQ(lines[1]["user"], kHostileUser);
  EXPECT_EQ(lines[1]["source_verdict"], "never-seen");
  EXPECT_EQ(lines[1]["basis"], "192.0.2.0/24");
}

TEST_F(WhoCommand, PrintsVerdictsWithHostileNamesEscaped) {
  auto run = Run({"who"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("irk who: 2 sessions on web1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("3 logins 2026-11-24 – 2026-11-26 from 198.51.100.7"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("nothing from 192.0.2.0/24 before"), std::string::npos);
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
  EXPECT_EQ(run.out.find('\x07'), std::string::npos);
}

TEST_F(WhoCommand, TakesTheThresholdFromTheConfiguration) {
  const auto config = tmp_.path() / "irk.toml";
  std::ofstream(config) << "[logins]\nusual_logins = 4\n";
  auto run = Run({"--config", config.string(), "who", "--json"});
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.err;
  EXPECT_EQ(lines[0]["source_verdict"], "rare");

  std::ofstream(config) << "[logins]\nusual_logins = \"many\"\n";
  run = Run({"--config", config.string(), "who"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("logins.usual_logins: expected an integer"), std::string::npos) << run.err;
}

TEST_F(WhoCommand, LoginsListsEverySourceOfAUserCountingALoginInLogAndWtmpOnce) {
  auto run = Run({"logins", "alice", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 1u) << run.out;
  EXPECT_EQ(lines[0]["source"], "198.51.100.7");
  EXPECT_EQ(lines[0]["successes"], 4);
  EXPECT_EQ(lines[0]["in_logs_and_records"], 1);
  EXPECT_EQ(lines[0]["methods"], nlohmann::json({"password", "publickey"}));
  EXPECT_EQ(lines[0]["keys"], nlohmann::json({"ED25519 SHA256:AbCdEf"}));
  EXPECT_EQ(lines[0]["last"], "2026-11-27T08:50:00+00:00");
}

TEST_F(WhoCommand, LoginsLeavesUnknownUserNamesToAll) {
  auto run = Run({"logins"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("admin"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 further source only tried unknown user names"), std::string::npos);
  run = Run({"logins", "--all"});
  EXPECT_NE(run.out.find("admin (unknown)"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace irk
