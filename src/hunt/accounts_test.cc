#include "hunt/accounts.h"

#include <sys/stat.h>

#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace irk::hunt {
namespace {

constexpr std::string_view kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG+NsXD4pQWcwJK2IFBsPxM0weaQhCBgNOBFZmmR0FlI";
constexpr std::string_view kFingerprint = "SHA256:S19acBcnbfjyqvfK0KukG8tNliLB6frSFg3UQk3lZa8";

void Write(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(ParseAuthorizedKey, GivesTheFingerprintSshKeygenGives) {
  const auto key = ParseAuthorizedKey(std::string(kKey) + " mallory@evil");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->type, "ssh-ed25519");
  EXPECT_EQ(key->fingerprint, kFingerprint);
  EXPECT_EQ(key->comment, "mallory@evil");
  EXPECT_EQ(key->options, "");
}

TEST(ParseAuthorizedKey, ReadsOptionsWithQuotedSpaces) {
  const auto key =
      ParseAuthorizedKey("command=\"/bin/sh -c 'id'\",no-pty " + std::string(kKey) + " a b");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->options, "command=\"/bin/sh -c 'id'\",no-pty");
  EXPECT_EQ(key->fingerprint, kFingerprint);
  EXPECT_EQ(key->comment, "a b");
}

TEST(ParseAuthorizedKey, SkipsCommentsBlanksAndLinesWithoutAKey) {
  EXPECT_FALSE(ParseAuthorizedKey("# ssh-ed25519 AAAA"));
  EXPECT_FALSE(ParseAuthorizedKey("   "));
  EXPECT_FALSE(ParseAuthorizedKey("ssh-ed25519 not*base64!"));
  EXPECT_FALSE(ParseAuthorizedKey("from=\"x\" notakey AAAA"));
}

TEST(HuntAccounts, FindsExtraRootsEmptyPasswordsKeysAndTrust) {
  testing::TempDir tmp;
  const auto img = tmp.path();
  Write(img / "etc/passwd",
        "root:x:0:0:root:/root:/bin/bash\n"
        "toor:x:0:0::/root:/bin/sh\n"
        "alice:x:1000:1000::/home/alice:/bin/bash\n"
        "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n");
  Write(img / "etc/shadow",
        "root:$y$j9T$abc:19000::::::\nalice::19000::::::\ndaemon:*:19000::::::\n");
  Write(img / "home/alice/.ssh/authorized_keys",
        "# mine\n" + std::string(kKey) + " mallory@evil\n");
  Write(img / "home/alice/.rhosts", "+ +\n");
  Write(img / "etc/hosts.equiv", "# nothing\n\n");
  auto root = Root::Open(img);
  const std::vector<Finding> found = HuntAccounts(*root, Now());
  std::map<std::string, int> kinds;
  for (const Finding& f : found) ++kinds[f.kind];
  EXPECT_EQ(kinds["uid0"], 1);
  EXPECT_EQ(kinds["no_password"], 1);
  EXPECT_EQ(kinds["authorized_key"], 1);
  EXPECT_EQ(kinds["trust"], 1);  // an equiv file of comments trusts nobody
  for (const Finding& f : found) {
    if (f.kind == "uid0") {
      EXPECT_EQ(f.user, "toor");
    }
    if (f.kind == "no_password") {
      EXPECT_EQ(f.user, "alice");
    }
    if (f.kind == "authorized_key") {
      EXPECT_EQ(f.severity, Severity::kMedium);  // written just now
      EXPECT_EQ(f.path, "/home/alice/.ssh/authorized_keys");
      EXPECT_NE(f.summary.find(kFingerprint), std::string::npos);
    }
    if (f.kind == "trust") {
      EXPECT_EQ(f.path, "/home/alice/.rhosts");
    }
  }
}

}  // namespace
}  // namespace irk::hunt
