// End to end: `irk entry` on a system image where an FTP password was guessed
// before an ssh login.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/image_test.h"
#include "cli/testing/json_lines.h"
#include "cli/testing/run_irk.h"

namespace irk {
namespace {

using testing::JsonLines;
using testing::RunIrk;

class EntryCommandTest : public testing::ImageTest {
 protected:
  void SetUp() override {
    const auto log = image() / "var/log";
    std::filesystem::create_directories(log);
    std::filesystem::create_directories(image() / "etc");
    std::filesystem::create_directories(image() / "home/alice/.ssh");
    std::ofstream(image() / "etc/passwd") << "root:x:0:0:root:/root:/bin/bash\n"
                                             "alice:x:1000:1000::/home/alice:/bin/bash\n";
    std::ofstream auth(log / "auth.log");
    // Alice's habit: logins from the office.
    for (int day = 20; day < 24; ++day) {
      auth << "Nov " << day
           << " 09:00:00 web1 sshd[100]: Accepted password for alice from 192.0.2.10 port 1 ssh2\n";
    }
    auth << "Nov 26 12:58:00 web1 useradd[900]: new user: name=toor, UID=0, GID=0, home=/root, "
            "shell=/bin/bash, from=none\n"
            "Nov 26 13:05:00 web1 sshd[4300]: Accepted password for alice from 203.0.113.7 port "
            "40022 ssh2\n";
    auth.close();
    std::ofstream ftp(log / "vsftpd.log");
    for (int i = 0; i < 14; ++i) {
      ftp << "Thu Nov 26 13:01:" << (10 + i)
          << " 2026 [pid 1234] [alice] FAIL LOGIN: Client \"203.0.113.7\"\n";
    }
    ftp << "Thu Nov 26 13:02:00 2026 [pid 1235] [alice] OK LOGIN: Client \"203.0.113.7\"\n"
           "Thu Nov 26 13:02:30 2026 [pid 1236] [bob] FAIL LOGIN: Client \"198.51.100.4\"\n";
    ftp.close();
    std::ofstream(log / "dpkg.log")
        << "2026-11-20 10:00:00 install vim:amd64 <none> 9.0\n"
           "2026-11-26 12:59:00 install netcat:amd64 <none> 1.10-47\n"
           "2026-11-26 12:59:00 status installed netcat:amd64 1.10-47\n";
    std::ofstream(image() / "home/alice/.ssh/authorized_keys") << "ssh-ed25519 AAAA x\n";
    SetMtime(log / "auth.log", kAt1300 + 600);
    SetMtime(log / "vsftpd.log", kAt1300 + 600);
  }
};

TEST_F(EntryCommandTest, NamesTheFtpServiceWithItsLinesBeforeTheSshLogin) {
  auto run = RunIrk(Args({"entry", "alice"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("Verdict: likely way in: vsftpd: 14 failed logins as alice, then 1 "
                         "success, 3m00s before the sshd login"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("vsftpd.log:15: Thu Nov 26 13:02:00 2026 [pid 1235] [alice] OK LOGIN"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("new user: name=toor"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("dpkg.log:2: 2026-11-26 12:59:00 install netcat:amd64 <none> 1.10-47"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("2026-11-20 10:00:00 install"), std::string::npos) << run.out;
  // bob's attempt came from elsewhere.
  EXPECT_EQ(run.out.find("bob"), std::string::npos) << run.out;
}

TEST_F(EntryCommandTest, GivesTheSameAsDataWithJson) {
  SetMtime(image() / "home/alice/.ssh/authorized_keys", kAt1300 + 120);
  auto run = RunIrk(Args({"--json", "entry", "203.0.113.7"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_GE(lines.size(), 4u) << run.out;
  EXPECT_EQ(lines[0]["type"], "login");
  EXPECT_EQ(lines[0]["time"], "2026-11-26T13:05:00+00:00");
  EXPECT_EQ(lines[0]["service"], "sshd");
  EXPECT_EQ(lines[0]["network"], "203.0.113.0/24");
  EXPECT_EQ(lines[1]["type"], "service");
  EXPECT_EQ(lines[1]["service"], "vsftpd");
  EXPECT_EQ(lines[1]["failures"], 14);
  EXPECT_EQ(lines[1]["successes"], 1);
  EXPECT_EQ(lines[1]["lines"].size(), 15u);
  bool key = false, verdict = false;
  for (const auto& line : lines) {
    key |= line["type"] == "key_file" && line["path"] == "/home/alice/.ssh/authorized_keys";
    verdict |= line["type"] == "verdict" &&
               line["verdict"].get<std::string>().starts_with("likely way in: vsftpd");
  }
  EXPECT_TRUE(key) << run.out;
  EXPECT_TRUE(verdict) << run.out;
}

TEST_F(EntryCommandTest, CountsWebRequestsFromTheNetwork) {
  std::filesystem::create_directories(image() / "var/log/nginx");
  std::ofstream web(image() / "var/log/nginx/access.log");
  for (int i = 0; i < 3; ++i) {
    web << "203.0.113.8 - admin [26/Nov/2026:12:50:0" << i
        << " +0000] \"GET /admin HTTP/1.1\" 401 0 \"-\" \"curl/8\"\n";
  }
  web << "203.0.113.8 - - [26/Nov/2026:12:51:00 +0000] \"GET /upload.php HTTP/1.1\" 200 9 \"-\" "
         "\"curl/8\"\n"
         "198.51.100.4 - - [26/Nov/2026:12:52:00 +0000] \"GET / HTTP/1.1\" 401 9 \"-\" \"x\"\n";
  web.close();
  auto run = RunIrk(Args({"--json", "entry", "alice"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  bool nginx = false;
  for (const auto& line : JsonLines(run.out)) {
    if (line["type"] != "service" || line["service"] != "nginx") continue;
    nginx = true;
    EXPECT_EQ(line["failures"], 3);
    EXPECT_EQ(line["others"], 1);
    EXPECT_EQ(line["users"], nlohmann::json::array({"admin"}));
    EXPECT_EQ(line["lines"].size(), 4u);
  }
  EXPECT_TRUE(nginx) << run.out;
}

TEST_F(EntryCommandTest, SaysWhatItLookedForWhenNothingFits) {
  auto run = RunIrk(Args({"entry", "198.51.100.99"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no successful login from 198.51.100.99"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace irk
