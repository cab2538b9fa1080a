#include "timeline/entry.h"

#include <gtest/gtest.h>

namespace irk::timeline {
namespace {

constexpr int64_t kT = 1795698000;  // 2026-11-26T13:00:00Z

logs::Event Login(int64_t seconds, std::string_view service, logs::Outcome outcome,
                  std::string_view user, std::string_view addr, int64_t pid = 0) {
  logs::Event event;
  event.time = Timestamp{seconds, 0};
  event.service = service;
  event.kind = logs::EventKind::kAuth;
  event.outcome = outcome;
  event.user = user;
  event.addr = logs::EventAddress::Parse(addr);
  event.file = "/var/log/auth.log";
  event.line = 1;
  event.raw = "raw";
  if (pid != 0) event.pid = pid;
  return event;
}

logins::LoginHistory History(const std::vector<logs::Event>& events) {
  logins::LoginHistory history;
  for (const auto& event : events) history.Add(event);
  history.Finish();
  return history;
}

const auto kSuccess = logs::Outcome::kSuccess;
const auto kFailure = logs::Outcome::kFailure;

TEST(EntryTarget, TellsAddressesSessionsAndUsersApart) {
  EXPECT_EQ(EntryTarget::Parse("::ffff:203.0.113.7").kind, EntryTarget::Kind::kAddress);
  EXPECT_EQ(EntryTarget::Parse("::ffff:203.0.113.7").text, "203.0.113.7");
  EXPECT_EQ(EntryTarget::Parse("4242").kind, EntryTarget::Kind::kSession);
  EXPECT_EQ(EntryTarget::Parse("alice").kind, EntryTarget::Kind::kUser);
  EXPECT_EQ(EntryTarget::Parse("99999999999999").kind, EntryTarget::Kind::kUser);
}

TEST(PickLogin, TakesAUsersFirstShellLoginFromTheNewestUnusualSource) {
  std::vector<logs::Event> events;
  // Habit: four logins from the office, then the attacker's FTP entry and two ssh logins.
  for (int i = 0; i < 4; ++i) {
    events.push_back(Login(kT - 86400 * (5 - i), "sshd", kSuccess, "alice", "192.0.2.10"));
  }
  events.push_back(Login(kT - 300, "vsftpd", kFailure, "alice", "203.0.113.7"));
  events.push_back(Login(kT - 200, "vsftpd", kSuccess, "alice", "203.0.113.7"));
  events.push_back(Login(kT, "sshd", kSuccess, "alice", "203.0.113.7", 4300));
  events.push_back(Login(kT + 600, "sshd", kSuccess, "alice", "203.0.113.7", 4400));
  events.push_back(Login(kT + 900, "sshd", kSuccess, "alice", "192.0.2.10"));
  const auto history = History(events);
  auto login = PickLogin(history, EntryTarget::Parse("alice"), {}, logs::TimeZone::Utc());
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_EQ(login->time.seconds, kT);
  EXPECT_EQ(login->service, "sshd");
  EXPECT_EQ(login->source, "203.0.113.7");
  EXPECT_EQ(login->pid, 4300);
  EXPECT_NE(login->judgement.verdict, logins::SourceVerdict::kUsual);
}

TEST(PickLogin, TakesAnAddressesFirstShellLoginAndASessionsOwn) {
  const auto history = History({Login(kT - 200, "vsftpd", kSuccess, "alice", "203.0.113.7"),
                                Login(kT, "sshd", kSuccess, "alice", "203.0.113.7", 4300),
                                Login(kT + 60, "sshd", kSuccess, "bob", "198.51.100.4", 4400)});
  auto by_addr = PickLogin(history, EntryTarget::Parse("203.0.113.7"), {}, logs::TimeZone::Utc());
  ASSERT_TRUE(by_addr.ok());
  EXPECT_EQ(by_addr->time.seconds, kT);
  auto by_pid = PickLogin(history, EntryTarget::Parse("4400"), {}, logs::TimeZone::Utc());
  ASSERT_TRUE(by_pid.ok());
  EXPECT_EQ(by_pid->user, "bob");
  auto none = PickLogin(history, EntryTarget::Parse("192.0.2.99"), {}, logs::TimeZone::Utc());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "no successful login from 192.0.2.99 in the logs");
}

SuspectLogin SshLogin() {
  SuspectLogin login;
  login.time = Timestamp{kT, 0};
  login.user = "alice";
  login.source = "203.0.113.7";
  login.service = "sshd";
  return login;
}

TEST(EntryEvidence, RanksTheServiceThatFailedThenSucceededFirst) {
  EntryEvidence evidence(SshLogin(), Network::Parse("203.0.113.0/24"), Timestamp{kT - 86400, 0});
  for (int i = 0; i < 14; ++i) {
    evidence.Add(Login(kT - 400 + i, "vsftpd", kFailure, "alice", "203.0.113.7"));
  }
  evidence.Add(Login(kT - 180, "vsftpd", kSuccess, "alice", "203.0.113.7"));
  // Many failures but no success elsewhere in the network: ranked below.
  for (int i = 0; i < 30; ++i) {
    evidence.Add(Login(kT - 5000 + i, "sshd", kFailure, "root", "203.0.113.99"));
  }
  // PAM's line about the same success is no second success.
  logs::Event pam = Login(kT - 180, "vsftpd", kSuccess, "alice", "203.0.113.7");
  pam.via_pam = true;
  evidence.Add(pam);
  // Outside the network, before the window, and the login itself: not counted.
  evidence.Add(Login(kT - 100, "vsftpd", kSuccess, "bob", "198.51.100.4"));
  evidence.Add(Login(kT - 90000, "vsftpd", kSuccess, "alice", "203.0.113.7"));
  evidence.Add(Login(kT, "sshd", kSuccess, "alice", "203.0.113.7"));
  const auto ranked = evidence.Ranked();
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].service, "vsftpd");
  EXPECT_EQ(ranked[0].Score(), 4);
  EXPECT_EQ(ranked[0].failures, 14);
  EXPECT_EQ(ranked[0].successes, 1);
  EXPECT_EQ(ranked[0].others, 1);
  EXPECT_EQ(ranked[1].service, "sshd");
  EXPECT_EQ(ranked[1].failures, 30);
  EXPECT_EQ(DescribeTally(ranked[0], SshLogin()),
            "vsftpd: 14 failed logins as alice, then 1 success, and 1 other event, 3m00s before "
            "the sshd login");
  EXPECT_EQ(Verdict(ranked, SshLogin(), "203.0.113.0/24", 86400),
            "likely way in: " + DescribeTally(ranked[0], SshLogin()));
}

