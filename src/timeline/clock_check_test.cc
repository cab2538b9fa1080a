#include "timeline/clock_check.h"

#include <gtest/gtest.h>

namespace irk::timeline {
namespace {

constexpr int64_t kNow = 1795000000;  // 2026-11-18

Item EventItem(int64_t seconds, size_t source, std::string_view zone = "UTC",
               std::string_view file = "/var/log/auth.log", uint64_t line = 1) {
  logs::Event event;
  event.time = Timestamp{seconds, 0};
  event.zone = zone;
  event.file = file;
  event.line = line;
  Item item{event.time, OwnedEvent(event)};
  item.source = source;
  return item;
}

TEST(ClockCheck, NotesAStampWellAfterItsFilesLastChange) {
  ClockCheck check(Timestamp{kNow, 0});
  check.SetFileTime("/var/log/auth.log", Timestamp{kNow - 86400, 0});
  Item fine = EventItem(kNow - 86400 + 600, 0);
  check.Observe(fine, "auth.log");
  EXPECT_TRUE(fine.notes.empty());
  Item late = EventItem(kNow - 86400 + 7200, 0, "UTC", "/var/log/auth.log", 7);
  check.Observe(late, "auth.log");
  ASSERT_EQ(late.notes.size(), 1u);
  EXPECT_NE(late.notes[0].find("after the file's last change"), std::string::npos);
  EXPECT_TRUE(check.found());
  ASSERT_EQ(check.Summary().size(), 1u);
  EXPECT_EQ(check.Summary()[0], "auth.log: 1 stamp after the file's last change (first at line 7)");
}

TEST(ClockCheck, NotesAStampInTheFuture) {
  ClockCheck check(Timestamp{kNow, 0});
  Item ahead = EventItem(kNow + 2 * 86400, 0);
  check.Observe(ahead, "auth.log");
  ASSERT_EQ(ahead.notes.size(), 1u);
  EXPECT_EQ(ahead.notes[0], "stamp 2d0h in the future");
  Item soon = EventItem(kNow + 60, 1);
  check.Observe(soon, "auth.log");
  EXPECT_TRUE(soon.notes.empty());
}

TEST(ClockCheck, NotesASourceGoingBackwardsAtTheJumpOnly) {
  ClockCheck check(Timestamp{kNow, 0});
  std::vector<Item> items = {EventItem(kNow - 1000, 0), EventItem(kNow - 990, 0),
                             EventItem(kNow - 5000, 0), EventItem(kNow - 4990, 0)};
  for (Item& item : items) check.Observe(item, "auth.log");
  EXPECT_TRUE(items[1].notes.empty());
  ASSERT_EQ(items[2].notes.size(), 1u);
  EXPECT_EQ(items[2].notes[0], "stamp 1h06m before the previous one of this source");
  EXPECT_TRUE(items[3].notes.empty());
}

TEST(ClockCheck, ToleratesAFewSecondsBackAndOtherSourcesBeingEarlier) {
  ClockCheck check(Timestamp{kNow, 0});
  std::vector<Item> items = {EventItem(kNow - 1000, 0), EventItem(kNow - 1010, 0),
                             EventItem(kNow - 9000, 1)};
  for (Item& item : items) check.Observe(item, item.source == 0 ? "auth.log" : "syslog");
  for (const Item& item : items) EXPECT_TRUE(item.notes.empty());
  EXPECT_FALSE(check.found());
}

TEST(ClockCheck, ReportsSourcesInDifferentZonesButNotUtcWrittenTwoWays) {
  ClockCheck same(Timestamp{kNow, 0});
  Item a = EventItem(kNow - 10, 0, "UTC");
  Item b = EventItem(kNow - 5, 1, "+00:00");
  same.Observe(a, "auth.log");
  same.Observe(b, "vsftpd.log");
  EXPECT_FALSE(same.found());

  ClockCheck differ(Timestamp{kNow, 0});
  Item c = EventItem(kNow - 10, 0, "UTC");
  Item d = EventItem(kNow - 5, 1, "+02:00");
  differ.Observe(c, "auth.log");
  differ.Observe(d, "vsftpd.log");
  EXPECT_TRUE(differ.found());
  ASSERT_EQ(differ.Summary().size(), 1u);
  EXPECT_EQ(differ.Summary()[0], "sources in different zones: +02:00 (vsftpd.log) UTC (auth.log)");
}

}  // namespace
}  // namespace irk::timeline
