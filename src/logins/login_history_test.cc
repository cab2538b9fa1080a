#include "logins/login_history.h"

#include <deque>

#include <gtest/gtest.h>

namespace irk::logins {
namespace {

using logs::EventKind;
using logs::Outcome;

constexpr int64_t kT = 1795690800;  // 2026-11-26 11:00:00 UTC

// Builds events whose views stay valid as long as the builder lives.
class Events {
 public:
  logs::Event Auth(std::string_view user, std::string_view addr, int64_t seconds, bool success,
                   std::string_view method = "password", int64_t pid = 100) {
    logs::Event e;
    e.time = {seconds, 0};
    e.file = "/var/log/auth.log";
    e.service = "sshd";
    e.pid = pid;
    e.kind = EventKind::kAuth;
    e.outcome = success ? Outcome::kSuccess : Outcome::kFailure;
    e.user = Keep(user);
    if (!addr.empty()) e.addr = logs::EventAddress::Parse(addr);
    e.method = Keep(method);
    return e;
  }
  logs::Event Wtmp(std::string_view user, std::string_view addr, int64_t seconds) {
    logs::Event e = Auth(user, addr, seconds, true, "", 4242);
    e.kind = EventKind::kSession;
    e.file = "/var/log/wtmp";
    return e;
  }
  logs::Event Btmp(std::string_view user, std::string_view addr, int64_t seconds) {
    logs::Event e = Auth(user, addr, seconds, false, "", 4243);
    e.file = "/var/log/btmp";
    return e;
  }

