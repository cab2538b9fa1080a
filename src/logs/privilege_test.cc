#include "logs/privilege.h"

#include <gtest/gtest.h>

namespace irk::logs {
namespace {

Event SuEvent(std::string_view message) {
  const Parsed parsed = ParseSu(message);
  EXPECT_EQ(parsed.what, Parsed::What::kEvent) << message;
  return parsed.event;
}

Event SudoEvent(std::string_view message) {
  const Parsed parsed = ParseSudo(message);
  EXPECT_EQ(parsed.what, Parsed::What::kEvent) << message;
  return parsed.event;
}

TEST(ParseSu, ReadsUtilLinuxSuccess) {
  const Event e = SuEvent("(to root) alice on pts/0");
  EXPECT_EQ(e.kind, EventKind::kPrivilege);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "root");
}

TEST(ParseSu, ReadsUtilLinuxFailure) {
  const Event e = SuEvent("FAILED SU (to root) alice on pts/0");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "root");
  EXPECT_EQ(e.reason, "FAILED SU");
}

TEST(ParseSu, ReadsUtilLinuxWithoutTty) {
  const Event e = SuEvent("(to postgres) bob on none");
  EXPECT_EQ(e.user, "bob");
  EXPECT_EQ(e.command, "postgres");
}

TEST(ParseSu, TargetNameCannotSetInvokingUser) {
  const Event e = SuEvent("FAILED SU (to x) mallory on pts/9 (to root) alice on pts/0");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "x) mallory on pts/9 (to root");
}

TEST(ParseSu, ReadsShadowSulogSuccess) {
  const Event e = SuEvent("+ pts/0 alice:root");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "root");
}

TEST(ParseSu, ReadsShadowSulogFailure) {
  const Event e = SuEvent("- pts/0 alice:root");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "root");
}

TEST(ParseSu, SulogTargetWithColonStaysTarget) {
  const Event e = SuEvent("- pts/1 alice:x:root");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "x:root");
}

TEST(ParseSu, ReadsShadowSuccessfulSu) {
  const Event e = SuEvent("Successful su for root by alice");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "root");
}

TEST(ParseSu, ReadsShadowFailedSu) {
  const Event e = SuEvent("FAILED su for root by alice");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "root");
}

TEST(ParseSu, ShadowTargetNameCannotSetInvokingUser) {
  const Event e = SuEvent("FAILED su for x by mallory by alice");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "x by mallory");
}

TEST(ParseSu, UnknownMessageIsUnrecognized) {
  EXPECT_EQ(ParseSu("pam_authenticate: Authentication failure").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseSu("").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseSu("(to root) alice on ").what, Parsed::What::kUnrecognized);
}

TEST(ParseSudo, ReadsCommandRun) {
  const Event e = SudoEvent("alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash");
  EXPECT_EQ(e.kind, EventKind::kPrivilege);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "/bin/bash");
  EXPECT_EQ(e.reason, "");
}

TEST(ParseSudo, SkipsLeadingSpaces) {
  const Event e =
      SudoEvent("    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.command, "/usr/bin/id");
}

TEST(ParseSudo, ReadsIncorrectPasswordAttempts) {
  const Event e = SudoEvent(
      "alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
      "COMMAND=/usr/bin/id");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.reason, "3 incorrect password attempts");
  EXPECT_EQ(e.command, "/usr/bin/id");
}

TEST(ParseSudo, ReadsUserNotInSudoers) {
  const Event e = SudoEvent(
      "mallory : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "mallory");
  EXPECT_EQ(e.reason, "user NOT in sudoers");
}

TEST(ParseSudo, ReadsCommandNotAllowed) {
  const Event e = SudoEvent(
      "bob : command not allowed ; TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/su");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.reason, "command not allowed");
}

TEST(ParseSudo, ReadsPasswordRequired) {
  const Event e = SudoEvent(
      "bob : a password is required ; TTY=unknown ; PWD=/ ; USER=root ; COMMAND=/usr/bin/true");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.reason, "a password is required");
}

TEST(ParseSudo, ReadsNewerFieldsWithEnv) {
  const Event e = SudoEvent(
      "alice : TTY=pts/0 ; PWD=/ ; USER=root ; GROUP=adm ; TSID=000001 ; ENV=LANG=C ; "
      "COMMAND=/usr/bin/tail /var/log/auth.log");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.command, "/usr/bin/tail /var/log/auth.log");
}

TEST(ParseSudo, CommandKeepsItsOwnSemicolonFields) {
  const Event e = SudoEvent(
      "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh -c id ; USER=nobody ; "
      "COMMAND=/bin/true");
  EXPECT_EQ(e.command, "/bin/sh -c id ; USER=nobody ; COMMAND=/bin/true");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
}

TEST(ParseSudo, EnvValueWithSemicolonIsSkipped) {
  const Event e =
      SudoEvent("alice : TTY=pts/0 ; PWD=/ ; USER=root ; ENV=PS1=a ; b ; COMMAND=/usr/bin/id");
  EXPECT_EQ(e.command, "/usr/bin/id");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
}

TEST(ParseSudo, InvokerCannotBeChangedByCommand) {
  const Event e =
      SudoEvent("alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/echo root : TTY=pts/9");
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseSudo, DirectoryNamedLikeFieldsCannotChangeUserOrOutcome) {
  const Event e = SudoEvent(
      "alice : TTY=pts/0 ; PWD=/tmp/x ; COMMAND=/bin/true ; USER=root ; COMMAND=/bin/bash");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.command, "/bin/true ; USER=root ; COMMAND=/bin/bash");
}

TEST(ParseSudo, CommandListIsACommand) {
  const Event e = SudoEvent("devops : TTY=pts/0 ; PWD=/home/devops ; USER=root ; COMMAND=list");
  EXPECT_EQ(e.command, "list");
}

TEST(ParseSudo, UnknownMessageIsUnrecognized) {
  EXPECT_EQ(ParseSudo("something odd").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseSudo("alice : nothing here").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseSudo("   ").what, Parsed::What::kUnrecognized);
}

TEST(ParseSudo, UnresolvableHostIsNotAnEvent) {
  EXPECT_EQ(ParseSudo("unable to resolve host web1: Name or service not known").what,
            Parsed::What::kNotAnEvent);
}

}  // namespace
}  // namespace irk::logs
