#include "watch/rules.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/root.h"
#include "logs/event_reader.h"

namespace irk::watch {
namespace {

contain::Action MakeAction(std::string action, std::string target, bool undone = false) {
  contain::Action a;
  a.action = std::move(action);
  a.target = std::move(target);
  a.ended = true;
  a.undone = undone;
  return a;
}

// The event engine over hand-written lines, with a login history before them.
class RulesTest : public ::testing::Test {
 protected:
  RulesTest() : root_(std::move(Root::Open("/").value())), reader_(root_, zone_, {}) {}

  void History(const std::vector<std::string>& lines) {
    for (const auto& line : lines) {
      reader_.ReadLine(line, "auth.log", 1, context_,
                       [this](const logs::Event& e) { history_.Add(e); });
    }
    history_.Finish();
  }

  EventRules MakeRules(const std::vector<contain::Action>& actions) {
    return EventRules(KnowledgeFromActions(actions, WatchSettings{}), history_, WatchSettings{},
                      logins::HabitSettings{}, zone_);
  }

  std::vector<Alert> Feed(EventRules& rules, const std::string& line) {
    std::vector<Alert> alerts;
    reader_.ReadLine(line, "auth.log", 7, context_, [&](const logs::Event& e) {
      for (auto& alert : rules.Judge(e)) alerts.push_back(std::move(alert));
    });
    return alerts;
  }

  logs::TimeZone zone_ = logs::TimeZone::Utc();
  logs::StampContext context_{2026, 11, &zone_};
  Root root_;
  logs::EventReader reader_;
  logins::LoginHistory history_;
};

std::vector<std::string> Rules(const std::vector<Alert>& alerts) {
  std::vector<std::string> rules;
  for (const auto& alert : alerts) rules.push_back(alert.rule);
  return rules;
}

using Names = std::vector<std::string>;

TEST_F(RulesTest, AlertsOnAnyEventFromABlockedAddressWithItsLine) {
  History({});
  auto rules = MakeRules({MakeAction("block", "203.0.113.7")});
  const std::string line =
      "Nov 27 10:00:00 web1 sshd[100]: Failed password for root from 203.0.113.7 port 5000 ssh2";
  const auto alerts = Feed(rules, line);
  ASSERT_EQ(Rules(alerts), Names{"blocked-address"});
  EXPECT_EQ(alerts[0].addr, "203.0.113.7");
  EXPECT_EQ(alerts[0].lines, std::vector<std::string>{line});
  EXPECT_FALSE(alerts[0].block_address);  // already blocked
  EXPECT_NE(alerts[0].summary.find("blocked as 203.0.113.7/32"), std::string::npos);
}

TEST_F(RulesTest, AlertsAndBlocksANewAddressInTheBlockedAddresssNetwork) {
  History({});
  auto rules = MakeRules({MakeAction("block", "203.0.113.7")});
  const auto alerts =
      Feed(rules,
           "Nov 27 10:00:00 web1 sshd[100]: Failed password for bob from 203.0.113.99 port 1 ssh2");
  ASSERT_EQ(Rules(alerts), Names{"blocked-network"});
  EXPECT_TRUE(alerts[0].block_address);
  EXPECT_TRUE(Feed(rules,
                   "Nov 27 10:00:00 web1 sshd[101]: Failed password for bob from "
                   "203.0.114.1 port 1 ssh2")
                  .empty());
}

TEST_F(RulesTest, ForgetsUndoneAndUnblockedBlocks) {
  History({});
  auto rules = MakeRules({MakeAction("block", "203.0.113.7", /*undone=*/true),
                          MakeAction("block", "198.51.100.0/24 192.0.2.1"),
                          MakeAction("unblock", "198.51.100.0/24")});
  EXPECT_EQ(rules.knowledge().blocked, std::vector<Network>{*Network::Parse("192.0.2.1")});
  EXPECT_TRUE(Feed(rules,
                   "Nov 27 10:00:00 web1 sshd[100]: Failed password for bob from "
                   "203.0.113.7 port 1 ssh2")
                  .empty());
}

TEST_F(RulesTest, AlertsOnALockedUserFromAnywhereAndKillsTheirSession) {
  History({});
  auto rules = MakeRules({MakeAction("lock", "alice")});
  const auto alerts = Feed(
      rules,
      "Nov 27 10:00:00 web1 sshd[4242]: Accepted password for alice from 192.0.2.8 port 1 ssh2");
  ASSERT_EQ(Rules(alerts), Names{"locked-user"});
  EXPECT_TRUE(alerts[0].kill_session);
  EXPECT_TRUE(alerts[0].block_address);
  EXPECT_EQ(alerts[0].pid, 4242);
  EXPECT_EQ(Rules(Feed(rules, "Nov 27 10:00:01 web1 su[5]: FAILED SU (to root) alice on pts/0")),
            Names{"locked-user"});
}

TEST_F(RulesTest, ReadsTheAddressFromTheLineNotFromAHostileUserName) {
  History({"Nov 20 10:00:00 web1 sshd[1]: Accepted password for x from 192.0.2.50 port 1 ssh2"});
  auto rules = MakeRules({MakeAction("block", "203.0.113.7"), MakeAction("lock", "alice")});
  const auto alerts = Feed(rules,
                           "Nov 27 10:00:00 web1 sshd[100]: Failed password for invalid user "
                           "alice from 203.0.113.7 from 192.0.2.50 port 22 ssh2");
  EXPECT_TRUE(alerts.empty());
}

TEST_F(RulesTest, EscapesControlBytesOfAUserNameInTheAlertLine) {
  History({});
  auto rules = MakeRules({MakeAction("block", "203.0.113.7")});
  const auto alerts = Feed(rules,
                           "Nov 27 10:00:00 web1 sshd[100]: Failed password for invalid user "
                           "\x1b[2Jevil from 203.0.113.7 port 22 ssh2");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].Line().find('\x1b'), std::string::npos);
  EXPECT_NE(alerts[0].Line().find("\\x1b[2Jevil"), std::string::npos);
  EXPECT_NE(alerts[0].Json().find("\\u001b[2Jevil"), std::string::npos);
}

