#include "logs/dispatch.h"

#include <gtest/gtest.h>

namespace irk::logs {
namespace {

TEST(ParseMessage, RoutesEachProgramToItsParser) {
  auto sshd = ParseMessage("sshd", "Failed password for root from 203.0.113.5 port 22 ssh2");
  ASSERT_EQ(sshd.what, Parsed::What::kEvent);
  EXPECT_EQ(sshd.event.addr->view(), "203.0.113.5");
  for (std::string_view program : {"sshd-session", "sshd-auth"}) {
    EXPECT_EQ(ParseMessage(program, "Invalid user x from 203.0.113.5 port 22").what,
              Parsed::What::kEvent)
        << program;
  }
  EXPECT_EQ(ParseMessage("vsftpd", "[alice] FAIL LOGIN: Client \"203.0.113.5\"").event.user,
            "alice");
}

TEST(ParseMessage, ReadsPamMessagesWhicheverProgramLoggedThem) {
  auto pam = ParseMessage("vsftpd",
                          "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 "
                          "tty=ftp ruser=alice rhost=203.0.113.5  user=alice");
  ASSERT_EQ(pam.what, Parsed::What::kEvent);
  EXPECT_EQ(pam.event.outcome, Outcome::kFailure);
  EXPECT_EQ(pam.event.addr->view(), "203.0.113.5");
}

TEST(ParseMessage, TreatsUnknownProgramsAsNoEvent) {
  EXPECT_EQ(ParseMessage("kernel", "Failed password for root from 203.0.113.5 port 22 ssh2").what,
            Parsed::What::kNotAnEvent);
  EXPECT_FALSE(IsKnownService("kernel"));
  EXPECT_TRUE(IsKnownService("sshd-session"));
  for (std::string_view near : {"", "s", "ssh", "sshe", "sshd-sessio", "sshd-sessionx", "Sshd"}) {
    EXPECT_FALSE(IsKnownService(near)) << near;
  }
}

TEST(KnownServices, ListsEveryParsedProgramSorted) {
  const auto names = KnownServices();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const auto& name : names) EXPECT_TRUE(IsKnownService(name)) << name;
}

TEST(UnwrapRepeated, ReturnsTheInnerMessageAndCount) {
  auto repeated = UnwrapRepeated(
      "message repeated 3 times: [ Failed password for root from "
      "203.0.113.5 port 22 ssh2]");
  ASSERT_TRUE(repeated);
  EXPECT_EQ(repeated->count, 3);
  EXPECT_EQ(repeated->message, "Failed password for root from 203.0.113.5 port 22 ssh2");
}

TEST(UnwrapRepeated, RefusesOtherShapesAndAbsurdCounts) {
  for (std::string_view text :
       {"message repeated 3 times: [ x", "message repeated x times: [ y]",
        "message repeated 0 times: [ y]", "message repeated 1000001 times: [ y]",
        "Failed password for root", "message repeated 3 times: y]"}) {
    EXPECT_FALSE(UnwrapRepeated(text)) << text;
  }
}

}  // namespace
}  // namespace irk::logs
