// End to end: `irk report` on a system image with FTP guesses and an ssh
// login from one address, and a case that blocked it.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/image_test.h"
#include "cli/testing/json_lines.h"
#include "cli/testing/run_irk.h"
#include "core/testing/server_process.h"

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

// --send over SMTP to smtp_responder.py on 127.0.0.1: what goes where is
// shown first, each draft arrives as written, from our [report] address to
// the abuse contact, is journaled, and is never sent twice.
class ReportSendTest : public ReportCommandTest {
 protected:
  void SetUp() override {
    ReportCommandTest::SetUp();
    ASSERT_FALSE(smtp_.first_line().empty()) << "smtp_responder.py did not start";
    config_ = tmp_.path() / "irk.toml";
    std::ofstream(config_) << "[report]\nemail = \"security@web1.example\"\nsmtp = \"" << Url("ok")
                           << "\"\nsmtp_timeout = 2\n";
    drafts_ = tmp_.path() / "drafts";
    auto run = RunIrk(Args({"--config", config_.string(), "report", "--contacts",
                            contacts_.string(), "--abuse", "--out", drafts_.string()}));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_TRUE(std::filesystem::exists(Draft()));
  }

  std::string Url(const std::string& name) const {
    const std::string& map = smtp_.first_line();
    const size_t at = map.find(name + "=") + name.size() + 1;
    return "smtp://" + map.substr(at, map.find(',', at) - at);
  }

  std::filesystem::path Draft() const { return drafts_ / "01-abuse_example.net.eml"; }

  testing::IrkRun Send(std::vector<std::string> rest) {
    std::vector<std::string> args = {"--config", config_.string(), "report", "--send",
                                     drafts_.string()};
    args.insert(args.end(), rest.begin(), rest.end());
    return RunIrk(Args(args));
  }

  static std::string ReadAll(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  ::irk::testing::TempDir received_;
  ::irk::testing::ServerProcess smtp_{{"python3", IRK_SMTP_RESPONDER, received_.path().string()}};
  std::filesystem::path config_, drafts_;
};

TEST_F(ReportSendTest, SendsEachDraftOnceThroughTheServer) {
  auto unconfirmed = Send({});
  EXPECT_EQ(unconfirmed.exit_code, 2);
  EXPECT_NE(unconfirmed.err.find("not sent: confirm on a terminal or add --yes"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(received_.path() / "1.txt"));

  auto run = Send({"--yes"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("  to:      abuse@example.net\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("through " + Url("ok") + ", from security@web1.example\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("sent " + Draft().string()), std::string::npos) << run.out;
  EXPECT_EQ(ReadAll(received_.path() / "1.eml"), ReadAll(Draft()));
  const std::string commands = ReadAll(received_.path() / "1.txt");
  EXPECT_NE(commands.find("MAIL FROM:<security@web1.example>"), std::string::npos) << commands;
  EXPECT_NE(commands.find("RCPT TO:<abuse@example.net>\n"), std::string::npos) << commands;
  auto journal = RunIrk(Args({"--json", "journal"}));
  EXPECT_NE(journal.out.find("\"kind\":\"report.sent\""), std::string::npos) << journal.out;

  auto again = Send({"--yes"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already sent 20"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("nothing to send"), std::string::npos) << again.out;

  // The drafts written again later: another Date:, the same Message-ID:.
  const std::string first = ReadAll(Draft());
  setenv("IRK_TEST_NOW", "2026-11-27T09:00:00Z", 1);
  auto rewritten = RunIrk(Args({"--config", config_.string(), "report", "--contacts",
                                contacts_.string(), "--abuse", "--out", drafts_.string()}));
  unsetenv("IRK_TEST_NOW");
  ASSERT_EQ(rewritten.exit_code, 0) << rewritten.err;
  ASSERT_NE(ReadAll(Draft()), first);
  auto third = Send({"--yes"});
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_NE(third.out.find("nothing to send"), std::string::npos) << third.out;
  EXPECT_FALSE(std::filesystem::exists(received_.path() / "2.txt"));
}

TEST_F(ReportSendTest, TakesTheFolderRelativeToTheCurrentOne) {
  const auto here = std::filesystem::current_path();
  std::filesystem::current_path(drafts_.parent_path());
  auto run = RunIrk(Args(
      {"--config", config_.string(), "report", "--send", drafts_.filename().string(), "--yes"}));
  std::filesystem::current_path(here);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("sent " + Draft().string()), std::string::npos) << run.out;
  EXPECT_EQ(ReadAll(received_.path() / "1.eml"), ReadAll(Draft()));
}

TEST_F(ReportSendTest, NamesTheDraftAndTheServerThatRefusedIt) {
  auto run = Send({"--yes", "--smtp", Url("refuse")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not sent " + Draft().string() + ": " + Url("refuse") + ": "),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("550"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("not sent: 1 of 1"), std::string::npos) << run.out;
  // Not journaled as sent: the next run tries it again.
  auto retry = Send({"--yes"});
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(ReadAll(received_.path() / "2.eml"), ReadAll(Draft()));
}

TEST_F(ReportSendTest, RefusesADraftWhoseRecipientIsNoPlainAddress) {
  std::string text = ReadAll(Draft());
  text.replace(text.find("To: abuse@example.net"), 21,
               "To: abuse@example.net>\rRCPT TO:<victim@example.com");
  std::ofstream(Draft(), std::ios::binary | std::ios::trunc) << text;
  auto run = Send({"--yes"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(Draft().string() + ": '"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("not one plain address"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(received_.path() / "1.txt"));
}

}  // namespace
}  // namespace irk
