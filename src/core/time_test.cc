#include "core/time.h"

#include <gtest/gtest.h>

namespace irk {
namespace {

TEST(CivilToSeconds, CountsFromTheEpoch) {
  EXPECT_EQ(CivilToSeconds(1970, 1, 1, 0, 0, 0), 0);
  EXPECT_EQ(CivilToSeconds(2026, 11, 26, 13, 2, 11), 1795698131);
  EXPECT_EQ(CivilToSeconds(1969, 12, 31, 23, 59, 59), -1);
}

TEST(CivilFromDays, InvertsCivilToSeconds) {
  for (int64_t days = -800000; days <= 800000; days += 997) {
    const CivilDate date = CivilFromDays(days);
    EXPECT_EQ(CivilToSeconds(date.year, static_cast<int>(date.month), static_cast<int>(date.day), 0,
                             0, 0),
              days * 86400)
        << days;
  }
  const CivilDate leap = CivilFromDays(CivilToSeconds(2024, 2, 29, 0, 0, 0) / 86400);
  EXPECT_EQ(leap.year, 2024);
  EXPECT_EQ(leap.month, 2u);
  EXPECT_EQ(leap.day, 29u);
}

TEST(FormatRfc3339, WritesUtcWithOffset) {
  EXPECT_EQ(FormatRfc3339({1795698131, 0}), "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(FormatRfc3339({1795698131, 42}, true), "2026-11-26T13:02:11.000042+00:00");
}

TEST(AppendRfc3339, AgreesWithFormatRfc3339) {
  for (int64_t seconds : {int64_t{0}, int64_t{951782400}, int64_t{1795698131}, int64_t{4102444799},
                          int64_t{-86401}, int64_t{253402300799}}) {
    std::string out = "x";
    AppendRfc3339(out, Timestamp{seconds, 0});
    EXPECT_EQ(out, "x" + FormatRfc3339(Timestamp{seconds, 0})) << seconds;
  }
}

// WriteRfc3339 keeps the last second's text: a repeat, a day later at the
// same time of day, a year it cannot hold and the first second again.
TEST(AppendRfc3339, AgreesWithFormatRfc3339InAnyOrder) {
  for (int64_t seconds : {int64_t{1795698131}, int64_t{1795698131}, int64_t{1795698131 + 86400},
                          int64_t{1795698131 + 86400}, int64_t{253402300800}, int64_t{1795698131},
                          int64_t{1795698132}, int64_t{1795698131}}) {
    std::string out;
    AppendRfc3339(out, Timestamp{seconds, 0});
    EXPECT_EQ(out, FormatRfc3339(Timestamp{seconds, 0})) << seconds;
  }
}

TEST(ParseRfc3339, ReadsWhatFormatWrites) {
  auto t = ParseRfc3339("2026-11-26T13:02:11+00:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seconds, 1795698131);
}

TEST(ParseRfc3339, AppliesTheOffsetAndFraction) {
  auto t = ParseRfc3339("2019-07-08T17:40:16.954167-04:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatRfc3339(*t, true), "2019-07-08T21:40:16.954167+00:00");
  EXPECT_TRUE(ParseRfc3339("1970-01-01T00:00:00Z"));
}

TEST(ParseRfc3339, RejectsMalformedText) {
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2026-13-26T13:02:11Z"));
  EXPECT_FALSE(ParseRfc3339("2026-11-26T13:02:11"));
  EXPECT_FALSE(ParseRfc3339("2026-11-26T13:02:11+0000"));
  EXPECT_FALSE(ParseRfc3339("2026-11-26T13:02:11Zjunk"));
  EXPECT_FALSE(ParseRfc3339("2026-11-26T13:02:11."));
}

TEST(FormatDuration, PicksTheTwoLargestUnits) {
  EXPECT_EQ(FormatDuration(42), "42s");
  EXPECT_EQ(FormatDuration(125), "2m05s");
  EXPECT_EQ(FormatDuration(7500), "2h05m");
  EXPECT_EQ(FormatDuration(3 * 86400 + 4 * 3600 + 5), "3d4h");
  EXPECT_EQ(FormatDuration(-1), "-");
}

TEST(ParseDuration, ReadsUnits) {
  EXPECT_EQ(ParseDuration("90s"), 90);
  EXPECT_EQ(ParseDuration("30m"), 1800);
  EXPECT_EQ(ParseDuration("2h"), 7200);
  EXPECT_EQ(ParseDuration("7d"), 7 * 86400);
  EXPECT_EQ(ParseDuration("1w"), 7 * 86400);
  EXPECT_EQ(ParseDuration("45"), 45);
}

TEST(ParseDuration, RejectsWhatIsNoDuration) {
  for (const char* text : {"", "m", "-5m", "5x", "1.5h", "99999999999999h", "5 m"}) {
    EXPECT_FALSE(ParseDuration(text)) << text;
  }
}

TEST(ParseTimeArgument, ReadsDatesTimesAndAgo) {
  const Timestamp now{1795698131, 0};
  EXPECT_EQ(ParseTimeArgument("now", now), now);
  EXPECT_EQ(FormatRfc3339(*ParseTimeArgument("2h", now)), "2026-11-26T11:02:11+00:00");
  EXPECT_EQ(FormatRfc3339(*ParseTimeArgument("2026-11-26", now)), "2026-11-26T00:00:00+00:00");
  EXPECT_EQ(FormatRfc3339(*ParseTimeArgument("2026-11-26 13:05", now)),
            "2026-11-26T13:05:00+00:00");
  EXPECT_EQ(FormatRfc3339(*ParseTimeArgument("2026-11-26T13:05:07", now)),
            "2026-11-26T13:05:07+00:00");
  EXPECT_EQ(FormatRfc3339(*ParseTimeArgument("2026-11-26T14:05:07+01:00", now)),
            "2026-11-26T13:05:07+00:00");
  EXPECT_FALSE(ParseTimeArgument("yesterday-ish", now));
  EXPECT_FALSE(ParseTimeArgument("2026-11-26 13", now));
}

TEST(Now, FollowsTheTestClock) {
  SetClockForTesting([] { return Timestamp{100, 0}; });
  EXPECT_EQ(Now().seconds, 100);
  SetClockForTesting(nullptr);
  EXPECT_GT(Now().seconds, 1700000000);
}

}  // namespace
}  // namespace irk
