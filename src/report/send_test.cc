// Sending the drafts: the recipients read back from a draft, the SMTP
// settings, and SmtpSend against smtp_responder.py on 127.0.0.1 (a server
// that takes the message, one that refuses every recipient, one that never
// answers). No test here reaches any other host.
#include "report/send.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/testing/server_process.h"
#include "core/testing/temp_dir.h"

namespace irk::report {
namespace {

std::string ReadAll(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Recipients, TakesToThenCcEachOnce) {
  auto to = Recipients(ReadEnvelope(
      "To: abuse@example.net, noc@example.net\r\nCc: abuse@example.net,\r\n cert@example.org\r\n"
      "\r\nCc: body@example.com\r\n"));
  ASSERT_TRUE(to.ok()) << to.error().message;
  EXPECT_EQ(*to,
            (std::vector<std::string>{"abuse@example.net", "noc@example.net", "cert@example.org"}));
}

TEST(Recipients, RefusesAnythingButPlainAddresses) {
  for (const char* header :
       {"To: Abuse Desk <abuse@example.net>\r\n", "To: abuse@example.net\r\nCc: x\r\n",
        "To: abuse@example.net>\rRCPT TO:<victim@example.com\r\n", "Subject: no one\r\n",
        "To: a@example.net;b@example.net\r\n"}) {
    EXPECT_FALSE(Recipients(ReadEnvelope(header)).ok()) << header;
  }
  auto none = Recipients(ReadEnvelope("Subject: x\r\n\r\n"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "no recipient in To: or Cc:");
}

class SmtpSettings : public ::testing::Test {
 protected:
  Result<SmtpServer> Read(const std::string& toml, const std::string& url = "",
                          const char* password = nullptr) {
    auto config = ParseConfig(toml, "irk.toml");
    if (!config.ok()) return config.error();
    return SmtpFromConfig(*config, url, password);
  }

  irk::testing::TempDir tmp_;
};

TEST_F(SmtpSettings, ReadsTheServerAndTheOptionWins) {
  auto none = Read("[report]\nemail = \"a@example.org\"\n");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->url, "");
  auto set = Read("[report]\nsmtp = \"smtp://mail.example.org:25\"\nsmtp_timeout = 5\n");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->url, "smtp://mail.example.org:25");
  EXPECT_EQ(set->total_timeout, std::chrono::seconds(5));
  EXPECT_EQ(set->connect_timeout, std::chrono::seconds(5));
  auto option = Read("[report]\nsmtp = \"smtp://mail.example.org\"\n", "smtps://relay.example.org");
  ASSERT_TRUE(option.ok());
  EXPECT_EQ(option->url, "smtps://relay.example.org");
  EXPECT_EQ(option->connect_timeout, std::chrono::seconds(10));
}

TEST_F(SmtpSettings, RefusesOtherUrlsAndCredentialsInThem) {
  for (const char* url : {"http://mail.example.org", "mail.example.org", "smtp://", "smtp://:25",
                          "smtp://mail.example.org\r\nRCPT", "smtp://a b"}) {
    EXPECT_FALSE(Read("", url).ok()) << url;
  }
  auto other = Read("", "http://me:pw@mail.example.org");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message.find("pw@"), std::string::npos) << other.error().message;
  auto secret = Read("[report]\nsmtp = \"smtp://me:pw@mail.example.org\"\n");
  ASSERT_FALSE(secret.ok());
  EXPECT_NE(secret.error().message.find("report.smtp"), std::string::npos);
  EXPECT_NE(secret.error().message.find("no user or password in the URL"), std::string::npos);
  EXPECT_EQ(secret.error().message.find("pw@"), std::string::npos) << secret.error().message;
  auto timeout = Read("[report]\nsmtp = \"smtp://m.example.org\"\nsmtp_timeout = 0\n");
  EXPECT_FALSE(timeout.ok());
}

TEST_F(SmtpSettings, TakesThePasswordFromTheEnvironmentOrAPrivateFile) {
  const auto file = tmp_.path() / "smtp.pw";
  std::ofstream(file) << "s3cret\nignored\n";
  chmod(file.c_str(), 0600);
  const std::string toml =
      "[report]\nsmtp = \"smtp://m.example.org\"\nsmtp_user = \"irk\"\n"
      "smtp_password_file = \"" +
      file.string() + "\"\n";
  auto from_file = Read(toml);
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(from_file->user, "irk");
  EXPECT_EQ(from_file->password, "s3cret");
  auto from_env = Read(toml, "", "other");
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->password, "other");

  chmod(file.c_str(), 0640);
  auto readable = Read(toml);
  ASSERT_FALSE(readable.ok());
  EXPECT_NE(readable.error().message.find("refusing a password file others can read"),
            std::string::npos)
      << readable.error().message;
  auto without = Read("[report]\nsmtp = \"smtp://m.example.org\"\nsmtp_user = \"irk\"\n");
  ASSERT_FALSE(without.ok());
  EXPECT_NE(without.error().message.find("a user needs a password"), std::string::npos);
}