 private:
  std::string_view Keep(std::string_view text) { return texts_.emplace_back(text); }
  std::deque<std::string> texts_;
};

LoginHistory Build(const std::vector<logs::Event>& events) {
  LoginHistory history;
  for (const auto& e : events) history.Add(e);
  history.Finish();
  return history;
}

const logs::TimeZone kUtc = logs::TimeZone::Utc();

TEST(LoginHistory, KeepsAuthAttemptsRefusalsAndWtmpLoginsOnly) {
  Events ev;
  logs::Event refused = ev.Auth("root", "203.0.113.5", kT + 1, false);
  refused.kind = EventKind::kRefused;
  logs::Event log_session = ev.Auth("alice", "198.51.100.7", kT + 2, true);
  log_session.kind = EventKind::kSession;
  logs::Event sudo = ev.Auth("root", "", kT + 3, true);
  sudo.kind = EventKind::kPrivilege;
  logs::Event no_outcome = ev.Auth("alice", "", kT + 4, true);
  no_outcome.outcome = Outcome::kNone;
  logs::Event summary = ev.Auth("bob", "203.0.113.5", kT + 5, false, "");
  summary.reason = "2 more authentication failures";
  const LoginHistory history =
      Build({ev.Auth("alice", "198.51.100.7", kT, true), refused, log_session, sudo, no_outcome,
             summary, ev.Wtmp("carol", "192.0.2.4", kT + 6)});
  ASSERT_EQ(history.attempts().size(), 3u);
  EXPECT_TRUE(history.attempts()[0].success);
  EXPECT_FALSE(history.attempts()[1].success);
  EXPECT_EQ(history.Text(history.attempts()[2].user), "carol");
  EXPECT_TRUE(history.attempts()[2].from_login_record);
}

logs::Event Pam(logs::Event event) {
  event.via_pam = true;
  event.method = {};
  return event;
}

TEST(LoginHistory, FoldsPamLinesIntoTheServicesOwnLine) {
  Events ev;
  // "check pass; user unknown" (no user, no address), "authentication
  // failure; rhost=" (the address), then sshd's line after PAM's delay.
  const LoginHistory history =
      Build({Pam(ev.Auth("", "", kT, false)), Pam(ev.Auth("", "203.0.113.5", kT, false)),
             ev.Auth("nosuch", "203.0.113.5", kT + 3, false)});
  ASSERT_EQ(history.attempts().size(), 1u);
  EXPECT_EQ(history.Text(history.attempts()[0].method), "password");
  EXPECT_EQ(history.Text(history.attempts()[0].user), "nosuch");
}

TEST(LoginHistory, PairsEachWrongPasswordOfAConnectionWithItsPamLine) {
  Events ev;
  std::vector<logs::Event> events;
  for (int i = 0; i < 3; ++i) {
    events.push_back(Pam(ev.Auth("alice", "203.0.113.5", kT + 3 * i, false)));
    events.push_back(ev.Auth("alice", "203.0.113.5", kT + 3 * i + 2, false));
  }
  const LoginHistory history = Build(events);
  ASSERT_EQ(history.attempts().size(), 3u);
  for (const Attempt& a : history.attempts()) EXPECT_FALSE(a.via_pam);
}

TEST(LoginHistory, CountsTwoPamLinesOfAServiceWithoutItsOwnLinesOnce) {
  Events ev;
  logs::Event check = Pam(ev.Auth("", "", kT, false));
  logs::Event failure = Pam(ev.Auth("bob", "", kT, false));
  check.service = failure.service = "login";
  const LoginHistory history = Build({check, failure});
  ASSERT_EQ(history.attempts().size(), 1u);
  EXPECT_EQ(history.Text(history.attempts()[0].user), "bob");
}

TEST(LoginHistory, KeepsTwoFailedPasswordsOfOneConnectionApart) {
  Events ev;
  const LoginHistory history = Build(
      {ev.Auth("alice", "203.0.113.5", kT, false), ev.Auth("alice", "203.0.113.5", kT, false)});
  EXPECT_EQ(history.attempts().size(), 2u);
}

TEST(LoginHistory, FoldsSshdsInvalidUserLineAndItsBtmpRecordIntoTheFailedPassword) {
  Events ev;
  logs::Event invalid = ev.Auth("nosuch", "203.0.113.5", kT, false, "");
  logs::Event failed = ev.Auth("nosuch", "203.0.113.5", kT + 1, false);
  invalid.user_valid = failed.user_valid = false;
  const LoginHistory history = Build({invalid, failed, ev.Btmp("nosuch", "203.0.113.5", kT),
                                      ev.Btmp("nosuch", "203.0.113.5", kT + 1)});
  ASSERT_EQ(history.attempts().size(), 1u);
  EXPECT_TRUE(history.attempts()[0].in_both);
  EXPECT_FALSE(history.attempts()[0].user_valid);
}

TEST(LoginHistory, KeepsAnInvalidUserLineWithoutAPasswordAsOneAttempt) {
  Events ev;
  logs::Event invalid = ev.Auth("nosuch", "203.0.113.5", kT, false, "");
  const LoginHistory history = Build({invalid, ev.Auth("other", "203.0.113.5", kT + 1, false)});
  EXPECT_EQ(history.attempts().size(), 2u);
}

TEST(LoginHistory, CountsALoginSeenInTheLogAndInWtmpOnce) {
  Events ev;
  const LoginHistory history =
      Build({ev.Auth("alice", "198.51.100.7", kT, true, "publickey"),
             ev.Wtmp("alice", "198.51.100.7", kT + 1), ev.Wtmp("alice", "198.51.100.7", kT + 900)});
  ASSERT_EQ(history.attempts().size(), 2u);
  EXPECT_TRUE(history.attempts()[0].in_both);
  EXPECT_EQ(history.Text(history.attempts()[0].method), "publickey");
  EXPECT_TRUE(history.attempts()[1].from_login_record);
  EXPECT_FALSE(history.attempts()[1].in_both);
}

TEST(LoginHistory, PairsEachBtmpRecordWithOneFailedLine) {
  Events ev;
  const LoginHistory history =
      Build({ev.Auth("root", "203.0.113.5", kT, false),
             ev.Auth("root", "203.0.113.5", kT + 30, false), ev.Btmp("root", "203.0.113.5", kT + 1),
             ev.Btmp("root", "203.0.113.5", kT + 31), ev.Btmp("root", "203.0.113.5", kT + 32)});
  ASSERT_EQ(history.attempts().size(), 3u);
  EXPECT_TRUE(history.attempts()[0].in_both);
  EXPECT_TRUE(history.attempts()[1].in_both);
  EXPECT_TRUE(history.attempts()[2].from_login_record);
}

TEST(SummarizeSources, GivesEachUserAndSourceItsCountsMethodsAndKeys) {
  Events ev;
  logs::Event key_login = ev.Auth("alice", "198.51.100.7", kT + 10, true, "publickey", 101);
  key_login.key = "ED25519 SHA256:abc";
  logs::Event invalid = ev.Auth("admin", "203.0.113.5", kT + 20, false, "password", 102);
  invalid.user_valid = false;
  const auto summaries = SummarizeSources(
      Build({ev.Auth("alice", "198.51.100.7", kT, false), key_login,
             ev.Auth("alice", "198.51.100.7", kT + 30, true, "password", 103), invalid,
             ev.Auth("alice", "192.0.2.9", kT - 50, true, "password", 104)}));
  ASSERT_EQ(summaries.size(), 3u);
  EXPECT_EQ(summaries[0].user, "admin");
  EXPECT_FALSE(summaries[0].user_valid);
  EXPECT_EQ(summaries[1].source, "192.0.2.9");
  const SourceSummary& s = summaries[2];
  EXPECT_EQ(s.source, "198.51.100.7");
  EXPECT_EQ(s.successes, 2);
  EXPECT_EQ(s.failures, 1);
  EXPECT_EQ(s.first, (Timestamp{kT, 0}));
  EXPECT_EQ(s.last, (Timestamp{kT + 30, 0}));
  EXPECT_EQ(s.methods, (std::vector<std::string>{"password", "publickey"}));
  EXPECT_EQ(s.keys, (std::vector<std::string>{"ED25519 SHA256:abc"}));
}

TEST(SummarizeSources, CountsARefusalWithoutUserAsNoKnownUser) {
  Events ev;
  logs::Event drop = ev.Auth("", "203.0.113.5", kT, false, "");
  drop.kind = EventKind::kRefused;
  const auto summaries = SummarizeSources(Build({drop}));
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_FALSE(summaries[0].user_valid);
}

// Three logins of alice from her office address on three days at 11:40 UTC.
std::vector<logs::Event> Habit(Events& ev, std::string_view addr = "198.51.100.7") {
  std::vector<logs::Event> events;
  for (int day = 0; day < 3; ++day) {
    events.push_back(
        ev.Auth("alice", addr, kT - 86400 * (3 - day) + 2400, true, "password", 200 + day));
  }
  return events;
}

TEST(JudgeLogin, CallsASourceUsualAfterEnoughEarlierLogins) {
  Events ev;
  const LoginHistory history = Build(Habit(ev));
  const Judgement j = JudgeLogin(history, "alice", "198.51.100.7", {kT, 0}, 0, {}, kUtc);
  EXPECT_EQ(j.verdict, SourceVerdict::kUsual);
  EXPECT_EQ(j.basis, "198.51.100.7");
  EXPECT_EQ(j.count, 3);
  EXPECT_EQ(j.first, (Timestamp{kT - 3 * 86400 + 2400, 0}));
}

TEST(JudgeLogin, LeavesTheLoginItselfOutOfItsEarlierLogins) {
  Events ev;
  std::vector<logs::Event> events = Habit(ev);
  events.erase(events.begin());
  events.push_back(ev.Auth("alice", "198.51.100.7", kT - 3, true, "password", 300));
  const LoginHistory history = Build(events);
  const Judgement j = JudgeLogin(history, "alice", "198.51.100.7", {kT, 0}, 0, {}, kUtc);
  EXPECT_TRUE(j.own_login_found);
  EXPECT_EQ(j.verdict, SourceVerdict::kRare);
  EXPECT_EQ(j.count, 2);
}

TEST(JudgeLogin, FindsTheOwnLoginBySshdPidWhateverItsTime) {
  Events ev;
  std::vector<logs::Event> events = Habit(ev);
  events.push_back(ev.Auth("alice", "198.51.100.7", kT - 2 * 86400, true, "password", 999));
  const LoginHistory history = Build(events);
  // Its process started long before: only the pid finds its line.
  const Judgement j = JudgeLogin(history, "alice", "198.51.100.7", {kT, 0}, 999, {}, kUtc);
  EXPECT_TRUE(j.own_login_found);
  EXPECT_EQ(j.count, 1);
}

TEST(JudgeLogin, CallsASourceUsualWhenItsNetworkIs) {
  Events ev;
  const LoginHistory history = Build(Habit(ev, "198.51.100.7"));
  const Judgement j = JudgeLogin(history, "alice", "198.51.100.99", {kT, 0}, 0, {}, kUtc);
  EXPECT_EQ(j.verdict, SourceVerdict::kUsual);
  EXPECT_EQ(j.basis, "198.51.100.0/24");
  HabitSettings narrow;
  narrow.ipv4_prefix = 32;
  EXPECT_EQ(JudgeLogin(history, "alice", "198.51.100.99", {kT, 0}, 0, narrow, kUtc).verdict,
            SourceVerdict::kNeverSeen);
}

TEST(JudgeLogin, UsesTheConfiguredThreshold) {
  Events ev;
  const LoginHistory history = Build(Habit(ev));
  HabitSettings strict;
  strict.usual_logins = 4;
  EXPECT_EQ(JudgeLogin(history, "alice", "198.51.100.7", {kT, 0}, 0, strict, kUtc).verdict,
            SourceVerdict::kRare);
}

TEST(JudgeLogin, CallsASourceOfOtherUsersNewForThisUser) {
  Events ev;
  const LoginHistory history = Build(Habit(ev));
  const Judgement j = JudgeLogin(history, "bob", "198.51.100.7", {kT, 0}, 0, {}, kUtc);
  EXPECT_EQ(j.verdict, SourceVerdict::kNewForUser);
  EXPECT_EQ(j.other_users, 1);
}

TEST(JudgeLogin, CallsASuccessAfterFailuresFromThatNetworkNewNetwork) {
  Events ev;
  std::vector<logs::Event> events = Habit(ev);
  for (int i = 0; i < 5; ++i)
    events.push_back(ev.Auth("alice", "203.0.113.8", kT - 100 + i, false));
  const LoginHistory history = Build(events);
  const Judgement j = JudgeLogin(history, "alice", "203.0.113.9", {kT, 0}, 0, {}, kUtc);
  EXPECT_EQ(j.verdict, SourceVerdict::kNewNetwork);
  EXPECT_EQ(j.earlier_failures, 5);
}

TEST(JudgeLogin, CallsAnAddressWithNoHistoryNeverSeen) {
  Events ev;
  const LoginHistory history = Build(Habit(ev));
  const Judgement j = JudgeLogin(history, "alice", "2001:db8::5", {kT, 0}, 0, {}, kUtc);
  EXPECT_EQ(j.verdict, SourceVerdict::kNeverSeen);
  EXPECT_EQ(j.basis, "2001:db8::/48");
  EXPECT_EQ(JudgeLogin(history, "alice", "evil.example", {kT, 0}, 0, {}, kUtc).verdict,
            SourceVerdict::kNeverSeen);
}

TEST(JudgeLogin, CallsALoginWithoutSourceLocal) {
  Events ev;
  const LoginHistory history = Build(Habit(ev));
  EXPECT_EQ(JudgeLogin(history, "alice", "", {kT, 0}, 0, {}, kUtc).verdict, SourceVerdict::kLocal);
}

TEST(JudgeLogin, JudgesTheHourInTheSystemsZone) {
  Events ev;
  const LoginHistory history = Build(Habit(ev));
  const Judgement usual = JudgeLogin(history, "alice", "198.51.100.7", {kT + 2400, 0}, 0, {}, kUtc);
  EXPECT_EQ(usual.hour, HourVerdict::kUsual);
  EXPECT_EQ(usual.usual_hours, (std::vector<int>{11}));
  const Judgement night =
      JudgeLogin(history, "alice", "198.51.100.7", {kT + 18 * 3600, 0}, 0, {}, kUtc);
  EXPECT_EQ(night.hour, HourVerdict::kUnusual);
  EXPECT_EQ(night.login_hour, 5);
  const Judgement zoned = JudgeLogin(history, "alice", "198.51.100.7", {kT + 2400, 0}, 0, {},
                                     logs::TimeZone::Fixed(2 * 3600));
  EXPECT_EQ(zoned.login_hour, 13);
  EXPECT_EQ(zoned.usual_hours, (std::vector<int>{13}));
  EXPECT_EQ(JudgeLogin(history, "bob", "198.51.100.7", {kT, 0}, 0, {}, kUtc).hour,
            HourVerdict::kTooFewLogins);
}

TEST(LoadHabitSettings, ReadsTheLoginsSectionAndRefusesNonsense) {
  auto config = ParseConfig("[logins]\nusual_logins = 5\nipv6_prefix = 64\n", "irk.toml");
  ASSERT_TRUE(config.ok());
  auto settings = LoadHabitSettings(*config);
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->usual_logins, 5);
  EXPECT_EQ(settings->ipv6_prefix, 64);
  EXPECT_EQ(settings->ipv4_prefix, 24);
  auto bad = ParseConfig("[logins]\nipv4_prefix = 40\n", "irk.toml");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(LoadHabitSettings(*bad).ok());
}

TEST(FailuresBySource, GroupsRecentFailuresBySourceMostFirst) {
  Events ev;
  logs::Event local = ev.Auth("bob", "", kT + 5, false, "password", 7);
  local.service = "login";
  const LoginHistory history = Build({
      ev.Auth("root", "192.0.2.1", kT + 3, false, "password", 1),
      ev.Auth("admin", "203.0.113.9", kT + 1, false, "password", 2),
      ev.Auth("root", "192.0.2.1", kT + 2, false, "password", 3),
      ev.Auth("oracle", "192.0.2.1", kT + 4, false, "password", 4),
      ev.Auth("alice", "192.0.2.1", kT + 4, true, "password", 5),
      ev.Auth("root", "198.51.100.1", kT - 86400, false, "password", 6),
      local,
  });
  const std::vector<FailedSource> sources = FailuresBySource(history, {kT - 3600, 0});
  ASSERT_EQ(sources.size(), 3u);
  EXPECT_EQ(sources[0].source, "192.0.2.1");
  EXPECT_EQ(sources[0].count, 3);
  EXPECT_EQ(sources[0].users, (std::vector<std::string>{"oracle", "root"}));
  EXPECT_EQ(sources[0].first, (Timestamp{kT + 2, 0}));
  EXPECT_EQ(sources[0].last, (Timestamp{kT + 4, 0}));
  // Ties on count are in source order.
  EXPECT_EQ(sources[1].source, "(local)");
  EXPECT_EQ(sources[2].source, "203.0.113.9");
}

TEST(FailuresBySource, KeepsFiveUserNamesButCountsThemAll) {
  Events ev;
  std::vector<logs::Event> events;
  int pid = 1;
  for (const char* user : {"g", "f", "e", "d", "c", "b", "a", "a"}) {
    events.push_back(ev.Auth(user, "198.51.100.7", kT, false, "password", pid++));
  }
  const std::vector<FailedSource> sources = FailuresBySource(Build(events), {0, 0});
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].count, 8);
  EXPECT_EQ(sources[0].users, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(sources[0].distinct_users, 7u);
}

}  // namespace
}  // namespace irk::logins