TEST_F(RulesTest, AlertsOnceOnALoginFromASourceNeverSeenForTheUser) {
  History({
      "Nov 20 10:00:00 web1 sshd[1]: Accepted password for bob from 198.51.100.4 port 1 ssh2",
      "Nov 21 10:00:00 web1 sshd[2]: Accepted password for bob from 198.51.100.4 port 1 ssh2",
      "Nov 22 10:00:00 web1 sshd[3]: Accepted password for bob from 198.51.100.4 port 1 ssh2",
  });
  auto rules = MakeRules({});
  EXPECT_TRUE(Feed(rules,
                   "Nov 27 10:00:00 web1 sshd[9]: Accepted password for bob from "
                   "198.51.100.20 port 1 ssh2")
                  .empty());
  const std::string fresh =
      "Nov 27 10:01:00 web1 sshd[10]: Accepted password for bob from 192.0.2.9 port 1 ssh2";
  const auto alerts = Feed(rules, fresh);
  ASSERT_EQ(Rules(alerts), Names{"new-source"});
  EXPECT_TRUE(alerts[0].kill_session);
  EXPECT_NE(alerts[0].summary.find("never-seen"), std::string::npos);
  EXPECT_TRUE(Feed(rules, fresh).empty());
}

TEST_F(RulesTest, AlertsOnALoginWithTheAttacksKeyFromAUsualSource) {
  History({
      "Nov 20 10:00:00 web1 sshd[1]: Accepted publickey for carol from 203.0.113.7 port 1 ssh2: "
      "ED25519 SHA256:attackkey",
      "Nov 20 10:00:00 web1 sshd[2]: Accepted password for bob from 198.51.100.4 port 1 ssh2",
      "Nov 21 10:00:00 web1 sshd[3]: Accepted password for bob from 198.51.100.4 port 1 ssh2",
      "Nov 22 10:00:00 web1 sshd[4]: Accepted password for bob from 198.51.100.4 port 1 ssh2",
  });
  Knowledge knowledge = KnowledgeFromActions({MakeAction("block", "203.0.113.7")}, WatchSettings{});
  reader_.ReadLine(
      "Nov 20 10:00:00 web1 sshd[1]: Accepted publickey for carol from 203.0.113.7 port 1 ssh2: "
      "ED25519 SHA256:attackkey",
      "auth.log", 1, context_, [&](const logs::Event& e) { Learn(knowledge, e, {}); });
  EXPECT_EQ(knowledge.keys, (std::set<std::string, std::less<>>{"SHA256:attackkey"}));
  EXPECT_EQ(knowledge.users, (std::set<std::string, std::less<>>{"carol"}));
  EventRules rules(knowledge, history_, WatchSettings{}, logins::HabitSettings{}, zone_);
  const auto alerts = Feed(rules,
                           "Nov 27 10:00:00 web1 sshd[9]: Accepted publickey for bob from "
                           "198.51.100.4 port 1 ssh2: RSA SHA256:attackkey");
  EXPECT_EQ(Rules(alerts), Names{"attacker-key"});
}

