#include "logins/history.h"

#include <gtest/gtest.h>

namespace irk::logins {
namespace {

using logs::LoginRecord;
using logs::LoginRecordType;
using End = PastLogin::End;

LoginRecord Record(LoginRecordType type, std::string user, std::string line, int32_t pid,
                   int64_t seconds) {
  LoginRecord r;
  r.type = type;
  r.user = std::move(user);
  r.line = std::move(line);
  r.pid = pid;
  r.time = {seconds, 0};
  return r;
}

LoginRecord In(std::string user, std::string line, int32_t pid, int64_t seconds) {
  LoginRecord r =
      Record(LoginRecordType::kUserProcess, std::move(user), std::move(line), pid, seconds);
  r.host = "203.0.113.5";
  r.addr = "203.0.113.5";
  return r;
}

LoginRecord Out(std::string line, int32_t pid, int64_t seconds) {
  return Record(LoginRecordType::kDeadProcess, "", std::move(line), pid, seconds);
}

LoginRecord Boot(int64_t seconds) {
  return Record(LoginRecordType::kBootTime, "reboot", "~", 0, seconds);
}

TEST(LastLogins, PairsALoginWithTheNextLogoutOnItsLineNewestFirst) {
  const std::vector<PastLogin> logins =
      LastLogins({Boot(1000), In("alice", "pts/0", 10, 1100), In("bob", "pts/1", 11, 1150),
                  Out("pts/0", 10, 1200), In("carol", "pts/0", 12, 1300), Out("pts/0", 12, 1400)},
                 10);
  ASSERT_EQ(logins.size(), 3u);
  EXPECT_EQ(logins[0].user, "carol");
  EXPECT_EQ(logins[0].end, End::kLoggedOut);
  EXPECT_EQ(logins[0].logout, (Timestamp{1400, 0}));
  EXPECT_EQ(logins[1].user, "bob");
  EXPECT_EQ(logins[1].end, End::kStillLoggedIn);
  EXPECT_FALSE(logins[1].logout);
  EXPECT_EQ(logins[2].user, "alice");
  EXPECT_EQ(logins[2].end, End::kLoggedOut);
  EXPECT_EQ(logins[2].logout, (Timestamp{1200, 0}));
  EXPECT_EQ(logins[2].addr, "203.0.113.5");
  EXPECT_EQ(logins[2].host, "203.0.113.5");
}

TEST(LastLogins, PairsByPidWhenTheLogoutHasNoMatchingLine) {
  const std::vector<PastLogin> logins =
      LastLogins({In("alice", "pts/0", 10, 1100), Out("", 10, 1200)}, 10);
  ASSERT_EQ(logins.size(), 1u);
  EXPECT_EQ(logins[0].end, End::kLoggedOut);
  EXPECT_EQ(logins[0].logout, (Timestamp{1200, 0}));
}

TEST(LastLogins, EndsALoginWithoutLogoutAtTheNextBoot) {
  const std::vector<PastLogin> logins =
      LastLogins({In("alice", "pts/0", 10, 1100), Boot(2000), In("bob", "pts/0", 20, 2100)}, 10);
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0].end, End::kStillLoggedIn);
  EXPECT_EQ(logins[1].end, End::kNoLogout);
  EXPECT_FALSE(logins[1].logout);
}

TEST(LastLogins, NeverEndsALoginWithALogoutWrittenAfterAReboot) {
  const std::vector<PastLogin> logins =
      LastLogins({In("alice", "pts/0", 10, 1100), Boot(2000), Out("pts/0", 10, 2100)}, 10);
  ASSERT_EQ(logins.size(), 1u);
  EXPECT_EQ(logins[0].end, End::kNoLogout);
}

TEST(LastLogins, EndsALoginThatANewerLoginOnTheSameLineReplaced) {
  const std::vector<PastLogin> logins = LastLogins(
      {In("alice", "pts/0", 10, 1100), In("bob", "pts/0", 20, 1200), Out("pts/0", 20, 1300)}, 10);
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0].user, "bob");
  EXPECT_EQ(logins[0].end, End::kLoggedOut);
  EXPECT_EQ(logins[1].user, "alice");
  EXPECT_EQ(logins[1].end, End::kNoLogout);
}

TEST(LastLogins, ReturnsAtMostCountLogins) {
  const std::vector<LoginRecord> wtmp = {In("a", "pts/0", 1, 1), In("b", "pts/1", 2, 2),
                                         In("c", "pts/2", 3, 3)};
  const std::vector<PastLogin> logins = LastLogins(wtmp, 2);
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0].user, "c");
  EXPECT_EQ(logins[1].user, "b");
  EXPECT_TRUE(LastLogins(wtmp, 0).empty());
  EXPECT_TRUE(LastLogins({}, 10).empty());
}

TEST(LastLogins, FollowsFileOrderNotTimestamps) {
  // The clock was set back between the two logins.
  const std::vector<PastLogin> logins =
      LastLogins({In("a", "pts/0", 1, 5000), In("b", "pts/1", 2, 1000)}, 10);
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0].user, "b");
}

}  // namespace
}  // namespace irk::logins
