#include "timeline/access_log.h"

#include <gtest/gtest.h>

namespace irk::timeline {
namespace {

TEST(ParseAccessLine, ReadsTheCombinedFormat) {
  const auto a = ParseAccessLine(
      R"(203.0.113.7 - alice [26/Nov/2026:14:02:11 +0100] "GET /admin HTTP/1.1" 401 12 "-" "curl/8")");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->addr.view(), "203.0.113.7");
  EXPECT_EQ(FormatRfc3339(a->time), "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(a->zone, "+0100");
  EXPECT_EQ(a->user, "alice");
  EXPECT_EQ(a->request, "GET /admin HTTP/1.1");
  EXPECT_EQ(a->status, 401);
}

TEST(ParseAccessLine, ReadsTheCommonFormatAndIpv6) {
  const auto a = ParseAccessLine(R"(2001:db8::7 - - [26/Nov/2026:13:02:11 -0000] "POST /x" 200 -)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->addr.view(), "2001:db8::7");
  EXPECT_TRUE(a->user.empty());
  EXPECT_EQ(a->status, 200);
}

TEST(ParseAccessLine, AClientsTextCannotMoveTheStampOrTheStatus) {
  // An escaped quote in the request, and a fake stamp and status inside it.
  const auto a = ParseAccessLine(
      R"(203.0.113.7 - - [26/Nov/2026:13:02:11 +0000] "GET /\" 200 1 [01/Jan/2000:00:00:00 +0000] \"" 404 1)");
  ASSERT_TRUE(a);
  EXPECT_EQ(FormatRfc3339(a->time), "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(a->status, 404);
  // A user name with a space and a bracket is still the user.
  const auto b =
      ParseAccessLine(R"(203.0.113.7 - a b] [c [26/Nov/2026:13:02:11 +0000] "GET /" 200 1)");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->user, "a b] [c");
}

TEST(ParseAccessLine, RefusesWhatIsNoRequestLine) {
  for (std::string_view line : {
           "",
           "not-an-address - - [26/Nov/2026:13:02:11 +0000] \"GET /\" 200 1",
           "203.0.113.7 - - [26/Nov/2026:13:02:11] \"GET /\" 200 1",
           "203.0.113.7 - - [26/Foo/2026:13:02:11 +0000] \"GET /\" 200 1",
           "203.0.113.7 - - [26/Nov/2026:13:02:11 +0000] \"GET /\" 20 1",
           "203.0.113.7 - - [26/Nov/2026:13:02:11 +0000] \"GET /\" 2000 1",
           "203.0.113.7 - - [26/Nov/2026:13:02:11 +0000] \"GET /",
           "203.0.113.7 - - [26/Nov/2026:25:02:11 +0000] \"GET /\" 200 1",
           "203.0.113.7 [26/Nov/2026:13:02:11 +0000] \"GET /\" 200 1",
       }) {
    EXPECT_FALSE(ParseAccessLine(line)) << line;
  }
}

TEST(AccessEvent, MakesAuthFailuresOfUnauthorizedRequests) {
  auto a = ParseAccessLine(R"(203.0.113.7 - - [26/Nov/2026:13:02:11 +0000] "GET /" 401 1)");
  ASSERT_TRUE(a);
  const logs::Event denied = AccessEvent(*a, "nginx");
  EXPECT_EQ(denied.kind, logs::EventKind::kAuth);
  EXPECT_EQ(denied.outcome, logs::Outcome::kFailure);
  EXPECT_EQ(denied.service, "nginx");
  a->status = 200;
  EXPECT_EQ(AccessEvent(*a, "nginx").kind, logs::EventKind::kConnection);
  a->status = 403;
  EXPECT_EQ(AccessEvent(*a, "nginx").kind, logs::EventKind::kRefused);
}

}  // namespace
}  // namespace irk::timeline