TEST_F(RulesTest, AlertsOnALoginWithTheAttacksClientButDoesNotRespond) {
  const std::vector<std::string> attack = {
      "Nov 20 10:00:00 web1 sshd[1]: debug1: Remote protocol version 2.0, remote software "
      "version libssh_0.9.6",
      "Nov 20 10:00:01 web1 sshd[2]: debug1: Remote protocol version 2.0, remote software "
      "version OpenSSH_9.2p1",
      "Nov 20 10:00:02 web1 sshd[1]: Accepted password for carol from 203.0.113.7 port 1 ssh2",
      "Nov 20 10:00:03 web1 sshd[2]: Accepted password for bob from 198.51.100.4 port 1 ssh2",
  };
  History(attack);
  Knowledge knowledge = KnowledgeFromActions({MakeAction("block", "203.0.113.7")}, WatchSettings{});
  ClientVersions clients;
  for (const auto& line : attack) {
    reader_.ReadLine(line, "auth.log", 1, context_, [&](const logs::Event& e) {
      clients.Note(e);
      Learn(knowledge, e, clients);
    });
  }
  // Only the blocked source's process taught its client.
  EXPECT_EQ(knowledge.clients, (std::set<std::string, std::less<>>{"libssh_0.9.6"}));
  EventRules rules(knowledge, history_, WatchSettings{}, logins::HabitSettings{}, zone_);
  EXPECT_TRUE(Feed(rules,
                   "Nov 27 10:00:00 web1 sshd[9]: debug1: Remote protocol version 2.0, remote "
                   "software version libssh_0.9.6")
                  .empty());
  const auto alerts =
      Feed(rules,
           "Nov 27 10:00:01 web1 sshd[9]: Accepted password for bob from 198.51.100.4 port 1 ssh2");
  ASSERT_EQ(Rules(alerts), Names{"attacker-client"});
  EXPECT_FALSE(alerts[0].block_address);
  EXPECT_FALSE(alerts[0].kill_session);
  EXPECT_NE(alerts[0].summary.find("the attack's client libssh_0.9.6"), std::string::npos);
  // Another process of the same user, with another client: nothing.
  EXPECT_TRUE(Feed(rules,
                   "Nov 27 10:00:02 web1 sshd[10]: Accepted password for bob from 198.51.100.4 "
                   "port 1 ssh2")
                  .empty());
}

