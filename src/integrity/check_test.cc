#include "integrity/check.h"

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include "integrity/testing/tree.h"

namespace irk::integrity {
namespace {

FileRecord File(std::string path, uint32_t mode = 0755) {
  FileRecord record;
  record.path = std::move(path);
  record.attributes = kAllAttributes;
  record.type = FileType::kRegular;
  record.mode = mode;
  record.hash = "sha256:00";
  return record;
}

TEST(Judge, RanksSetuidGainedFirst) {
  const FileRecord then = File("/usr/local/share/x");
  const FileRecord now = File("/usr/local/share/x", 04755);
  auto finding = Judge(&then, &now);
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->change, Change::kChanged);
  EXPECT_EQ(finding->severity, Severity::kPrivilege);
  EXPECT_EQ(finding->reason, "setuid gained");
}

TEST(Judge, RanksANewSetuidFileAndNewCapabilitiesAsPrivilege) {
  const FileRecord added = File("/tmp/sh", 04755);
  EXPECT_EQ(Judge(nullptr, &added)->severity, Severity::kPrivilege);
  const FileRecord then = File("/opt/tool");
  FileRecord now = then;
  now.xattrs = {{"security.capability", "x"}};
  auto finding = Judge(&then, &now);
  EXPECT_EQ(finding->severity, Severity::kPrivilege);
  EXPECT_EQ(finding->reason, "capabilities gained");
}

TEST(Judge, RanksBinariesLibrariesAndPersistenceAboveTheRest) {
  FileRecord ls = File("/usr/bin/ls");
  FileRecord ls_now = ls;
  ls_now.hash = "sha256:ff";
  EXPECT_EQ(Judge(&ls, &ls_now)->reason, "binary in PATH");
  FileRecord libc = File("/usr/lib/x86_64-linux-gnu/libc.so.6");
  FileRecord libc_now = libc;
  libc_now.hash = "sha256:ff";
  EXPECT_EQ(Judge(&libc, &libc_now)->reason, "library");
  const FileRecord cron = File("/etc/cron.d/backdoor", 0644);
  EXPECT_EQ(Judge(nullptr, &cron)->reason, "cron");
  const FileRecord key = File("/home/alice/.ssh/authorized_keys", 0600);
  EXPECT_EQ(Judge(nullptr, &key)->reason, "SSH key");
  const FileRecord pam = File("/usr/lib/x86_64-linux-gnu/security/pam_unix.so", 0644);
  FileRecord pam_now = pam;
  pam_now.size = 1;
  EXPECT_EQ(Judge(&pam, &pam_now)->severity, Severity::kExecutable);
  const FileRecord motd = File("/etc/motd", 0644);
  EXPECT_EQ(Judge(nullptr, &motd)->severity, Severity::kOther);
}

TEST(Judge, DescribesAddedAndRemovedEntries) {
  const FileRecord gone = File("/usr/sbin/sshd");
  auto removed = Judge(&gone, nullptr);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->change, Change::kRemoved);
  EXPECT_EQ(removed->attributes[0].attribute, "type");
  EXPECT_EQ(removed->attributes[0].old_value, "file");
  EXPECT_EQ(removed->attributes[0].new_value, "(none)");
  EXPECT_FALSE(Judge(&gone, &gone));
}

TEST(SortFindings, PutsSeverityFirstThenPath) {
  std::vector<Finding> findings = {{"/etc/motd", Change::kChanged, Severity::kOther, "", {}},
                                   {"/usr/bin/b", Change::kChanged, Severity::kExecutable, "", {}},
                                   {"/usr/bin/a", Change::kAdded, Severity::kExecutable, "", {}},
                                   {"/tmp/x", Change::kAdded, Severity::kPrivilege, "", {}}};
  SortFindings(findings);
  EXPECT_EQ(findings[0].path, "/tmp/x");
  EXPECT_EQ(findings[1].path, "/usr/bin/a");
  EXPECT_EQ(findings[2].path, "/usr/bin/b");
  EXPECT_EQ(findings[3].path, "/etc/motd");
}

TEST(CheckAgainstBaseline, FindsAddedRemovedAndChangedFilesInAnImage) {
  irk::testing::TempDir tmp;
  const auto image = tmp.path() / "image";
  testing::WriteFile(image / "usr/bin/ls", "ls");
  testing::WriteFile(image / "usr/bin/ps", "ps");
  testing::WriteFile(image / "usr/bin/cat", "cat");
  Policy policy;
  policy.rules.push_back(Rule{"/usr/bin", kAllAttributes, HashAlgorithm::kSha256, {}});
  auto root = Root::Open(image);
  const auto file = tmp.path() / "baseline.db";
  {
    auto baseline = Baseline::Create(file, policy, image.string());
    ASSERT_TRUE(baseline.ok());
    auto scan = Scan(*root, policy, ScanOptions{},
                     [&](std::vector<FileRecord>& batch) { return baseline->Add(batch); });
    ASSERT_TRUE(scan.ok());
    ASSERT_TRUE(baseline->Finish().ok());
  }
  testing::WriteFile(image / "usr/bin/ps", "trojan ps");
  std::filesystem::remove(image / "usr/bin/cat");
  testing::WriteFile(image / "usr/bin/.x", "dropper");
  auto baseline = Baseline::Open(file);
  auto findings = CheckAgainstBaseline(*baseline, *root, policy, ScanOptions{}, {});
  ASSERT_TRUE(findings.ok()) << findings.error().message;
  std::vector<std::string> seen;
  for (const Finding& f : *findings) {
    seen.push_back(std::string(ChangeName(f.change)) + " " + f.path);
  }
  // A binary added or changed ranks above one removed.
  EXPECT_EQ(seen, (std::vector<std::string>{"added /usr/bin/.x", "changed /usr/bin/ps",
                                            "removed /usr/bin/cat"}));
}

}  // namespace
}  // namespace irk::integrity
