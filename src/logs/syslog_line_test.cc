#include "logs/syslog_line.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace irk::logs {
namespace {

const TimeZone kUtc = TimeZone::Utc();
// A file last written in November 2026, read as UTC.
const StampContext kNovember{2026, 11, &kUtc};

const TimeZone& Berlin() {
  static const TimeZone zone = [] {
    std::ifstream in("/usr/share/zoneinfo/Europe/Berlin", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = TimeZone::FromTzif(bytes, "Europe/Berlin");
    return parsed.ok() ? *parsed : TimeZone::Utc();
  }();
  return zone;
}

// The header of `line`, which must parse.
LineHeader Parse(std::string_view line, const StampContext& context = kNovember) {
  const std::optional<LineHeader> header = ParseLogLine(line, context);
  EXPECT_TRUE(header) << line;
  return header.value_or(LineHeader{});
}

std::string Time(const LineHeader& header) { return FormatRfc3339(header.time, true); }

TEST(ParseLogLine, ReadsAnRfc3164Line) {
  const LineHeader h = Parse(
      "Nov 26 13:02:11 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 51234 ssh2");
  EXPECT_EQ(Time(h), "2026-11-26T13:02:11.000000+00:00");
  EXPECT_EQ(h.time_text, "Nov 26 13:02:11");
  EXPECT_EQ(h.zone, "UTC");
  EXPECT_EQ(h.host, "web1");
  EXPECT_EQ(h.program, "sshd");
  EXPECT_EQ(h.pid, 4242);
  EXPECT_EQ(h.message, "Failed password for root from 203.0.113.7 port 51234 ssh2");
}

TEST(ParseLogLine, ReadsADayPaddedWithASpace) {
  const LineHeader h = Parse("Nov  6 09:15:00 web1 CRON[77]: pam_unix(cron:session): x");
  EXPECT_EQ(Time(h), "2026-11-06T09:15:00.000000+00:00");
  EXPECT_EQ(h.time_text, "Nov  6 09:15:00");
  EXPECT_EQ(h.program, "CRON");
  EXPECT_EQ(h.message, "pam_unix(cron:session): x");
}

TEST(ParseLogLine, TellsAMissingHostByTheTag) {
  const LineHeader h = Parse("Nov 26 13:02:11 sshd[4242]: Accepted publickey for alice");
  EXPECT_EQ(h.host, "");
  EXPECT_EQ(h.program, "sshd");
  EXPECT_EQ(h.pid, 4242);
  EXPECT_EQ(h.message, "Accepted publickey for alice");
  const LineHeader bare = Parse("Nov 26 13:02:11 kernel: [ 12.5] eth0: link up");
  EXPECT_EQ(bare.host, "");
  EXPECT_EQ(bare.program, "kernel");
  EXPECT_EQ(bare.message, "[ 12.5] eth0: link up");
}

TEST(ParseLogLine, ReadsATagWithoutPid) {
  const LineHeader h = Parse("Nov 26 13:02:11 web1 su: FAILED SU (to root) alice on pts/0");
  EXPECT_EQ(h.host, "web1");
  EXPECT_EQ(h.program, "su");
  EXPECT_FALSE(h.pid);
  EXPECT_EQ(h.message, "FAILED SU (to root) alice on pts/0");
}

TEST(ParseLogLine, ReadsAnEmptyMessage) {
  const LineHeader h = Parse("Nov 26 13:02:11 web1 sshd[1]:");
  EXPECT_EQ(h.program, "sshd");
  EXPECT_EQ(h.message, "");
}

TEST(ParseLogLine, SkipsALeadingPriority) {
  const LineHeader h = Parse("<38>Nov 26 13:02:11 web1 sshd[4242]: Connection closed");
  EXPECT_EQ(h.time_text, "Nov 26 13:02:11");
  EXPECT_EQ(h.host, "web1");
  EXPECT_EQ(h.message, "Connection closed");
}

TEST(ParseLogLine, SkipsFreeBsdFacilityAndLevel) {
  const LineHeader after = Parse("Nov 26 13:02:11 <4.6> bsd1 sshd[4242]: Connection closed");
  EXPECT_EQ(after.host, "bsd1");
  EXPECT_EQ(after.program, "sshd");
  EXPECT_EQ(after.message, "Connection closed");
  const LineHeader named = Parse("Nov 26 13:02:11 <auth.info> bsd1 sshd[4242]: x");
  EXPECT_EQ(named.host, "bsd1");
  const LineHeader start = Parse("<4.6>Nov 26 13:02:11 bsd1 sshd[4242]: x");
  EXPECT_EQ(start.host, "bsd1");
  EXPECT_EQ(start.time_text, "Nov 26 13:02:11");
}

TEST(ParseLogLine, SkipsBusyboxFacilityAndLevel) {
  const LineHeader h = Parse("Nov 26 13:02:11 router auth.info dropbear[812]: Bad password");
  EXPECT_EQ(h.host, "router");
  EXPECT_EQ(h.program, "dropbear");
  EXPECT_EQ(h.pid, 812);
  EXPECT_EQ(h.message, "Bad password");
  const LineHeader local = Parse("Nov 26 13:02:11 router local7.warn prog: m");
  EXPECT_EQ(local.program, "prog");
}

TEST(ParseLogLine, StripsTheSolarisMessageId) {
  const LineHeader h = Parse(
      "Nov 26 13:02:11 sol1 sshd[123]: [ID 800047 auth.info] Failed password for bob from "
      "192.0.2.9 port 22 ssh2");
  EXPECT_EQ(h.program, "sshd");
  EXPECT_EQ(h.message, "Failed password for bob from 192.0.2.9 port 22 ssh2");
  // Only a well-formed id is stripped.
  EXPECT_EQ(Parse("Nov 26 13:02:11 sol1 sshd[123]: [ID x auth.info] m").message,
            "[ID x auth.info] m");
}

TEST(ParseLogLine, ReadsFractionalSeconds) {
  const LineHeader h = Parse("Nov 26 13:02:11.123 web1 sshd[1]: m");
  EXPECT_EQ(Time(h), "2026-11-26T13:02:11.123000+00:00");
  EXPECT_EQ(h.time_text, "Nov 26 13:02:11.123");
}

// Lines of the minute last read take a shorter path: the same answers.
TEST(ParseLogLine, ReadsTheLinesOfOneMinuteAsEachAlone) {
  EXPECT_EQ(Time(Parse("Nov 26 13:02:11 web1 sshd[1]: m")), "2026-11-26T13:02:11.000000+00:00");
  const LineHeader next = Parse("Nov 26 13:02:59.25 web2 CRON[2]: n");
  EXPECT_EQ(Time(next), "2026-11-26T13:02:59.250000+00:00");
  EXPECT_EQ(next.time_text, "Nov 26 13:02:59.25");
  EXPECT_EQ(next.host, "web2");
  EXPECT_EQ(next.message, "n");
  EXPECT_EQ(Time(Parse("Nov 26 13:02:60 web1 sshd[1]: m")), "2026-11-26T13:03:00.000000+00:00");
  for (const char* bad : {"Nov 26 13:02:61 web1 sshd[1]: m", "Nov 26 13:02:7x web1 sshd[1]: m",
                          "Nov 26 13:02:1 web1 sshd[1]: m", "Nov 26 13:02:"}) {
    EXPECT_FALSE(ParseLogLine(bad, kNovember)) << bad;
  }
  // The same text read for another file: its year, its zone.
  const StampContext last_year{2025, 12, &kUtc};
  EXPECT_EQ(Time(Parse("Nov 26 13:02:12 web1 sshd[1]: m", last_year)),
            "2025-11-26T13:02:12.000000+00:00");
  const StampContext berlin{2026, 11, &Berlin()};
  const LineHeader local = Parse("Nov 26 13:02:13 web1 sshd[1]: m", berlin);
  EXPECT_EQ(Time(local), "2026-11-26T12:02:13.000000+00:00");
  EXPECT_EQ(local.zone, "Europe/Berlin");
  // A single-digit day written without padding is another minute's text.
  EXPECT_EQ(Time(Parse("Nov 6 13:02:14 web1 sshd[1]: m")), "2026-11-06T13:02:14.000000+00:00");
  EXPECT_EQ(Time(Parse("Nov  6 13:02:15 web1 sshd[1]: m")), "2026-11-06T13:02:15.000000+00:00");
}

TEST(ParseLogLine, TakesTheYearBeforeForAMonthAfterTheFilesMonth) {
  const StampContext january{2027, 1, &kUtc};
  EXPECT_EQ(Time(Parse("Dec 31 23:59:59 web1 sshd[1]: m", january)),
            "2026-12-31T23:59:59.000000+00:00");
  EXPECT_EQ(Time(Parse("Jan  1 00:00:01 web1 sshd[1]: m", january)),
            "2027-01-01T00:00:01.000000+00:00");
  // The file's own month is this year's.
  EXPECT_EQ(Time(Parse("Nov 30 10:00:00 web1 sshd[1]: m")), "2026-11-30T10:00:00.000000+00:00");
}

TEST(ParseLogLine, RefusesFebruary29InAYearWithoutIt) {
  const StampContext march_2027{2027, 3, &kUtc};
  EXPECT_FALSE(ParseLogLine("Feb 29 10:00:00 web1 sshd[1]: m", march_2027));
  const StampContext march_2028{2028, 3, &kUtc};
  EXPECT_TRUE(ParseLogLine("Feb 29 10:00:00 web1 sshd[1]: m", march_2028));
}

TEST(ParseLogLine, ReadsYearlessStampsInTheFilesZone) {
  const StampContext berlin{2026, 11, &Berlin()};
  const LineHeader summer = Parse("Jul  1 12:00:00 web1 sshd[1]: m", berlin);
  EXPECT_EQ(Time(summer), "2026-07-01T10:00:00.000000+00:00");
  EXPECT_EQ(summer.zone, "Europe/Berlin");
  EXPECT_EQ(Time(Parse("Nov 26 12:00:00 web1 sshd[1]: m", berlin)),
            "2026-11-26T11:00:00.000000+00:00");
}

TEST(ParseLogLine, ReadsTimesAroundBerlinsChangesWithTheEarlierOffset) {
  const StampContext berlin{2026, 11, &Berlin()};
  EXPECT_EQ(Time(Parse("Oct 25 02:30:00 web1 sshd[1]: m", berlin)),
            "2026-10-25T00:30:00.000000+00:00");
  EXPECT_EQ(Time(Parse("Mar 29 02:30:00 web1 sshd[1]: m", berlin)),
            "2026-03-29T01:30:00.000000+00:00");
}

TEST(ParseLogLine, ReadsWithoutAZoneAsUtc) {
  const StampContext no_zone{2026, 11, nullptr};
  const LineHeader h = Parse("Nov 26 13:02:11 web1 sshd[1]: m", no_zone);
  EXPECT_EQ(Time(h), "2026-11-26T13:02:11.000000+00:00");
  EXPECT_EQ(h.zone, "UTC");
}

TEST(ParseLogLine, ReadsAnRfc5424Line) {
  const LineHeader h =
      Parse("<38>1 2019-07-08T17:40:16.954167-04:00 web1 sshd 4242 - - Failed password for root");
  EXPECT_EQ(Time(h), "2019-07-08T21:40:16.954167+00:00");
  EXPECT_EQ(h.time_text, "2019-07-08T17:40:16.954167-04:00");
  EXPECT_EQ(h.zone, "-04:00");
  EXPECT_EQ(h.host, "web1");
  EXPECT_EQ(h.program, "sshd");
  EXPECT_EQ(h.pid, 4242);
  EXPECT_EQ(h.message, "Failed password for root");
}

TEST(ParseLogLine, LeavesNilRfc5424FieldsEmpty) {
  const LineHeader h = Parse("<86>1 2026-11-26T13:02:11Z - - - ID47 -");
  EXPECT_EQ(h.zone, "Z");
  EXPECT_EQ(h.host, "");
  EXPECT_EQ(h.program, "");
  EXPECT_FALSE(h.pid);
  EXPECT_EQ(h.message, "");
}

TEST(ParseLogLine, LeavesAProcIdThatIsNoPidUnset) {
  const LineHeader h = Parse("<86>1 2026-11-26T13:02:11Z web1 app worker-3 - - m");
  EXPECT_FALSE(h.pid);
  EXPECT_EQ(h.message, "m");
}

TEST(ParseLogLine, SkipsRfc5424StructuredData) {
  const LineHeader h = Parse(
      "<165>1 2026-11-26T13:02:11.003Z web1 evntslog 77 ID47 [exampleSDID@32473 iut=\"3\" "
      "eventSource=\"Application\"][examplePriority@32473 class=\"high\"] An application event");
  EXPECT_EQ(h.program, "evntslog");
  EXPECT_EQ(h.message, "An application event");
}

TEST(ParseLogLine, SkipsEscapedQuotesAndBracketsInStructuredData) {
  const LineHeader h = Parse(
      "<38>1 2026-11-26T13:02:11Z web1 sshd 9 - [x@1 user=\"a\\\"] b\" path=\"c\\]\\\\\"] "
      "Failed password");
  EXPECT_EQ(h.message, "Failed password");
  EXPECT_FALSE(ParseLogLine("<38>1 2026-11-26T13:02:11Z web1 sshd 9 - [x@1 u=\"a\\\"]", kNovember));
}

TEST(ParseLogLine, DropsTheBomBeforeAnRfc5424Message) {
  const LineHeader h = Parse("<38>1 2026-11-26T13:02:11Z web1 sshd 9 - - \xEF\xBB\xBFhello");
  EXPECT_EQ(h.message, "hello");
}

TEST(ParseLogLine, RefusesAnRfc5424LineWithoutAStamp) {
  EXPECT_FALSE(ParseLogLine("<38>1 - web1 sshd 9 - - m", kNovember));
  EXPECT_TRUE(ParseLineStamp("<38>1 - web1 sshd 9 - - m", kNovember) == std::nullopt);
}

TEST(ParseLogLine, ReadsIsoStampsWithEveryOffsetForm) {
  const LineHeader colon = Parse("2026-11-26T13:02:11.123456+01:00 web1 sshd[4242]: m");
  EXPECT_EQ(Time(colon), "2026-11-26T12:02:11.123456+00:00");
  EXPECT_EQ(colon.time_text, "2026-11-26T13:02:11.123456+01:00");
  EXPECT_EQ(colon.zone, "+01:00");
  EXPECT_EQ(colon.host, "web1");
  EXPECT_EQ(colon.program, "sshd");
  EXPECT_EQ(colon.pid, 4242);
  EXPECT_EQ(colon.message, "m");
  const LineHeader compact = Parse("2026-11-26T13:02:11+0100 web1 sshd[4242]: m");
  EXPECT_EQ(Time(compact), "2026-11-26T12:02:11.000000+00:00");
  EXPECT_EQ(compact.zone, "+0100");
  const LineHeader zulu = Parse("2026-11-26T13:02:11Z web1 sshd[4242]: m");
  EXPECT_EQ(Time(zulu), "2026-11-26T13:02:11.000000+00:00");
  EXPECT_EQ(zulu.zone, "Z");
}

TEST(ParseLogLine, ReadsAnIsoStampWithoutOffsetInTheFilesZone) {
  const StampContext berlin{2026, 11, &Berlin()};
  const LineHeader h = Parse("2026-07-01T12:00:00.5 web1 sshd[4242]: m", berlin);
  EXPECT_EQ(Time(h), "2026-07-01T10:00:00.500000+00:00");
  EXPECT_EQ(h.zone, "Europe/Berlin");
  EXPECT_EQ(h.time_text, "2026-07-01T12:00:00.5");
}

TEST(ParseLogLine, ReadsVsftpdsOwnLog) {
  const StampContext berlin{2026, 11, &Berlin()};
  const LineHeader h = Parse(
      "Fri Jan 19 12:20:33 2007 [pid 27202] [alice] FAIL LOGIN: Client \"192.0.2.5\"", berlin);
  EXPECT_EQ(Time(h), "2007-01-19T11:20:33.000000+00:00");
  EXPECT_EQ(h.time_text, "Fri Jan 19 12:20:33 2007");
  EXPECT_EQ(h.zone, "Europe/Berlin");
  EXPECT_EQ(h.host, "");
  EXPECT_EQ(h.program, "vsftpd");
  EXPECT_EQ(h.pid, 27202);
  EXPECT_EQ(h.message, "[alice] FAIL LOGIN: Client \"192.0.2.5\"");
  const LineHeader connect =
      Parse("Sat Jan  6 08:00:00 2007 [pid 2] CONNECT: Client \"192.0.2.5\"");
  EXPECT_EQ(connect.pid, 2);
  EXPECT_EQ(connect.message, "CONNECT: Client \"192.0.2.5\"");
}

TEST(ParseLogLine, ReadsProftpdsOwnLog) {
  const LineHeader h = Parse(
      "2026-11-26 13:02:11,123 web1 proftpd[1234] web1.example.com "
      "(client.example[192.0.2.5]): USER alice: Login successful.");
  EXPECT_EQ(Time(h), "2026-11-26T13:02:11.123000+00:00");
  EXPECT_EQ(h.time_text, "2026-11-26 13:02:11,123");
  EXPECT_EQ(h.host, "web1");
  EXPECT_EQ(h.program, "proftpd");
  EXPECT_EQ(h.pid, 1234);
  EXPECT_EQ(h.message,
            "web1.example.com (client.example[192.0.2.5]): USER alice: Login successful.");
}

TEST(ParseLogLine, ReadsXferlog) {
  const LineHeader h =
      Parse("Thu Jan 18 12:20:33 2007 1 192.0.2.5 1024 /home/alice/f b _ i r alice ftp 0 * c");
  EXPECT_EQ(Time(h), "2007-01-18T12:20:33.000000+00:00");
  EXPECT_EQ(h.program, "xferlog");
  EXPECT_FALSE(h.pid);
  EXPECT_EQ(h.host, "");
  EXPECT_EQ(h.message, "1 192.0.2.5 1024 /home/alice/f b _ i r alice ftp 0 * c");
}

TEST(ParseLogLine, KeepsAHeaderInsideTheMessageAsMessage) {
  const LineHeader h = Parse(
      "Nov 26 13:02:11 web1 sshd[4242]: Invalid user Nov 26 13:02:11 evil sshd[1]: x from "
      "198.51.100.1 from 203.0.113.9 port 22");
  EXPECT_EQ(h.host, "web1");
  EXPECT_EQ(h.pid, 4242);
  EXPECT_EQ(h.message,
            "Invalid user Nov 26 13:02:11 evil sshd[1]: x from 198.51.100.1 from 203.0.113.9 "
            "port 22");
  const LineHeader iso = Parse("2026-11-26T13:02:11Z web1 sshd[7]: <38>1 2026-11-26T13:02:11Z a b");
  EXPECT_EQ(iso.program, "sshd");
  EXPECT_EQ(iso.message, "<38>1 2026-11-26T13:02:11Z a b");
}

TEST(ParseLogLine, RefusesAPidThatIsNoPositiveNumber) {
  for (const char* line :
       {"Nov 26 13:02:11 web1 prog[abc]: m", "Nov 26 13:02:11 web1 prog[99999999999999999999]: m",
        "Nov 26 13:02:11 web1 prog[9223372036854775808]: m",
        "Nov 26 13:02:11 web1 prog[9999999999999999999]: m", "Nov 26 13:02:11 web1 prog[0]: m",
        "Nov 26 13:02:11 web1 prog[-5]: m", "Nov 26 13:02:11 web1 prog[]: m",
        "Nov 26 13:02:11 prog[abc]: m", "Fri Jan 19 12:20:33 2007 [pid x] m",
        "2026-11-26 13:02:11,123 web1 proftpd[0] m"}) {
    EXPECT_FALSE(ParseLogLine(line, kNovember)) << line;
  }
  EXPECT_EQ(Parse("Nov 26 13:02:11 web1 prog[9223372036854775807]: m").pid, INT64_MAX);
}

TEST(ParseLogLine, RefusesProgramNamesThatCouldHideAHeader) {
  const std::string long_name(65, 'a');
  EXPECT_FALSE(ParseLogLine("Nov 26 13:02:11 web1 " + long_name + "[1]: m", kNovember));
  EXPECT_TRUE(ParseLogLine("Nov 26 13:02:11 web1 " + long_name.substr(1) + "[1]: m", kNovember));
  EXPECT_FALSE(ParseLogLine("Nov 26 13:02:11 web1 a]b[1]: m", kNovember));
  // The program ends at the first byte a name may not hold: only "[pid]"
  // may follow it, and nothing after that.
  for (const char* tag : {"p[1]x:", "p[1]]:", "p[[1]:", "p[1:", "p]:", "[1]:", "p[1][2]:"}) {
    EXPECT_FALSE(ParseLogLine(std::string("Nov 26 13:02:11 web1 ") + tag + " m", kNovember)) << tag;
  }
  EXPECT_FALSE(ParseLogLine("Nov 26 13:02:11 web1 \x1b[2Jx: m", kNovember));
}

TEST(ParseLogLine, RefusesLinesOfNoFormat) {
  for (const char* line : {"", " ", "Nov 26 13:02:11", "Nov 26 13:02:11 ", "Nov 26 13:02:11 web1",
                           "Nov 26 13:02:11 web1 -- MARK --", "Nov 32 13:02:11 web1 sshd[1]: m",
                           "Nov 26 24:02:11 web1 sshd[1]: m", "Foo 26 13:02:11 web1 sshd[1]: m",
                           "nov 26 13:02:11 web1 sshd[1]: m", "2026-11-26T13:02:11Z",
                           "2026-13-26T13:02:11Z web1 sshd[1]: m", "Fri Jan 19 12:20:33 2007",
                           "Fri Jan 19 12:20:33 2007 x y", "just some text"}) {
    EXPECT_FALSE(ParseLogLine(line, kNovember)) << line;
  }
}

TEST(ParseLogLine, ReadsAClockOfExactlyTwoDigitsEach) {
  // Colons where digits belong would read as the digit ten.
  for (const char* clock : {"1:02:11", "13:2:11", "13:02:1", "0::0::0:", "13:02::1", "13-02-11",
                            "23:60:00", "23:59:61", "1a:02:11", "13:02"}) {
    const std::string line = std::string("Nov 26 ") + clock + " web1 sshd[1]: m";
    EXPECT_FALSE(ParseLogLine(line, kNovember)) << line;
    EXPECT_FALSE(ParseLogLine(std::string("2026-11-26T") + clock + "Z web1 sshd[1]: m", kNovember))
        << clock;
  }
  EXPECT_EQ(Parse("Nov 26 23:59:60 web1 sshd[1]: m").time_text, "Nov 26 23:59:60");
  EXPECT_EQ(Parse("Nov 26 00:00:00 web1 sshd[1]: m").time_text, "Nov 26 00:00:00");
}

TEST(ParseLogLine, RefusesAnOutOfRangePriority) {
  EXPECT_FALSE(ParseLogLine("<999999>Nov 26 13:02:11 web1 sshd[1]: m", kNovember));
  EXPECT_FALSE(ParseLogLine("<192>1 2026-11-26T13:02:11Z web1 sshd 1 - - m", kNovember));
  EXPECT_FALSE(ParseLogLine("<>Nov 26 13:02:11 web1 sshd[1]: m", kNovember));
}

// Found by syslog_line_fuzz: the digits of "<1888888888.5>" overflowed an int.
TEST(ParseLogLine, SkipsAFacilityPairOfLongNumbersWithoutOverflow) {
  const LineHeader h = Parse("<1888888888.5>Nov 26 13:02:11 bsd1 sshd[1]: m");
  EXPECT_EQ(h.host, "bsd1");
}

TEST(ParseLogLine, KeepsNulBytesInTheMessage) {
  const std::string line("Nov 26 13:02:11 web1 sshd[1]: a\0b", 33);
  const LineHeader h = Parse(line);
  EXPECT_EQ(h.message, std::string_view("a\0b", 3));
  EXPECT_FALSE(ParseLogLine(std::string("Nov 26 13:02:11 we\0b1 sshd[1]: m", 32), kNovember));
}

TEST(ParseLogLine, ReadsAMegabyteLine) {
  const std::string message(1 << 20, 'x');
  const LineHeader h = Parse("Nov 26 13:02:11 web1 sshd[1]: " + message);
  EXPECT_EQ(h.message.size(), message.size());
  EXPECT_FALSE(ParseLogLine(std::string(1 << 20, 'N'), kNovember));
  EXPECT_FALSE(ParseLogLine("<38>1 2026-11-26T13:02:11Z web1 sshd 9 - [" + message, kNovember));
}

// The readers' loops frame every line into one header: a line without a
// host, program or pid keeps none of the line before's.
TEST(FrameLogLine, LeavesNothingOfTheLineBefore) {
  LineHeader header;
  ASSERT_TRUE(FrameLogLine("Nov 26 13:02:11 web1 sshd[4242]: m1", kNovember, header));
  EXPECT_FALSE(FrameLogLine("Nov 26 13:02:12 web1", kNovember, header));
  ASSERT_TRUE(FrameLogLine("<38>1 2026-11-26T13:02:13Z - - - - - m2", kNovember, header));
  EXPECT_EQ(Time(header), "2026-11-26T13:02:13.000000+00:00");
  EXPECT_EQ(header.time_text, "2026-11-26T13:02:13Z");
  EXPECT_EQ(header.host, "");
  EXPECT_EQ(header.program, "");
  EXPECT_FALSE(header.pid);
  EXPECT_EQ(header.message, "m2");
}

TEST(ParseLineStamp, ReadsOnlyTheStamp) {
  EXPECT_EQ(FormatRfc3339(*ParseLineStamp("Nov 26 13:02:11", kNovember)),
            "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(FormatRfc3339(*ParseLineStamp("2026-11-26T13:02:11+01:00 x", kNovember)),
            "2026-11-26T12:02:11+00:00");
  EXPECT_EQ(FormatRfc3339(*ParseLineStamp("<38>1 2019-07-08T17:40:16Z h a - - - m", kNovember)),
            "2019-07-08T17:40:16+00:00");
  EXPECT_EQ(FormatRfc3339(*ParseLineStamp("Fri Jan 19 12:20:33 2007 [pid 1] m", kNovember)),
            "2007-01-19T12:20:33+00:00");
  EXPECT_FALSE(ParseLineStamp("web1 sshd[1]: m", kNovember));
}

TEST(ParseLineStamp, AgreesWithParseLogLine) {
  const StampContext berlin{2026, 11, &Berlin()};
  for (const char* line : {"Oct 25 02:30:00 web1 sshd[1]: m", "Dec  1 00:00:00 h p: m",
                           "2026-11-26 13:02:11,123 web1 proftpd[1234] x",
                           "<38>1 2026-11-26T13:02:11.5-02:00 h a 1 - - m"}) {
    EXPECT_EQ(ParseLineStamp(line, berlin), Parse(line, berlin).time) << line;
  }
}

}  // namespace
}  // namespace irk::logs
