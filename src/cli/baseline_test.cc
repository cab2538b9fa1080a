// End to end: `irk baseline` and `irk check` on system images in temp folders.
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/testing/run_irk.h"
#include "core/sqlite.h"
#include "integrity/testing/keys.h"

namespace irk {
namespace {

namespace fs = std::filesystem;
using testing::IrkRun;
using testing::RunIrk;

// An image with a few binaries, configs and a cron folder, a case, an HMAC
// key, and the policy file naming the image's folders.
struct Image {
  testing::TempDir tmp;
  fs::path root = tmp.path() / "img";
  std::string case_dir = (tmp.path() / "case").string();
  std::string key = (tmp.path() / "irk.key").string();
  std::string config = (tmp.path() / "irk.toml").string();

  Image() {
    integrity::testing::WriteFile(root / "usr/bin/ls", "ls binary");
    integrity::testing::WriteFile(root / "usr/bin/passwd", "passwd binary");
    integrity::testing::WriteFile(root / "etc/ssh/sshd_config", "PermitRootLogin no\n");
    integrity::testing::WriteFile(root / "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    fs::create_directories(root / "etc/cron.d");
    fs::create_symlink("/usr/share/zoneinfo/UTC", root / "etc/localtime");
    integrity::testing::WriteHmacKey(key, 'k');
    integrity::testing::WriteFile(config,
                                  "[[integrity.rule]]\npath = \"/usr/bin\"\n"
                                  "[[integrity.rule]]\npath = \"/etc\"\n");
  }

  IrkRun Irk(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--case", case_dir, "--root", root.string(), "--config", config});
    return RunIrk(args);
  }
  IrkRun Init() const { return Irk({"baseline", "init", "--key-file", key}); }
  IrkRun Check() const { return Irk({"--json", "check", "--key-file", key}); }
};

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// The one finding of a check, which must exit 1.
nlohmann::json OnlyFinding(const Image& image) {
  auto run = image.Check();
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto lines = Lines(run.out);
  EXPECT_EQ(lines.size(), 1u) << run.out;
  return lines.empty() ? nlohmann::json() : lines[0];
}

TEST(BaselineInit, WritesASignedBaselineIntoTheCase) {
  Image image;
  auto run = image.Init();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("signed with hmac-sha256"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("content digest "), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(image.case_dir) / "baseline.db"));
  auto check = image.Irk({"check", "--key-file", image.key});
  EXPECT_EQ(check.exit_code, 0) << check.err << check.out;
  EXPECT_NE(check.out.find("0 added, 0 removed, 0 changed"), std::string::npos) << check.out;
}

TEST(BaselineInit, RefusesToReplaceABaseline) {
  Image image;
  ASSERT_EQ(image.Init().exit_code, 0);
  auto again = image.Init();
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("irk baseline update"), std::string::npos) << again.err;
}

TEST(Check, ReportsEachAttributeTamperedWithOldAndNewValues) {
  struct Case {
    const char* path;
    const char* attribute;
    void (*tamper)(const fs::path& file);
  };
  const Case cases[] = {
      {"/usr/bin/ls", "hash",
       [](const fs::path& f) {
         // Same size, mtime put back: only the content and ctime tell.
         struct stat st {};
         stat(f.c_str(), &st);
         integrity::testing::WriteFile(f, "LS BINARY");
         const struct timespec times[2] = {st.st_atim, st.st_mtim};
         utimensat(AT_FDCWD, f.c_str(), times, 0);
       }},
      {"/usr/bin/ls", "mode", [](const fs::path& f) { chmod(f.c_str(), 0777); }},
      {"/usr/bin/ls", "size", [](const fs::path& f) { fs::resize_file(f, 2); }},
      {"/usr/bin/ls", "inode",
       [](const fs::path& f) {
         fs::copy_file(f, f.string() + ".new");
         fs::rename(f.string() + ".new", f);
       }},
      {"/usr/bin/ls", "links",
       [](const fs::path& f) { fs::create_hard_link(f, f.string() + "2"); }},
      {"/etc/localtime", "target",
       [](const fs::path& f) {
         fs::remove(f);
         fs::create_symlink("/usr/share/zoneinfo/Asia/Tokyo", f);
       }},
      {"/etc/passwd", "mtime",
       [](const fs::path& f) {
         const struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
         utimensat(AT_FDCWD, f.c_str(), times, 0);
       }},
      {"/etc/passwd", "uid", [](const fs::path& f) { (void)chown(f.c_str(), 1234, -1); }},
      {"/etc/passwd", "gid", [](const fs::path& f) { (void)chown(f.c_str(), -1, 1234); }},
      {"/etc/passwd", "xattrs user.backdoor",
       [](const fs::path& f) { setxattr(f.c_str(), "user.backdoor", "1", 1, 0); }},
  };
  for (const Case& c : cases) {
    const std::string attribute = c.attribute;
    if ((attribute == "uid" || attribute == "gid") && geteuid() != 0) continue;
    Image image;
    ASSERT_EQ(image.Init().exit_code, 0);
    c.tamper(image.root / fs::path(c.path).relative_path());
    if (attribute.starts_with("xattrs") &&
        getxattr((image.root / "etc/passwd").c_str(), "user.backdoor", nullptr, 0) < 0) {
      continue;  // no user xattrs on this file system
    }
    auto run = image.Check();
    ASSERT_EQ(run.exit_code, 1) << c.attribute << run.err;
    bool found = false;
    for (const auto& finding : Lines(run.out)) {
      if (finding["path"] == c.path && finding["change"] == "changed" &&
          finding["attributes"].contains(attribute)) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << c.attribute << ": " << run.out;
  }
}

TEST(Check, PutsASetuidGainedFirst) {
  Image image;
  ASSERT_EQ(image.Init().exit_code, 0);
  integrity::testing::WriteFile(image.root / "etc/motd", "hi");
  chmod((image.root / "usr/bin/passwd").c_str(), 04755);
  integrity::testing::WriteFile(image.root / "etc/cron.d/job", "* * * * * root /tmp/x\n");
  auto run = image.Check();
  ASSERT_EQ(run.exit_code, 1);
  auto lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0]["path"], "/usr/bin/passwd");
  EXPECT_EQ(lines[0]["reason"], "setuid gained");
  EXPECT_EQ(lines[0]["attributes"]["mode"]["new"], "4755");
  EXPECT_EQ(lines[1]["path"], "/etc/cron.d/job");
  EXPECT_EQ(lines[1]["change"], "added");
  EXPECT_EQ(lines[2]["path"], "/etc/motd");
}

