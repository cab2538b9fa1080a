#include "contain/sshd_config.h"

#include <gtest/gtest.h>

namespace irk::contain {
namespace {

TEST(ParseSshdConfig, ReadsEveryKeyFileIncludingMatchBlocks) {
  SshdKeySettings settings;
  ParseSshdConfig(
      "# AuthorizedKeysFile /ignored\n"
      "  authorizedkeysfile .ssh/authorized_keys /etc/ssh/keys/%u\n"
      "Include /etc/ssh/sshd_config.d/*.conf\n"
      "TrustedUserCAKeys=/etc/ssh/ca.pub\n"
      "Match User backup\n"
      "\tAuthorizedKeysFile \"/srv/keys/%u file\"\n"
      "AuthorizedKeysCommand /usr/bin/sss_ssh_authorizedkeys %u\n",
      settings);
  EXPECT_EQ(
      settings.authorized_keys_files,
      (std::vector<std::string>{".ssh/authorized_keys", "/etc/ssh/keys/%u", "/srv/keys/%u file"}));
  EXPECT_EQ(settings.includes, (std::vector<std::string>{"/etc/ssh/sshd_config.d/*.conf"}));
  EXPECT_EQ(settings.trusted_user_ca_keys, (std::vector<std::string>{"/etc/ssh/ca.pub"}));
  EXPECT_EQ(settings.authorized_keys_commands,
            (std::vector<std::string>{"/usr/bin/sss_ssh_authorizedkeys"}));
}

TEST(ParseSshdConfig, SkipsOverlongLines) {
  SshdKeySettings settings;
  ParseSshdConfig("AuthorizedKeysFile /" + std::string(kMaxSshdLineBytes, 'a') + "\n", settings);
  EXPECT_TRUE(settings.authorized_keys_files.empty());
}

TEST(ExpandKeysFile, ExpandsTokensAndTakesRelativePathsFromHome) {
  PasswdEntry alice{"alice", 1001, 1001, "", "/home/alice", "/bin/bash"};
  EXPECT_EQ(ExpandKeysFile(".ssh/authorized_keys", alice), "/home/alice/.ssh/authorized_keys");
  EXPECT_EQ(ExpandKeysFile("/etc/ssh/keys/%u.%U", alice), "/etc/ssh/keys/alice.1001");
  EXPECT_EQ(ExpandKeysFile("%h/keys%%", alice), "/home/alice/keys%");
  EXPECT_EQ(ExpandKeysFile("/k/%x", alice), "");
  EXPECT_EQ(ExpandKeysFile("/k/%", alice), "");
  EXPECT_EQ(ExpandKeysFile("none", alice), "");
}

}  // namespace
}  // namespace irk::contain
