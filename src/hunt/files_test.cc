#include "hunt/files.h"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::hunt {
namespace {

void Write(const std::filesystem::path& path, std::string_view text, mode_t mode = 0644) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  chmod(path.c_str(), mode);
}

// A system whose dpkg installed /usr/bin/passwd (setuid) and /etc/cron.d/e2scrub_all.
std::filesystem::path BuildImage(const std::filesystem::path& img) {
  Write(img / "etc/passwd",
        "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
  Write(img / "var/lib/dpkg/info/passwd.list", "/.\n/usr\n/usr/bin\n/usr/bin/passwd\n");
  Write(img / "var/lib/dpkg/info/e2fsprogs.list", "/etc/cron.d/e2scrub_all\n/lib/udev/x\n");
  Write(img / "usr/bin/passwd",
        "\x7f"
        "ELF",
        04755);
  Write(img / "etc/cron.d/e2scrub_all", "30 3 * * 0 root true\n");
  return img;
}

bool Has(const std::vector<Finding>& found, std::string_view kind, std::string_view path,
         Severity severity) {
  for (const Finding& f : found) {
    if (f.kind == kind && f.path == path && f.severity == severity) return true;
  }
  return false;
}

TEST(HuntSetuid, FindsASetuidShellNoPackageInstalled) {
  testing::TempDir tmp;
  const auto img = BuildImage(tmp.path());
  Write(img / "tmp/.sh",
        "\x7f"
        "ELF",
        04755);
  Write(img / "usr/local/bin/helper", "#!/bin/sh\n", 02755);
  auto root = Root::Open(img);
  const auto found = HuntSetuid(*root, PackageFiles::Read(*root));
  EXPECT_TRUE(Has(found, "setuid", "/tmp/.sh", Severity::kHigh));
  EXPECT_TRUE(Has(found, "setuid", "/usr/local/bin/helper", Severity::kMedium));
  for (const Finding& f : found) EXPECT_NE(f.path, "/usr/bin/passwd") << "a package's file";
}

TEST(HuntPersistence, FindsCronJobsUnitsAndUserCrontabsNoPackageInstalled) {
  testing::TempDir tmp;
  const auto img = BuildImage(tmp.path());
  Write(img / "etc/cron.d/.update", "* * * * * root /tmp/.sh\n");
  Write(img / "var/spool/cron/crontabs/alice", "@reboot /home/alice/.x\n", 0600);
  Write(img / "etc/systemd/system/update-helper.service", "[Service]\nExecStart=/tmp/.sh\n");
  auto root = Root::Open(img);
  // Long after the files were written, so the package's own cron job is old news.
  const Timestamp later{Now().seconds + 30 * 86400, 0};
  const auto found = HuntPersistence(*root, PackageFiles::Read(*root), later);
  EXPECT_TRUE(Has(found, "persistence", "/etc/cron.d/.update", Severity::kMedium));
  EXPECT_TRUE(Has(found, "persistence", "/var/spool/cron/crontabs/alice", Severity::kMedium));
  EXPECT_TRUE(
      Has(found, "persistence", "/etc/systemd/system/update-helper.service", Severity::kMedium));
  for (const Finding& f : found) EXPECT_NE(f.path, "/etc/cron.d/e2scrub_all");
}

TEST(HuntPersistence, CallsARecentChangeToAPackagesFileLow) {
  testing::TempDir tmp;
  const auto img = BuildImage(tmp.path());
  auto root = Root::Open(img);
  const auto found = HuntPersistence(*root, PackageFiles::Read(*root), Now());
  EXPECT_TRUE(Has(found, "persistence", "/etc/cron.d/e2scrub_all", Severity::kLow));
}

// The first 18 bytes of a little-endian ELF file of `type` (1 object, 2
// executable, 3 shared object or PIE).
std::string ElfHeader(char type) {
  std::string header =
      "\x7f"
      "ELF\x02\x01\x01";
  header.resize(16, '\0');
  header += type;
  header += '\0';
  return header;
}

TEST(HuntTmpExecutables, FindsProgramsInWorldWritableFoldersOneFindingPerEntry) {
  testing::TempDir tmp;
  const auto img = BuildImage(tmp.path());
  Write(img / "tmp/.x/miner", ElfHeader(2), 0600);  // a program without the x bit
  Write(img / "var/tmp/run.sh", "#!/bin/sh\n", 0755);
  Write(img / "tmp/notes.txt", "hello", 0644);
  Write(img / "tmp/build/main.o", ElfHeader(1), 0644);  // an object file is no program
  Write(img / "tmp/build/bin/tool", ElfHeader(3), 0755);
  Write(img / "tmp/build/bin/test", ElfHeader(3), 0755);
  auto root = Root::Open(img);
  const auto found = HuntTmpExecutables(*root);
  EXPECT_TRUE(Has(found, "tmp_executable", "/tmp/.x/miner", Severity::kMedium));
  EXPECT_TRUE(Has(found, "tmp_executable", "/var/tmp/run.sh", Severity::kMedium));
  EXPECT_TRUE(Has(found, "tmp_executable", "/tmp/build", Severity::kMedium));
  EXPECT_EQ(found.size(), 3u);
}

TEST(ModuleName, NamesModuleFilesAsTheKernelNamesLoadedModules) {
  EXPECT_EQ(ModuleName("nf_tables.ko"), "nf_tables");
  EXPECT_EQ(ModuleName("snd-hda-intel.ko.xz"), "snd_hda_intel");
  EXPECT_EQ(ModuleName("x.ko.zst"), "x");
  EXPECT_EQ(ModuleName("modules.dep"), "");
  EXPECT_EQ(ModuleName(".ko"), "");
}

TEST(ParseProcModules, TakesTheFirstWordOfEachLine) {
  EXPECT_EQ(ParseProcModules("nf_tables 307200 0 - Live 0x0\nveth 40960 0 - Live 0x0\n"),
            (std::vector<std::string>{"nf_tables", "veth"}));
}

TEST(HuntKernelModules, FindsEveryLoadedModuleInTheRunningKernelsTree) {
  auto root = Root::Open("/");
  if (!std::filesystem::exists("/proc/modules")) GTEST_SKIP() << "no /proc/modules";
  // On a clean test machine nothing is loaded from elsewhere.
  for (const Finding& f : HuntKernelModules(*root, "/proc")) ADD_FAILURE() << f.summary;
}

}  // namespace
}  // namespace irk::hunt