TEST(Check, ReportsARemovedFileAndLimitsToThePathsGiven) {
  Image image;
  ASSERT_EQ(image.Init().exit_code, 0);
  fs::remove(image.root / "usr/bin/ls");
  chmod((image.root / "etc/passwd").c_str(), 0666);
  auto all = image.Check();
  EXPECT_EQ(all.exit_code, 1);
  EXPECT_EQ(Lines(all.out).size(), 2u) << all.out;
  auto bin = image.Irk({"--json", "check", "--key-file", image.key, "/usr/bin"});
  EXPECT_EQ(bin.exit_code, 1);
  auto lines = Lines(bin.out);
  ASSERT_EQ(lines.size(), 1u) << bin.out;
  EXPECT_EQ(lines[0]["path"], "/usr/bin/ls");
  EXPECT_EQ(lines[0]["change"], "removed");
  // /etc/passwd changed too, but only /etc/ssh was asked about.
  auto ssh = image.Irk({"--json", "check", "--key-file", image.key, "/etc/ssh"});
  EXPECT_EQ(ssh.exit_code, 0) << ssh.out << ssh.err;
}

TEST(Check, RecordsAFifoInTheTreeWithoutHanging) {
  Image image;
  ASSERT_EQ(mkfifo((image.root / "etc/initctl").c_str(), 0600), 0);
  ASSERT_EQ(image.Init().exit_code, 0);
  fs::remove(image.root / "etc/initctl");
  integrity::testing::WriteFile(image.root / "etc/initctl", "now a file");
  auto finding = OnlyFinding(image);
  EXPECT_EQ(finding["attributes"]["type"]["old"], "fifo");
  EXPECT_EQ(finding["attributes"]["type"]["new"], "file");
}