TEST(ClientVersions, ForgetsTheOldestPastItsBound) {
  ClientVersions clients;
  logs::Event event;
  event.host = "web1";
  event.client = "first";
  event.pid = 0;
  clients.Note(event);
  event.client = "later";
  for (int64_t pid = 1; pid <= static_cast<int64_t>(ClientVersions::kMax); ++pid) {
    event.pid = pid;
    clients.Note(event);
  }
  event.pid = 0;
  EXPECT_EQ(clients.Of(event), "");
  event.pid = 1;
  EXPECT_EQ(clients.Of(event), "later");
}

TEST_F(RulesTest, AlertsOnABurstOfFailuresFromANewSourceOnce) {
  History({"Nov 20 10:00:00 web1 sshd[1]: Failed password for bob from 198.51.100.4 port 1 ssh2"});
  auto rules = MakeRules({});
  std::vector<Alert> alerts;
  for (int i = 0; i < 6; ++i) {
    for (auto& a :
         Feed(rules, "Nov 27 10:00:1" + std::to_string(i) + " web1 sshd[" + std::to_string(20 + i) +
                         "]: Failed password for root from 192.0.2.77 port 1 ssh2")) {
      alerts.push_back(std::move(a));
    }
  }
  ASSERT_EQ(Rules(alerts), Names{"burst"});
  EXPECT_EQ(alerts[0].lines.size(), 5u);
  EXPECT_TRUE(alerts[0].block_address);
  EXPECT_EQ(alerts[0].addr, "192.0.2.77");
  // A source the history knows makes no burst.
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(Feed(rules,
                     "Nov 27 10:00:00 web1 sshd[30]: Failed password for bob from "
                     "198.51.100.4 port 1 ssh2")
                    .empty());
  }
}

TEST_F(RulesTest, CountsABurstOnlyWithinItsWindow) {
  History({});
  auto rules = MakeRules({});
  for (int minute = 0; minute < 8; ++minute) {
    EXPECT_TRUE(Feed(rules, "Nov 27 10:0" + std::to_string(minute) +
                                ":00 web1 sshd[20]: Failed password for root from 192.0.2.77 "
                                "port 1 ssh2")
                    .empty());
  }
}

TEST(CompareHostFiles, ReportsANewAccountAndANewUid0) {
  HostFiles before;
  before.accounts =
      ParsePasswd("root:x:0:0::/root:/bin/bash\nbob:x:1000:1000::/home/bob:/bin/sh\n");
  before.contents["/etc/passwd"] = "old";
  HostFiles after = before;
  after.accounts = ParsePasswd(
      "root:x:0:0::/root:/bin/bash\nbob:x:0:1000::/home/bob:/bin/sh\n"
      "toor:x:0:0::/root:/bin/bash\n");
  after.contents["/etc/passwd"] = "new";
  const auto alerts = CompareHostFiles(before, after, Timestamp{});
  EXPECT_EQ(Rules(alerts), (Names{"new-uid0", "new-account", "new-uid0"}));
}

TEST(CompareHostFiles, ReportsTheKeyAppendedToAuthorizedKeys) {
  HostFiles before;
  before.contents["/home/bob/.ssh/authorized_keys"] = "ssh-ed25519 AAAA old\n";
  HostFiles after = before;
  after.contents["/home/bob/.ssh/authorized_keys"] = "ssh-ed25519 AAAA old\nssh-rsa BBBB evil\n";
  after.contents["/etc/sudoers.d/x"] = "x ALL=(ALL) NOPASSWD: ALL\n";
  const auto alerts = CompareHostFiles(before, after, Timestamp{});
  ASSERT_EQ(Rules(alerts), (Names{"sudoers-changed", "keys-changed"}));
  EXPECT_EQ(alerts[0].summary, "/etc/sudoers.d/x created");
  EXPECT_EQ(alerts[1].lines, std::vector<std::string>{"ssh-rsa BBBB evil"});
  EXPECT_TRUE(CompareHostFiles(after, after, Timestamp{}).empty());
}