// smtp_responder.py's three servers; messages and commands land in out().
class SmtpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(responder_.first_line().empty()) << "smtp_responder.py did not start";
  }

  // "smtp://127.0.0.1:PORT" of the listener `name` (ok, refuse, hang, tls).
  std::string Url(const std::string& name) const {
    const std::string& map = responder_.first_line();
    const size_t at = map.find(name + "=") + name.size() + 1;
    return "smtp://" + map.substr(at, map.find(',', at) - at);
  }

  SmtpServer Server(const std::string& name) const {
    SmtpServer server;
    server.url = Url(name);
    server.connect_timeout = std::chrono::milliseconds(1000);
    server.total_timeout = std::chrono::milliseconds(1500);
    return server;
  }

  std::filesystem::path out() const { return tmp_.path(); }

  irk::testing::TempDir tmp_;
  irk::testing::ServerProcess responder_{{"python3", IRK_SMTP_RESPONDER, tmp_.path().string()}};
};

// A message with what SMTP treats specially: lines of one dot and lines
// starting with one, 8-bit bytes.
constexpr std::string_view kMessage =
    "From: security@web1.example\r\nTo: abuse@example.net\r\nSubject: report\r\n"
    "MIME-Version: 1.0\r\n\r\n.\r\n..two dots\r\n.leading\r\nb\xc3\xa4r\r\nend";

TEST_F(SmtpServerTest, DeliversTheMessageByteForByteFromUsToTheContact) {
  if (!HasSmtp()) GTEST_SKIP() << "built without libcurl";
  const std::string message = std::string(kMessage) + "\r\n";
  auto sent = SmtpSend(Server("ok"), "security@web1.example", {"abuse@example.net"}, message);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(ReadAll(out() / "1.eml"), message);
  const std::string commands = ReadAll(out() / "1.txt");
  EXPECT_NE(commands.find("EHLO web1.example\n"), std::string::npos) << commands;
  EXPECT_NE(commands.find("MAIL FROM:<security@web1.example>"), std::string::npos) << commands;
  EXPECT_NE(commands.find("RCPT TO:<abuse@example.net>\n"), std::string::npos) << commands;
  EXPECT_EQ(commands.find("RCPT TO:", commands.find("RCPT TO:") + 1), std::string::npos);
}

TEST_F(SmtpServerTest, NamesTheServerWhenItRefusesTheRecipient) {
  if (!HasSmtp()) GTEST_SKIP() << "built without libcurl";
  auto sent = SmtpSend(Server("refuse"), "security@web1.example", {"abuse@example.net"},
                       std::string(kMessage) + "\r\n");
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find(Url("refuse") + ": "), std::string::npos)
      << sent.error().message;
  EXPECT_NE(sent.error().message.find("550"), std::string::npos) << sent.error().message;
  EXPECT_FALSE(std::filesystem::exists(out() / "1.eml"));
}

TEST_F(SmtpServerTest, GivesUpOnASilentServerWithinTheTimeout) {
  if (!HasSmtp()) GTEST_SKIP() << "built without libcurl";
  const auto start = std::chrono::steady_clock::now();
  auto sent = SmtpSend(Server("hang"), "security@web1.example", {"abuse@example.net"},
                       std::string(kMessage) + "\r\n");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find(Url("hang") + ": "), std::string::npos);
  EXPECT_NE(sent.error().message.find("timed out"), std::string::npos) << sent.error().message;
  EXPECT_LT(took, std::chrono::milliseconds(3000));
}

TEST_F(SmtpServerTest, RefusesACertificateItCannotVerify) {
  if (!HasSmtp()) GTEST_SKIP() << "built without libcurl";
  SmtpServer server = Server("tls");
  server.url = "smtps" + server.url.substr(4);
  auto sent = SmtpSend(server, "security@web1.example", {"abuse@example.net"},
                       std::string(kMessage) + "\r\n");
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find(server.url + ": "), std::string::npos);
  EXPECT_NE(sent.error().message.find("certificate"), std::string::npos) << sent.error().message;
  EXPECT_FALSE(std::filesystem::exists(out() / "1.eml"));
}

TEST_F(SmtpServerTest, NeverSendsThePasswordWithoutTls) {
  if (!HasSmtp()) GTEST_SKIP() << "built without libcurl";
  SmtpServer server = Server("ok");
  server.user = "irk";
  server.password = "s3cret";
  auto sent = SmtpSend(server, "security@web1.example", {"abuse@example.net"},
                       std::string(kMessage) + "\r\n");
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find(server.url), std::string::npos);
  const std::string commands = ReadAll(out() / "1.txt");
  EXPECT_EQ(commands.find("AUTH"), std::string::npos) << commands;
  EXPECT_EQ(commands.find("MAIL"), std::string::npos) << commands;
  EXPECT_FALSE(std::filesystem::exists(out() / "1.eml"));
}

}  // namespace
}  // namespace irk::report
