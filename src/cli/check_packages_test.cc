// End to end: `irk check --packages` on a dpkg database built in a temp
// folder (--root), and reading this machine's own database.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>
#include "cli/testing/run_irk.h"
#include "integrity/dpkg_database.h"
#include "integrity/testing/tree.h"

namespace irk {
namespace {

namespace fs = std::filesystem;
using integrity::testing::WriteFile;
using testing::IrkRun;
using testing::RunIrk;

std::string Md5(std::string_view text) {
  // The tests' own MD5, through the same OpenSSL as everything else.
  unsigned char md[16];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), md, &size, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned char c : md) hex += fmt::format("{:02x}", c);
  return hex;
}

// A merged-/usr image with two packages: coreutils (ls, cat) and
// openssh-server (sshd and its conffile sshd_config).
struct PackageImage {
  testing::TempDir tmp;
  fs::path root = tmp.path() / "img";
  std::string case_dir = (tmp.path() / "case").string();

  PackageImage() {
    fs::create_directories(root / "usr/bin");
    fs::create_directories(root / "usr/sbin");
    fs::create_directory_symlink("usr/bin", root / "bin");
    WriteFile(root / "usr/bin/ls", "ls");
    WriteFile(root / "usr/bin/cat", "cat");
    WriteFile(root / "usr/sbin/sshd", "sshd");
    WriteFile(root / "etc/ssh/sshd_config", "PermitRootLogin no\n");
    fs::create_symlink("/usr/bin/mawk", root / "usr/bin/awk");
    WriteFile(root / "var/lib/dpkg/status",
              "Package: coreutils\nStatus: install ok installed\nArchitecture: amd64\n"
              "Version: 9.1-1\n\n"
              "Package: openssh-server\nStatus: install ok installed\nArchitecture: amd64\n"
              "Version: 1:9.2p1-2\nConffiles:\n /etc/ssh/sshd_config " +
                  Md5("PermitRootLogin no\n") + "\n");
    WriteFile(root / "var/lib/dpkg/info/coreutils.md5sums",
              Md5("ls") + "  bin/ls\n" + Md5("cat") + "  usr/bin/cat\n");
    WriteFile(root / "var/lib/dpkg/info/coreutils.list", "/.\n/bin\n/bin/ls\n/usr/bin/cat\n");
    WriteFile(root / "var/lib/dpkg/info/openssh-server.md5sums", Md5("sshd") + "  usr/sbin/sshd\n");
    WriteFile(root / "var/lib/dpkg/info/openssh-server.list",
              "/usr/sbin/sshd\n/etc/ssh/sshd_config\n");
    WriteFile(root / "var/lib/dpkg/alternatives/awk", "auto\n/usr/bin/awk\n\n/usr/bin/mawk\n5\n");
  }

