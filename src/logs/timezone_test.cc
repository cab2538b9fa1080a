#include "logs/timezone.h"

#include <stdlib.h>
#include <time.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include "core/time.h"

namespace irk::logs {
namespace {

namespace fs = std::filesystem;

const fs::path kZoneinfo = "/usr/share/zoneinfo";

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteBytes(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

TimeZone Zone(const std::string& name) {
  auto zone = TimeZone::FromTzif(ReadBytes(kZoneinfo / name), name);
  EXPECT_TRUE(zone.ok()) << zone.error().message;
  return zone.ok() ? *zone : TimeZone::Utc();
}

// Local wall-clock text "2026-07-01T12:00:00" to its UTC instant as RFC 3339.
std::string LocalToUtcText(const TimeZone& zone, const std::string& local) {
  const auto as_utc = ParseRfc3339(local + "Z");
  EXPECT_TRUE(as_utc) << local;
  return FormatRfc3339(Timestamp{zone.LocalToUtc(as_utc ? as_utc->seconds : 0), 0});
}

// A version 2 TZif file with no transitions, one type of `offset` and the
// footer `tz`: what zic writes for a zone that is all rule.
std::string FooterOnlyTzif(int32_t offset, std::string_view tz) {
  const auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  const auto header = [&](char version) {
    std::string h = "TZif";
    h += version;
    h += std::string(15, '\0');
    // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
    h += be32(0) + be32(0) + be32(0) + be32(0) + be32(1) + be32(4);
    return h;
  };
  const std::string type = be32(static_cast<uint32_t>(offset)) + std::string("\0\0", 2);
  const std::string block = type + std::string("XXX\0", 4);
  return header('2') + block + header('2') + block + "\n" + std::string(tz) + "\n";
}

TEST(TimeZone, UtcAndFixedZonesAreNamedByTheirOffset) {
  EXPECT_EQ(TimeZone::Utc().name(), "UTC");
  EXPECT_EQ(TimeZone::Fixed(7200).name(), "+02:00");
  EXPECT_EQ(TimeZone::Fixed(-16200).name(), "-04:30");
  EXPECT_EQ(TimeZone::Fixed(0).name(), "+00:00");
  EXPECT_EQ(TimeZone::Fixed(7200).LocalToUtc(7200), 0);
  EXPECT_EQ(TimeZone::Utc().LocalToUtc(12345), 12345);
}

TEST(TimeZone, ConvertsBerlinSummerAndWinterTime) {
  const TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin.name(), "Europe/Berlin");
  EXPECT_EQ(LocalToUtcText(berlin, "2026-07-01T12:00:00"), "2026-07-01T10:00:00+00:00");
  EXPECT_EQ(LocalToUtcText(berlin, "2026-01-15T12:00:00"), "2026-01-15T11:00:00+00:00");
  // 1945's double summer time (+03:00) comes from the transition table.
  EXPECT_EQ(LocalToUtcText(berlin, "1945-06-01T12:00:00"), "1945-06-01T09:00:00+00:00");
}

TEST(TimeZone, UsesTheFooterRuleAfterTheLastTransition) {
  const TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_EQ(LocalToUtcText(berlin, "2100-07-01T12:00:00"), "2100-07-01T10:00:00+00:00");
  EXPECT_EQ(LocalToUtcText(berlin, "2100-12-01T12:00:00"), "2100-12-01T11:00:00+00:00");
  const TimeZone new_york = Zone("America/New_York");
  EXPECT_EQ(LocalToUtcText(new_york, "2100-07-04T12:00:00"), "2100-07-04T16:00:00+00:00");
}

TEST(TimeZone, ConvertsNewYorkAndLordHowesHalfHourChange) {
  const TimeZone new_york = Zone("America/New_York");
  EXPECT_EQ(LocalToUtcText(new_york, "2026-07-04T12:00:00"), "2026-07-04T16:00:00+00:00");
  EXPECT_EQ(LocalToUtcText(new_york, "2026-12-25T12:00:00"), "2026-12-25T17:00:00+00:00");
  const TimeZone lord_howe = Zone("Australia/Lord_Howe");
  EXPECT_EQ(LocalToUtcText(lord_howe, "2026-01-15T12:00:00"), "2026-01-15T01:00:00+00:00");
  EXPECT_EQ(LocalToUtcText(lord_howe, "2026-07-15T12:00:00"), "2026-07-15T01:30:00+00:00");
  EXPECT_EQ(LocalToUtcText(lord_howe, "2101-01-15T12:00:00"), "2101-01-15T01:00:00+00:00");
}

TEST(TimeZone, TakesTheEarlierInstantOfAnAmbiguousTime) {
  const TimeZone berlin = Zone("Europe/Berlin");
  // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
  EXPECT_EQ(LocalToUtcText(berlin, "2026-10-25T02:30:00"), "2026-10-25T00:30:00+00:00");
  EXPECT_EQ(LocalToUtcText(berlin, "2026-10-25T03:00:00"), "2026-10-25T02:00:00+00:00");
  EXPECT_EQ(LocalToUtcText(berlin, "2026-10-25T01:59:59"), "2026-10-24T23:59:59+00:00");
}

TEST(TimeZone, ReadsASkippedTimeWithTheOffsetBeforeTheChange) {
  const TimeZone berlin = Zone("Europe/Berlin");
  // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 never happens.
  EXPECT_EQ(LocalToUtcText(berlin, "2026-03-29T02:30:00"), "2026-03-29T01:30:00+00:00");
  EXPECT_EQ(LocalToUtcText(berlin, "2026-03-29T01:59:59"), "2026-03-29T00:59:59+00:00");
  EXPECT_EQ(LocalToUtcText(berlin, "2026-03-29T03:00:00"), "2026-03-29T01:00:00+00:00");
}

// The C library reads the same files; every 27 hours from 1900 to 2100 our
// offsets must agree with its tm_gmtoff.
TEST(TimeZone, AgreesWithTheCLibraryOverTwoCenturies) {
  const char* saved = getenv("TZ");
  const std::string saved_tz = saved != nullptr ? saved : "";
  for (const char* name :
       {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"}) {
    const TimeZone zone = Zone(name);
    setenv("TZ", (std::string(":") + (kZoneinfo / name).string()).c_str(), 1);
    tzset();
    int mismatches = 0;
    for (int64_t t = -2208988800; t < 4102444800 && mismatches < 5; t += 27 * 3600 + 17) {
      const time_t when = static_cast<time_t>(t);
      struct tm local {};
      localtime_r(&when, &local);
      if (zone.OffsetAt(t) != local.tm_gmtoff) {
        ++mismatches;
        ADD_FAILURE() << name << " at " << FormatRfc3339(Timestamp{t, 0}) << ": "
                      << zone.OffsetAt(t) << " != " << local.tm_gmtoff;
      }
      // And back: a local time that is neither skipped nor repeated.
      const int64_t local_seconds = t + local.tm_gmtoff;
      if (zone.OffsetAt(t - 27 * 3600) == zone.OffsetAt(t + 27 * 3600)) {
        EXPECT_EQ(zone.LocalToUtc(local_seconds), t) << name;
      }
    }
  }
  if (saved != nullptr) {
    setenv("TZ", saved_tz.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(TimeZone, ReadsPosixRulesOfEveryDateForm) {
  // Julian day without Feb 29 (J), zero-based day (n), and v3's hours past 24.
  auto julian = TimeZone::FromTzif(FooterOnlyTzif(-18000, "EST5EDT,J60/2,J305/2"), "j");
  ASSERT_TRUE(julian.ok()) << julian.error().message;
  // J60 is March 1 in every year; 2024 is a leap year.
  EXPECT_EQ(LocalToUtcText(*julian, "2024-03-01T01:00:00"), "2024-03-01T06:00:00+00:00");
  EXPECT_EQ(LocalToUtcText(*julian, "2024-03-01T03:00:00"), "2024-03-01T07:00:00+00:00");
  auto zero_based = TimeZone::FromTzif(FooterOnlyTzif(-18000, "EST5EDT,59/2,304/2"), "n");
  ASSERT_TRUE(zero_based.ok()) << zero_based.error().message;
  // Day 59 counts Feb 29: in 2024 it is February 29.
  EXPECT_EQ(LocalToUtcText(*zero_based, "2024-02-29T03:00:00"), "2024-02-29T07:00:00+00:00");
  auto all_year = TimeZone::FromTzif(FooterOnlyTzif(-18000, "EST5EDT4,0/0,J365/25"), "v3");
  ASSERT_TRUE(all_year.ok()) << all_year.error().message;
  EXPECT_EQ(LocalToUtcText(*all_year, "2030-01-15T12:00:00"), "2030-01-15T16:00:00+00:00");
  EXPECT_EQ(LocalToUtcText(*all_year, "2030-07-15T12:00:00"), "2030-07-15T16:00:00+00:00");
}

TEST(TimeZone, ReadsQuotedNamesAndSouthernRules) {
  auto zone = TimeZone::FromTzif(FooterOnlyTzif(37800, "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"),
                                 "Australia/Lord_Howe");
  ASSERT_TRUE(zone.ok()) << zone.error().message;
  EXPECT_EQ(zone->OffsetAt(CivilToSeconds(2030, 1, 10, 0, 0, 0)), 39600);
  EXPECT_EQ(zone->OffsetAt(CivilToSeconds(2030, 6, 10, 0, 0, 0)), 37800);
  auto fixed = TimeZone::FromTzif(FooterOnlyTzif(19800, "IST-5:30"), "Asia/Kolkata");
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->OffsetAt(CivilToSeconds(2030, 6, 10, 0, 0, 0)), 19800);
}

TEST(TimeZone, RefusesAFooterItCannotRead) {
  for (const char* tz : {"CET-1CEST,M13.5.0,M10.5.0", "CET", "C-1", "CET-1CEST,M3.5.0", "CET-99",
                         "<+1030-10:30", "CET-1CEST,M3.5.0/200,M10.5.0"}) {
    auto zone = TimeZone::FromTzif(FooterOnlyTzif(3600, tz), "bad");
    ASSERT_FALSE(zone.ok()) << tz;
    EXPECT_TRUE(zone.error().message.starts_with("tzif bad: at byte 109: footer"))
        << zone.error().message;
  }
}

TEST(TimeZone, RefusesATruncatedFileNamingTheOffset) {
  const std::string berlin = ReadBytes(kZoneinfo / "Europe/Berlin");
  for (size_t cut :
       {size_t{0}, size_t{10}, size_t{44}, size_t{100}, berlin.size() / 2, berlin.size() - 40}) {
    auto zone = TimeZone::FromTzif(std::string_view(berlin).substr(0, cut), "Europe/Berlin");
    ASSERT_FALSE(zone.ok()) << cut;
    EXPECT_NE(zone.error().message.find("tzif Europe/Berlin: at byte "), std::string::npos)
        << zone.error().message;
  }
}

TEST(TimeZone, RefusesHugeCountsWithoutReadingPastTheEnd) {
  std::string bytes = FooterOnlyTzif(0, "UTC0");
  // timecnt of the version 1 header: 0xffffffff.
  for (size_t i = 32; i < 36; ++i) bytes[i] = '\xff';
  auto zone = TimeZone::FromTzif(bytes, "hostile");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().message,
            "tzif hostile: at byte 44: version 1 data needs 21474836485 bytes, 70 left");
}

// Found by timezone_fuzz: the name was gone from errors found after the types.
TEST(TimeZone, NamesTheZoneInAnErrorAboutTransitionOrder) {
  std::string bytes = FooterOnlyTzif(0, "UTC0");
  // Two transitions in the 64-bit block, the second before the first.
  const size_t v2 = 44 + 10;
  bytes[v2 + 35] = 2;  // timecnt
  const std::string times = std::string("\0\0\0\0\0\0\0\x10", 8) +
                            std::string("\0\0\0\0\0\0\0\x08", 8) + std::string(2, '\0');
  bytes.insert(v2 + 44, times);
  auto zone = TimeZone::FromTzif(bytes, "Europe/Berlin");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().message,
            "tzif Europe/Berlin: at byte 106: transition times not ascending");
}

TEST(TimeZone, RefusesBadMagicTypesAndOrder) {
  EXPECT_NE(TimeZone::FromTzif("TZxf" + std::string(60, '\0'), "x")
                .error()
                .message.find("at byte 0: no TZif magic"),
            std::string::npos);
  std::string bad_offset = FooterOnlyTzif(0, "UTC0");
  bad_offset[98] = '\x7f';  // the 64-bit block's type offset: far beyond a day
  EXPECT_NE(TimeZone::FromTzif(bad_offset, "x").error().message.find("out of range"),
            std::string::npos);
}

TEST(TimeZone, LoadFollowsTheLocaltimeLinkInsideTheRoot) {
  testing::TempDir tmp;
  WriteBytes(tmp.path() / "usr/share/zoneinfo/Europe/Berlin",
             ReadBytes(kZoneinfo / "Europe/Berlin"));
  fs::create_directories(tmp.path() / "etc");
  fs::create_symlink("../usr/share/zoneinfo/Europe/Berlin", tmp.path() / "etc/localtime");
  auto root = Root::Open(tmp.path());
  ASSERT_TRUE(root.ok());
  auto zone = TimeZone::Load(*root);
  ASSERT_TRUE(zone.ok()) << zone.error().message;
  EXPECT_EQ(zone->name(), "Europe/Berlin");
  EXPECT_EQ(zone->note(), "");
  EXPECT_EQ(LocalToUtcText(*zone, "2026-07-01T12:00:00"), "2026-07-01T10:00:00+00:00");
}

TEST(TimeZone, LoadFollowsAnAbsoluteLinkAndALinkBehindIt) {
  testing::TempDir tmp;
  WriteBytes(tmp.path() / "usr/share/zoneinfo/America/New_York",
             ReadBytes(kZoneinfo / "America/New_York"));
  fs::create_directories(tmp.path() / "usr/share/zoneinfo/US");
  fs::create_symlink("../America/New_York", tmp.path() / "usr/share/zoneinfo/US/Eastern");
  fs::create_directories(tmp.path() / "etc");
  fs::create_symlink("/usr/share/zoneinfo/US/Eastern", tmp.path() / "etc/localtime");
  auto root = Root::Open(tmp.path());
  auto zone = TimeZone::Load(*root);
  ASSERT_TRUE(zone.ok()) << zone.error().message;
  EXPECT_EQ(zone->name(), "US/Eastern");
  EXPECT_EQ(LocalToUtcText(*zone, "2026-07-04T12:00:00"), "2026-07-04T16:00:00+00:00");
}

TEST(TimeZone, LoadReadsTheNameInEtcTimezone) {
  testing::TempDir tmp;
  WriteBytes(tmp.path() / "usr/share/zoneinfo/Europe/Berlin",
             ReadBytes(kZoneinfo / "Europe/Berlin"));
  WriteBytes(tmp.path() / "etc/timezone", "Europe/Berlin\n");
  auto root = Root::Open(tmp.path());
  auto zone = TimeZone::Load(*root);
  ASSERT_TRUE(zone.ok()) << zone.error().message;
  EXPECT_EQ(zone->name(), "Europe/Berlin");
}

TEST(TimeZone, LoadNamesACopiedLocaltimeByEtcTimezone) {
  testing::TempDir tmp;
  WriteBytes(tmp.path() / "etc/localtime", ReadBytes(kZoneinfo / "Europe/Berlin"));
  WriteBytes(tmp.path() / "etc/timezone", "Europe/Berlin\n");
  auto root = Root::Open(tmp.path());
  auto zone = TimeZone::Load(*root);
  ASSERT_TRUE(zone.ok()) << zone.error().message;
  EXPECT_EQ(zone->name(), "Europe/Berlin");
}

TEST(TimeZone, LoadRefusesAnEscapingNameInEtcTimezone) {
  testing::TempDir tmp;
  WriteBytes(tmp.path() / "etc/timezone", "../../../etc/passwd\n");
  auto root = Root::Open(tmp.path());
  auto zone = TimeZone::Load(*root);
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone->name(), "UTC");
  EXPECT_NE(zone->note().find("not a zone name"), std::string_view::npos) << zone->note();
}

TEST(TimeZone, LoadFallsBackToUtcWithANote) {
  testing::TempDir tmp;
  auto root = Root::Open(tmp.path());
  auto zone = TimeZone::Load(*root);
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone->name(), "UTC");
  EXPECT_NE(zone->note().find("assuming UTC"), std::string_view::npos) << zone->note();
}

TEST(TimeZone, LoadRefusesACorruptZoneFile) {
  testing::TempDir tmp;
  WriteBytes(tmp.path() / "usr/share/zoneinfo/Europe/Berlin", "TZif2 but no more");
  fs::create_directories(tmp.path() / "etc");
  fs::create_symlink("../usr/share/zoneinfo/Europe/Berlin", tmp.path() / "etc/localtime");
  auto root = Root::Open(tmp.path());
  auto zone = TimeZone::Load(*root);
  ASSERT_FALSE(zone.ok());
  EXPECT_NE(zone.error().message.find("etc/localtime: tzif Europe/Berlin: at byte 0"),
            std::string::npos)
      << zone.error().message;
}

}  // namespace
}  // namespace irk::logs
