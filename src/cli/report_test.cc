// End to end: `irk report` on a system image with FTP guesses and an ssh
// login from one address, and a case that blocked it.
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

class ReportCommandTest : public testing::ImageTest {
 protected:
  void SetUp() override {
    const auto log = image() / "var/log";
    std::filesystem::create_directories(log);
    std::filesystem::create_directories(image() / "etc");
    std::ofstream(image() / "etc/hostname") << "web1\n";
    std::ofstream auth(log / "auth.log");
    auth << "Nov 26 13:05:00 web1 sshd[4300]: Accepted password for alice from 203.0.113.7 port "
            "40022 ssh2\n"
            "Nov 26 13:06:00 web1 sshd[4400]: Failed password for invalid user <script>x</script> "
            "from 198.51.100.4 port 5000 ssh2\n";
    auth.close();
    std::ofstream ftp(log / "vsftpd.log");
    for (int i = 0; i < 5; ++i) {
      ftp << "Thu Nov 26 13:01:" << (10 + i)
          << " 2026 [pid 1234] [alice] FAIL LOGIN: Client \"203.0.113.7\"\n";
    }
    ftp.close();
    SetMtime(log / "auth.log", kAt1300 + 600);
    SetMtime(log / "vsftpd.log", kAt1300 + 600);
    contacts_ = tmp_.path() / "contacts.json";
    std::ofstream(contacts_)
        << R"({"query":"203.0.113.7","netblock":{"range":"203.0.113.0 - 203.0.113.255",)"
           R"("cidrs":["203.0.113.0/24"],"name":"EXAMPLE-NET","handle":"EX1"},"org":"Example",)"
           R"("country":"NL","asn":"AS64500","abuse":{"email":"abuse@example.net","phone":"",)"
           R"("source":"abuse-c"},"chain":[]})"
        << "\n";
  }

  ::irk::testing::TempDir tmp_;
  std::filesystem::path contacts_;
};

TEST_F(ReportCommandTest, MarkdownHoldsTheRawLinesInUtcAndTheContact) {
  auto run = RunIrk(Args({"report", "--contacts", contacts_.string()}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("# Incident report IRK-"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("the examined system's time zone is UTC"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2026-11-26T13:01:10+00:00  " + (image() / "var/log/vsftpd.log").string() +
                         ":1  Thu Nov 26 13:01:10 2026 [pid 1234] [alice] FAIL LOGIN: Client "
                         "\"203.0.113.7\""),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("- Abuse contact: abuse@example.net (from abuse-c)"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("- No abuse contact known for: 198.51.100.4"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("- alice: 5 failed, 1 succeeded; logged in from 203.0.113.7"),
            std::string::npos)
      << run.out;
}

TEST_F(ReportCommandTest, JsonCountsTheSourcesAndJournalsTheReport) {
  auto run = RunIrk(Args({"report", "--format", "json", "--top", "1"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;  // report, one source, one account
  EXPECT_EQ(lines[0]["host"], "web1");
  EXPECT_EQ(lines[1]["addr"], "203.0.113.7");
  EXPECT_EQ(lines[1]["failures"], 5);
  EXPECT_EQ(lines[1]["successes"], 1);
  EXPECT_EQ(lines[1]["first"], "2026-11-26T13:01:10+00:00");
  auto journal = RunIrk(Args({"--json", "journal"}));
  EXPECT_NE(journal.out.find("\"kind\":\"report\""), std::string::npos) << journal.out;
}

TEST_F(ReportCommandTest, WritesIntoOutDir) {
  const auto out = tmp_.path() / "out";
  auto run = RunIrk(Args({"report", "--format", "json", "--out", out.string()}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, (out / "report.json").string() + "\n");
  EXPECT_TRUE(std::filesystem::exists(out / "report.json"));
}

TEST_F(ReportCommandTest, RefusesABadContactsFileNamingTheLine) {
  std::ofstream(contacts_) << "{\"query\":\"192.0.2.1\"}\n{\"query\":\"x\",\"abuse\":{\"email\":"
                              "\"a@b\\r\\nBcc: c@d\"}}\n";
  auto run = RunIrk(Args({"report", "--contacts", contacts_.string()}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(":2: abuse: email: not one plain address"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace irk
