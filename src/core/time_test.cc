#include "core/time.h"

#include <gtest/gtest.h>

namespace irk {
namespace {

TEST(FormatRfc3339, WritesUtcWithOffset) {
  EXPECT_EQ(FormatRfc3339({1795698131, 0}), "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(FormatRfc3339({1795698131, 42}, true), "2026-11-26T13:02:11.000042+00:00");
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

TEST(Now, FollowsTheTestClock) {
  SetClockForTesting([] { return Timestamp{100, 0}; });
  EXPECT_EQ(Now().seconds, 100);
  SetClockForTesting(nullptr);
  EXPECT_GT(Now().seconds, 1700000000);
}

}  // namespace
}  // namespace irk
