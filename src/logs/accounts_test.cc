#include "logs/accounts.h"

#include <gtest/gtest.h>

namespace irk::logs {
namespace {

Event AccountEvent(std::string_view message) {
  const Parsed parsed = ParseAccount(message);
  EXPECT_EQ(parsed.what, Parsed::What::kEvent) << message;
  EXPECT_EQ(parsed.event.kind, EventKind::kAccount) << message;
  return parsed.event;
}

TEST(ParseAccount, ReadsNewUser) {
  const std::string_view message =
      "new user: name=mallory, UID=1001, GID=1001, home=/home/mallory, shell=/bin/bash, "
      "from=/dev/pts/0";
  const Event e = AccountEvent(message);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "mallory");
  EXPECT_EQ(e.reason, message);
}

TEST(ParseAccount, HomeDirectoryCannotSetNewUserName) {
  const Event e =
      AccountEvent("new user: name=mallory, UID=0, GID=0, home=/x, name=alice, shell=/bin/bash");
  EXPECT_EQ(e.user, "mallory");
}

TEST(ParseAccount, ReadsNewGroup) {
  EXPECT_EQ(AccountEvent("new group: name=mallory, GID=1001").user, "mallory");
}

TEST(ParseAccount, ReadsGroupAddedToGroupFile) {
  EXPECT_EQ(AccountEvent("group added to /etc/group: name=admins, GID=1005").user, "admins");
}

TEST(ParseAccount, ReadsGroupAddedToGshadow) {
  EXPECT_EQ(AccountEvent("group added to /etc/gshadow: name=admins").user, "admins");
}

TEST(ParseAccount, ReadsAddToGroup) {
  const Event e = AccountEvent("add 'mallory' to group 'sudo'");
  EXPECT_EQ(e.user, "mallory");
  EXPECT_EQ(e.reason, "add 'mallory' to group 'sudo'");
}

TEST(ParseAccount, ReadsAddToShadowGroup) {
  EXPECT_EQ(AccountEvent("add 'mallory' to shadow group 'sudo'").user, "mallory");
}

TEST(ParseAccount, ReadsDeleteFromGroup) {
  EXPECT_EQ(AccountEvent("delete 'mallory' from group 'docker'").user, "mallory");
}

TEST(ParseAccount, ReadsPasswordChangeByUsermod) {
  EXPECT_EQ(AccountEvent("change user 'mallory' password").user, "mallory");
}

TEST(ParseAccount, ReadsUidChange) {
  const Event e = AccountEvent("change user 'x' UID from '1001' to '0'");
  EXPECT_EQ(e.user, "x");
  EXPECT_EQ(e.reason, "change user 'x' UID from '1001' to '0'");
}

TEST(ParseAccount, ReadsShellChange) {
  EXPECT_EQ(AccountEvent("change user 'x' shell from '/bin/false' to '/bin/bash'").user, "x");
}

TEST(ParseAccount, ShellValueCannotSetUser) {
  EXPECT_EQ(AccountEvent("change user 'x' shell from 'y' to 'change user 'root' '").user, "x");
}

TEST(ParseAccount, ReadsRenameAsNewName) {
  EXPECT_EQ(AccountEvent("change user name 'old' to 'new'").user, "new");
}

TEST(ParseAccount, ReadsLock) { EXPECT_EQ(AccountEvent("lock user 'x' password").user, "x"); }

TEST(ParseAccount, ReadsUnlock) { EXPECT_EQ(AccountEvent("unlock user 'y' password").user, "y"); }

TEST(ParseAccount, ReadsDeleteUser) {
  EXPECT_EQ(AccountEvent("delete user 'mallory'").user, "mallory");
}

TEST(ParseAccount, ReadsRemovedGroupAsItsOwner) {
  EXPECT_EQ(AccountEvent("removed group 'staff2' owned by 'mallory'").user, "mallory");
}

TEST(ParseAccount, ReadsGroupRemoved) {
  EXPECT_EQ(AccountEvent("group 'admins' removed from /etc/group").user, "admins");
}

TEST(ParseAccount, ReadsPasswdChangedBy) {
  EXPECT_EQ(AccountEvent("password for 'alice' changed by 'root'").user, "alice");
}

TEST(ParseAccount, ReadsChageExpiry) {
  EXPECT_EQ(AccountEvent("changed password expiry for alice").user, "alice");
}

TEST(ParseAccount, ReadsGpasswdAdd) {
  EXPECT_EQ(AccountEvent("user alice added by root to group sudo").user, "alice");
}

TEST(ParseAccount, ReadsGpasswdRemove) {
  EXPECT_EQ(AccountEvent("user alice removed by root from group sudo").user, "alice");
}

TEST(ParseAccount, ReadsFailedAddAsFailure) {
  const Event e = AccountEvent("failed adding user 'mallory', data deleted");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "mallory");
}

TEST(ParseAccount, UnknownMessageIsUnrecognized) {
  EXPECT_EQ(ParseAccount("useradd: cannot lock /etc/passwd; try again later.").what,
            Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseAccount("add '' to group 'x'").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseAccount("").what, Parsed::What::kUnrecognized);
}

}  // namespace
}  // namespace irk::logs
