#include "integrity/dpkg_database.h"

#include <gtest/gtest.h>

namespace irk::integrity {
namespace {

constexpr std::string_view kStatus = R"(Package: adduser
Status: install ok installed
Architecture: all
Version: 3.134
Conffiles:
 /etc/adduser.conf cc3493ecd2d09837ffdcc3e25fdfff18
 /etc/old.conf 11a06baf8245fd8d690b99024d228c1f obsolete
Description: add and remove users and groups
 Conffiles: this line is description text, not a field
 /etc/not-a-conffile 00000000000000000000000000000000

Package: removed-one
Status: deinstall ok config-files
Architecture: amd64
Conffiles:
 /etc/removed.conf 11a06baf8245fd8d690b99024d228c1f

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9
)";

TEST(ParseDpkgStatus, ReadsInstalledPackagesAndTheirConffiles) {
  auto packages = ParseDpkgStatus(kStatus, "status");
  ASSERT_TRUE(packages.ok()) << packages.error().message;
  ASSERT_EQ(packages->size(), 2u);
  const DpkgPackage& adduser = (*packages)[0];
  EXPECT_EQ(adduser.name, "adduser");
  EXPECT_EQ(adduser.architecture, "all");
  EXPECT_EQ(adduser.version, "3.134");
  EXPECT_EQ(adduser.state, "installed");
  ASSERT_EQ(adduser.conffiles.size(), 2u);
  EXPECT_EQ(adduser.conffiles[0].path, "/etc/adduser.conf");
  EXPECT_EQ(adduser.conffiles[0].md5, "cc3493ecd2d09837ffdcc3e25fdfff18");
  EXPECT_TRUE(adduser.conffiles[1].obsolete);
  EXPECT_EQ((*packages)[1].name, "libc6");
  EXPECT_TRUE((*packages)[1].conffiles.empty());
}

TEST(ParseDpkgStatus, NamesTheFileAndLineOfAnError) {
  auto bad = ParseDpkgStatus("Package: x\nStatus: install ok installed\nno colon here\n", "st");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "st:3: expected 'Field: value'");
  auto digest = ParseDpkgStatus("Package: x\nConffiles:\n /etc/x nothex\n", "st");
  ASSERT_FALSE(digest.ok());
  EXPECT_EQ(digest.error().message, "st:3: a conffile digest is not MD5");
  auto nameless = ParseDpkgStatus("Status: install ok installed\n\n", "st");
  EXPECT_FALSE(nameless.ok());
}

TEST(ParseMd5sums, ReadsDigestsAndMakesPathsAbsolute) {
  auto entries = ParseMd5sums(
      "7210080490f9fd139c1b44fa0f730988  bin/bash\n"
      "12c7981c8fed81743552e47dd4b1483e  usr/share/doc/a file with spaces\n",
      "bash.md5sums");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].path, "/bin/bash");
  EXPECT_EQ((*entries)[0].md5, "7210080490f9fd139c1b44fa0f730988");
  EXPECT_EQ((*entries)[1].path, "/usr/share/doc/a file with spaces");
}

TEST(ParseMd5sums, RefusesALineThatIsNoDigest) {
  auto entries = ParseMd5sums("7210080490f9fd139c1b44fa0f730988  bin/bash\nxyz  bin/sh\n", "m");
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.error().message, "m:2: expected '<md5>  <path>'");
}

TEST(ParsePathList, RefusesRelativePaths) {
  auto paths = ParsePathList("/.\n/usr\n/usr/bin/ls\n", "x.list");
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->size(), 3u);
  EXPECT_FALSE(ParsePathList("/usr\nusr/bin\n", "x.list").ok());
}

TEST(ParseDiversions, ReadsTriples) {
  auto diversions =
      ParseDiversions("/usr/bin/perf\n/usr/bin/perf.distrib\nlinux-perf\n", "diversions");
  ASSERT_TRUE(diversions.ok());
  ASSERT_EQ(diversions->size(), 1u);
  EXPECT_EQ((*diversions)[0].to, "/usr/bin/perf.distrib");
  EXPECT_EQ((*diversions)[0].package, "linux-perf");
  EXPECT_FALSE(ParseDiversions("/usr/bin/perf\n/usr/bin/perf.distrib\n", "d").ok());
}

TEST(ParseAlternativeLinks, ReadsTheMasterAndSlaveLinks) {
  auto links = ParseAlternativeLinks(
      "auto\n/usr/bin/awk\nawk.1.gz\n/usr/share/man/man1/awk.1.gz\n\n/usr/bin/mawk\n5\n",
      "alternatives/awk");
  ASSERT_TRUE(links.ok()) << links.error().message;
  EXPECT_EQ(*links, (std::vector<std::string>{"/usr/bin/awk", "/usr/share/man/man1/awk.1.gz"}));
  EXPECT_FALSE(ParseAlternativeLinks("sideways\n/usr/bin/awk\n", "a").ok());
}

TEST(ParseStatOverrides, ReadsOwnerGroupModeAndAPathWithSpaces) {
  auto overrides = ParseStatOverrides(
      "root messagebus 4754 /usr/lib/dbus-1.0/dbus-daemon-launch-helper\n"
      "#0 ssl-cert 710 /etc/ssl/my private\n",
      "statoverride");
  ASSERT_TRUE(overrides.ok()) << overrides.error().message;
  ASSERT_EQ(overrides->size(), 2u);
  EXPECT_EQ((*overrides)[0].mode, 04754u);
  EXPECT_EQ((*overrides)[0].group, "messagebus");
  EXPECT_EQ((*overrides)[1].user, "#0");
  EXPECT_EQ((*overrides)[1].path, "/etc/ssl/my private");
  EXPECT_FALSE(ParseStatOverrides("root root 9999 /x\n", "s").ok());
}

}  // namespace
}  // namespace irk::integrity