TEST(EntryEvidence, KeepsBoundedLinesButAlwaysRoomForSuccesses) {
  EntryEvidence evidence(SshLogin(), Network::Parse("203.0.113.0/24"), Timestamp{kT - 86400, 0});
  for (int i = 0; i < 1000; ++i) {
    evidence.Add(Login(kT - 5000 + i, "vsftpd", kFailure, "u" + std::to_string(i), "203.0.113.7"));
  }
  evidence.Add(Login(kT - 60, "vsftpd", kSuccess, "alice", "203.0.113.7"));
  const auto ranked = evidence.Ranked();
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].lines.size(), ServiceTally::kMaxLines - 4);
  EXPECT_EQ(ranked[0].lines_left_out, 1000u - (ServiceTally::kMaxLines - 5));
  EXPECT_EQ(ranked[0].users.size(), ServiceTally::kMaxUsers);
  EXPECT_EQ(ranked[0].distinct_users, 1001u);
}

TEST(Verdict, SaysWhenNothingFromTheNetworkExplainsTheLogin) {
  EXPECT_EQ(Verdict({}, SshLogin(), "203.0.113.0/24", 86400),
            "no login attempt from 203.0.113.0/24 in the 1d0h before the sshd login: the way in "
            "is not in these logs (a password or key taken elsewhere?)");
}

}  // namespace
}  // namespace irk::timeline
