#include "timeline/dpkg_log.h"

#include <gtest/gtest.h>

namespace irk::timeline {
namespace {

TEST(ParseDpkgLine, ReadsAnInstallInTheSystemsZone) {
  const auto change = ParseDpkgLine("2026-11-26 14:02:11 install netcat:amd64 <none> 1.10-47",
                                    logs::TimeZone::Fixed(3600));
  ASSERT_TRUE(change);
  EXPECT_EQ(FormatRfc3339(change->time), "2026-11-26T13:02:11+00:00");
  EXPECT_EQ(change->action, "install");
  EXPECT_EQ(change->package, "netcat:amd64");
  EXPECT_EQ(change->old_version, "<none>");
  EXPECT_EQ(change->new_version, "1.10-47");
}

TEST(ParseDpkgLine, ReadsUpgradesRemovalsAndPurges) {
  const auto utc = logs::TimeZone::Utc();
  EXPECT_EQ(
      ParseDpkgLine("2026-11-26 13:00:00 upgrade openssh-server:amd64 1:9.2 1:9.3", utc)->action,
      "upgrade");
  EXPECT_EQ(ParseDpkgLine("2026-11-26 13:00:00 remove auditd:amd64 1:3.0 <none>", utc)->package,
            "auditd:amd64");
  EXPECT_TRUE(ParseDpkgLine("2026-11-26 13:00:00 purge rsyslog:amd64 8.2 <none>", utc));
}

TEST(ParseDpkgLine, SkipsStatusLinesAndJunk) {
  const auto utc = logs::TimeZone::Utc();
  for (std::string_view line : {
           "",
           "2026-11-26 13:00:00 status installed netcat:amd64 1.10-47",
           "2026-11-26 13:00:00 configure netcat:amd64 1.10-47 <none>",
           "2026-11-26 13:00:00 startup archives unpack",
           "2026-11-26 13:00:00 install netcat:amd64 <none>",
           "2026-11-26 13:00:00 install netcat:amd64 <none> 1 extra",
           "2026-13-26 13:00:00 install netcat:amd64 <none> 1",
           "2026-11-26T13:00:00 install netcat:amd64 <none> 1",
           "2026-11-26 13:00:0x install netcat:amd64 <none> 1",
       }) {
    EXPECT_FALSE(ParseDpkgLine(line, utc)) << line;
  }
}

}  // namespace
}  // namespace irk::timeline