TEST(Check, RefusesAnUnsignedBaselineUnlessTrusted) {
  Image image;
  ASSERT_EQ(image.Irk({"baseline", "init"}).exit_code, 0);
  auto refused = image.Check();
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("not signed"), std::string::npos) << refused.err;
  auto trusted = image.Irk({"check", "--trust-unsigned"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_NE(trusted.err.find("used anyway"), std::string::npos);
}

TEST(Check, RefusesABaselineWithChangedBytesADeletedRowOrTheWrongKey) {
  const char* tampering[] = {
      "UPDATE files SET hash = 'sha256:00' WHERE path = '/usr/bin/ls'",
      "DELETE FROM files WHERE path = '/etc/passwd'",
  };
  for (const char* sql : tampering) {
    Image image;
    ASSERT_EQ(image.Init().exit_code, 0);
    {
      auto db = Database::Open(fs::path(image.case_dir) / "baseline.db", false);
      ASSERT_TRUE(db.ok() && db->Exec(sql).ok());
    }
    auto run = image.Check();
    EXPECT_EQ(run.exit_code, 2) << sql;
    EXPECT_NE(run.err.find("content changed since it was signed"), std::string::npos) << run.err;
  }
  Image image;
  ASSERT_EQ(image.Init().exit_code, 0);
  const std::string other = (image.tmp.path() / "other.key").string();
  integrity::testing::WriteHmacKey(other, 'o');
  auto run = image.Irk({"check", "--key-file", other});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("the key is not the one"), std::string::npos) << run.err;
}

TEST(Check, AcceptsAnEd25519BaselineWithThePublicKeyOnly) {
  Image image;
  integrity::testing::WriteEd25519Pair(image.tmp.path(), "ops");
  const std::string priv = (image.tmp.path() / "ops.pem").string();
  const std::string pub = (image.tmp.path() / "ops.pub").string();
  const std::string db = (image.tmp.path() / "media/baseline.db").string();
  fs::create_directories(image.tmp.path() / "media");
  auto init = image.Irk({"baseline", "init", "--sign-key", priv, "--db", db});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("signed with ed25519"), std::string::npos);
  chmod(db.c_str(), 0400);  // as on read-only media
  auto check = image.Irk({"check", "--verify-key", pub, "--db", db});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  auto hmac = image.Irk({"check", "--key-file", image.key, "--db", db});
  EXPECT_EQ(hmac.exit_code, 2);
  EXPECT_NE(hmac.err.find("signed with ed25519, the key given is hmac-sha256"), std::string::npos);
}

TEST(BaselineUpdate, AcceptsTheChangesAndKeepsTheOldBaseline) {
  Image image;
  ASSERT_EQ(image.Init().exit_code, 0);
  integrity::testing::WriteFile(image.root / "usr/bin/ls", "upgraded ls");
  auto update = image.Irk({"baseline", "update", "--key-file", image.key});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.out.find("accepted 0 added, 0 removed, 1 changed"), std::string::npos)
      << update.out;
  size_t kept = 0;
  for (const auto& entry : fs::directory_iterator(image.case_dir)) {
    if (entry.path().filename().string().starts_with("baseline.db.")) ++kept;
  }
  EXPECT_EQ(kept, 1u);
  EXPECT_EQ(image.Check().exit_code, 0);
  auto journal = image.Irk({"--json", "journal"});
  EXPECT_NE(journal.out.find("\"kind\":\"baseline.update\""), std::string::npos);
}

TEST(BaselineShow, PrintsTheRecordOfAPath) {
  Image image;
  ASSERT_EQ(image.Init().exit_code, 0);
  auto run = image.Irk({"--json", "baseline", "show", "--key-file", image.key, "/etc/localtime"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto record = nlohmann::json::parse(run.out);
  EXPECT_EQ(record["type"], "symlink");
  EXPECT_EQ(record["target"], "/usr/share/zoneinfo/UTC");
  auto missing = image.Irk({"baseline", "show", "--key-file", image.key, "/etc/nothing"});
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace irk