TEST(WatchedFilePaths, NamesEveryUsersKeyFilesButNoneOutsideAHome) {
  const auto paths =
      WatchedFilePaths(ParsePasswd("bob:x:1000:1000::/home/bob/:/bin/sh\nx:x:2:2::/:/bin/sh\n"
                                   "y:x:3:3::/home/../etc:/bin/sh\n"));
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/home/bob/.ssh/authorized_keys"), paths.end());
  EXPECT_EQ(std::find(paths.begin(), paths.end(), "//.ssh/authorized_keys"), paths.end());
  EXPECT_EQ(std::count_if(paths.begin(), paths.end(),
                          [](const std::string& p) { return p.find("..") != std::string::npos; }),
            0);
}

TEST(NewListeners, ReportsOnlyListenersNotThereBefore) {
  TcpSocket ssh;
  ssh.local = *IpAddress::Parse("0.0.0.0");
  ssh.local_port = 22;
  ssh.state = 10;
  TcpSocket backdoor = ssh;
  backdoor.local_port = 31337;
  TcpSocket established = ssh;
  established.local_port = 5555;
  established.state = 1;
  const auto before = Listeners({ssh});
  const auto after = Listeners({ssh, backdoor, established});
  const auto alerts = NewListeners(before, after, Timestamp{});
  ASSERT_EQ(Rules(alerts), Names{"new-listener"});
  EXPECT_EQ(alerts[0].summary, "new listening socket 0.0.0.0:31337");
}

TEST(LockedUserProcesses, ReportsEachProcessOfALockedUserOnce) {
  Process mine;
  mine.pid = 10;
  mine.ruid = mine.euid = 1000;
  Process theirs;
  theirs.pid = 11;
  theirs.ruid = theirs.euid = 1001;
  theirs.comm = "nc";
  const std::map<uint32_t, std::string> locked = {{1001, "alice"}};
  std::set<std::pair<int, uint64_t>> reported;
  const auto alerts = LockedUserProcesses({mine, theirs}, locked, reported, Timestamp{});
  ASSERT_EQ(Rules(alerts), Names{"locked-user-process"});
  EXPECT_EQ(alerts[0].pid, 11);
  EXPECT_TRUE(LockedUserProcesses({mine, theirs}, locked, reported, Timestamp{}).empty());
}

TEST(DropRule, ReportsNewAndGrowingCountsAtMostOnceAMinute) {
  Knowledge knowledge;
  knowledge.blocked.push_back(*Network::Parse("203.0.113.0/24"));
  DropRule rule;
  rule.Baseline({{"198.51.100.9", 5, 300}});
  const Timestamp start{1000, 0};
  // Dropped before watching began, and not since: no alert.
  EXPECT_TRUE(rule.Judge({{"198.51.100.9", 5, 300}}, knowledge, start).empty());
  const auto first =
      rule.Judge({{"198.51.100.9", 5, 300}, {"203.0.113.7", 1, 60}}, knowledge, start);
  ASSERT_EQ(Rules(first), Names{"blocked-packets"});
  EXPECT_EQ(first[0].addr, "203.0.113.7");
  EXPECT_EQ(first[0].summary, "1 packet from 203.0.113.7 dropped by irk's block of 203.0.113.0/24");
  ASSERT_EQ(first[0].lines.size(), 1u);
  // More within the minute: held back, then reported with all it missed.
  EXPECT_TRUE(rule.Judge({{"203.0.113.7", 4, 240}}, knowledge, {1030, 0}).empty());
  const auto later = rule.Judge({{"203.0.113.7", 9, 540}}, knowledge, {1061, 0});
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].summary,
            "8 packets from 203.0.113.7 dropped by irk's block of 203.0.113.0/24");
  // The baseline's source dropped again.
  const auto again = rule.Judge({{"198.51.100.9", 6, 360}}, knowledge, {1062, 0});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].summary, "1 packet from 198.51.100.9 dropped by irk's block");
}

}  // namespace
}  // namespace irk::watch