  IrkRun Irk(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--case", case_dir, "--root", root.string()});
    return RunIrk(args);
  }
};

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(CheckPackages, FindsNothingOnAnIntactImage) {
  PackageImage image;
  auto run = image.Irk({"check", "--packages"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("2 packages, 4 files checked"), std::string::npos) << run.out;
}

TEST(CheckPackages, FindsAChangedFileAModifiedConffileAndAnUnownedOne) {
  PackageImage image;
  WriteFile(image.root / "usr/bin/ls", "trojan");
  WriteFile(image.root / "etc/ssh/sshd_config", "PermitRootLogin yes\n");
  WriteFile(image.root / "usr/sbin/xmrig", "miner");
  fs::remove(image.root / "usr/bin/cat");
  auto run = image.Irk({"--json", "check", "--packages"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  std::map<std::string, nlohmann::json> by_path;
  for (auto& line : Lines(run.out)) by_path[line["path"]] = line;
  ASSERT_EQ(by_path.size(), 4u) << run.out;
  EXPECT_EQ(by_path["/bin/ls"]["problem"], "changed");
  EXPECT_EQ(by_path["/bin/ls"]["package"], "coreutils");
  EXPECT_EQ(by_path["/bin/ls"]["attributes"]["content"]["old"], "md5:" + Md5("ls"));
  EXPECT_EQ(by_path["/etc/ssh/sshd_config"]["problem"], "conffile-modified");
  EXPECT_EQ(by_path["/usr/bin/cat"]["change"], "removed");
  EXPECT_EQ(by_path["/usr/sbin/xmrig"]["problem"], "unowned");
  EXPECT_EQ(by_path["/usr/sbin/xmrig"]["change"], "added");
}

TEST(CheckPackages, SavesModifiedConfigFilesWithTheirMetadata) {
  PackageImage image;
  const fs::path config = image.root / "etc/ssh/sshd_config";
  WriteFile(config, "PermitRootLogin yes\n");
  chmod(config.c_str(), 0640);
  const fs::path saved = image.tmp.path() / "saved";
  auto run = image.Irk({"check", "--packages", "--save-configs", saved.string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("1 modified config files"), std::string::npos) << run.out;
  EXPECT_EQ(testing::ReadAll(saved / "etc/ssh/sshd_config"), "PermitRootLogin yes\n");
  struct stat original {};
  struct stat copy {};
  ASSERT_EQ(stat(config.c_str(), &original), 0);
  ASSERT_EQ(stat((saved / "etc/ssh/sshd_config").c_str(), &copy), 0);
  EXPECT_EQ(copy.st_mode & 07777, 0640u);
  EXPECT_EQ(copy.st_mtim.tv_sec, original.st_mtim.tv_sec);
  EXPECT_EQ(copy.st_mtim.tv_nsec, original.st_mtim.tv_nsec);
  // The original stays where it was: nothing is moved or deleted.
  EXPECT_TRUE(fs::exists(config));
}

TEST(CheckPackages, RefusesPathsWhichOnlyABaselineCheckTakes) {
  PackageImage image;
  auto run = image.Irk({"check", "--packages", "/usr/bin"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("excludes"), std::string::npos) << run.err;
}

TEST(CheckPackages, NamesPackagesWithoutMd5sums) {
  PackageImage image;
  fs::remove(image.root / "var/lib/dpkg/info/openssh-server.md5sums");
  auto run = image.Irk({"check", "--packages"});
  EXPECT_NE(run.out.find("packages without md5sums (not checked): openssh-server"),
            std::string::npos)
      << run.out;
}

TEST(CheckPackages, RefusesAStatusFileItCannotParseNamingTheLine) {
  PackageImage image;
  WriteFile(image.root / "var/lib/dpkg/status", "Package: x\nthis is not a field\n");
  auto run = image.Irk({"check", "--packages"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("var/lib/dpkg/status:2: expected 'Field: value'"), std::string::npos)
      << run.err;
}

TEST(CheckPackages, CatchesARewrittenMd5sumsWithTheDebArchive) {
  if (system("command -v dpkg-deb >/dev/null") != 0) GTEST_SKIP() << "dpkg-deb is not installed";
  PackageImage image;
  // The .deb of the installed coreutils, as the mirror shipped it.
  const fs::path build = image.tmp.path() / "build";
  WriteFile(build / "DEBIAN/control",
            "Package: coreutils\nVersion: 9.1-1\nArchitecture: amd64\nMaintainer: x <x@x>\n"
            "Description: test\n");
  WriteFile(build / "usr/bin/ls", "ls");
  WriteFile(build / "usr/bin/cat", "cat");
  const fs::path debs = image.tmp.path() / "debs";
  fs::create_directories(debs);
  const std::string command = "dpkg-deb --root-owner-group -b " + build.string() + " " +
                              (debs / "coreutils_9.1-1_amd64.deb").string() + " >/dev/null";
  ASSERT_EQ(system(command.c_str()), 0);
  // The intruder replaces ls and rewrites dpkg's md5sums to match.
  WriteFile(image.root / "usr/bin/ls", "trojan");
  WriteFile(image.root / "var/lib/dpkg/info/coreutils.md5sums",
            Md5("trojan") + "  bin/ls\n" + Md5("cat") + "  usr/bin/cat\n");
  EXPECT_EQ(image.Irk({"check", "--packages"}).exit_code, 0);
  auto run = image.Irk({"--json", "check", "--packages", "--debs", debs.string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 1u) << run.out;
  EXPECT_EQ(lines[0]["path"], "/usr/bin/ls");
  EXPECT_EQ(lines[0]["problem"], "differs-from-deb");
  EXPECT_EQ(lines[0]["package"], "coreutils");
}

TEST(CheckPackages, ReadsThisMachinesDpkgDatabaseWithoutError) {
  const fs::path info = "/var/lib/dpkg/info";
  if (!fs::exists("/var/lib/dpkg/status")) GTEST_SKIP() << "not a dpkg system";
  auto status = integrity::ParseDpkgStatus(testing::ReadAll("/var/lib/dpkg/status"), "status");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_GT(status->size(), 10u);
  size_t md5sums = 0;
  for (const auto& entry : fs::directory_iterator(info)) {
    const std::string name = entry.path().filename().string();
    const std::string text = testing::ReadAll(entry.path());
    if (name.ends_with(".md5sums")) {
      auto parsed = integrity::ParseMd5sums(text, name);
      EXPECT_TRUE(parsed.ok()) << parsed.error().message;
      ++md5sums;
    } else if (name.ends_with(".list")) {
      auto parsed = integrity::ParsePathList(text, name);
      EXPECT_TRUE(parsed.ok()) << parsed.error().message;
    }
  }
  EXPECT_GT(md5sums, 10u);
  for (const auto& entry : fs::directory_iterator("/var/lib/dpkg/alternatives")) {
    auto parsed =
        integrity::ParseAlternativeLinks(testing::ReadAll(entry.path()), entry.path().string());
    EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  }
}

}  // namespace
}  // namespace irk
