#include "logs/pam.h"

#include <string>

#include <gtest/gtest.h>

namespace irk::logs {
namespace {

Event EventOf(std::string_view message) {
  const Parsed parsed = ParsePam(message);
  EXPECT_EQ(parsed.what, Parsed::What::kEvent) << message;
  return parsed.event;
}

std::string Addr(const Event& event) {
  return event.addr ? std::string(event.addr->view()) : std::string("(none)");
}

TEST(ParsePam, ReadsAuthenticationFailureWithUserAndAddress) {
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=203.0.113.5  user=alice");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.reason, "authentication failure");
}

TEST(ParsePam, ReadsAuthenticationFailureWithoutUser) {
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=198.51.100.7 ");
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(Addr(e), "198.51.100.7");
}

TEST(ParsePam, ReadsAuthenticationFailureWithoutTrailingSpace) {
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=2001:db8::5");
  EXPECT_EQ(Addr(e), "2001:db8::5");
}

TEST(ParsePam, KeepsHostNameOfRhost) {
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=host.example.net  user=root");
  EXPECT_EQ(Addr(e), "host.example.net");
  EXPECT_FALSE(e.addr->is_ip());
  EXPECT_EQ(e.user, "root");
}

TEST(ParsePam, LeavesAddressOutWhenRhostIsEmpty) {
  const Event e = EventOf(
      "pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 "
      "ruser=bob rhost=  user=root");
  EXPECT_FALSE(e.addr.has_value());
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.kind, EventKind::kAuth);
}

TEST(ParsePam, ReadsSingleSpaceBeforeUserAsPamSssWrites) {
  const Event e = EventOf(
      "pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=203.0.113.9 user=carol");
  EXPECT_EQ(Addr(e), "203.0.113.9");
  EXPECT_EQ(e.user, "carol");
}

TEST(ParsePam, HostNameWithEmptyLabelIsNoAddress) {
  // Found by pam_fuzz: "203.0.113.." was taken as the host name "203.0.113.".
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=203.0.113..  user=alice");
  EXPECT_FALSE(e.addr.has_value());
  EXPECT_EQ(e.user, "alice");
}

TEST(ParsePam, RhostWithNulIsNoAddress) {
  using std::string_literals::operator""s;
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=192.0.2.1\0junk  user=alice"s);
  EXPECT_FALSE(e.addr.has_value());
}

TEST(ParsePam, HostileRuserCannotSetAddress) {
  const Event e = EventOf(
      "pam_unix(rlogin:auth): authentication failure; logname= uid=0 euid=0 tty=rlogin "
      "ruser=x rhost=192.0.2.66 rhost=203.0.113.5  user=alice");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.user, "alice");
}

TEST(ParsePam, HostileUserCannotSetAddress) {
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=203.0.113.5  user=x rhost=192.0.2.66");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.user, "x rhost=192.0.2.66");
}

TEST(ParsePam, HostileUserWithWholeTailCannotSetAddressOrUser) {
  const Event e = EventOf(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=203.0.113.5  user=x rhost=192.0.2.66  user=root");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.user, "x rhost=192.0.2.66  user=root");
}

TEST(ParsePam, ReadsMoreAuthenticationFailures) {
  const Event e = EventOf(
      "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=203.0.113.5  user=root");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.reason, "2 more authentication failures");
}

TEST(ParsePam, ReadsOneMoreAuthenticationFailure) {
  const Event e = EventOf(
      "PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=198.51.100.2  user=admin");
  EXPECT_EQ(e.user, "admin");
  EXPECT_EQ(e.reason, "1 more authentication failure");
}

TEST(ParsePam, IgnoringMaxRetriesIsNotAnEvent) {
  EXPECT_EQ(ParsePam("PAM service(sshd) ignoring max retries; 5 > 3").what,
            Parsed::What::kNotAnEvent);
}

TEST(ParsePam, CheckPassUserUnknownIsFailureOfInvalidUser) {
  const Event e = EventOf("pam_unix(sshd:auth): check pass; user unknown");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(e.user, "");
}

TEST(ParsePam, BadUsernameIsFailureOfInvalidUser) {
  const Event e = EventOf("pam_unix(sshd:auth): bad username [x y]");
  EXPECT_EQ(e.user, "x y");
  EXPECT_EQ(e.user_valid, false);
}

TEST(ParsePam, ReadsSessionOpenedWithUid) {
  const Event e =
      EventOf("pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParsePam, ReadsOlderSessionOpenedWithoutUid) {
  const Event e = EventOf("pam_unix(sshd:session): session opened for user alice by (uid=0)");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
}

TEST(ParsePam, ReadsSuSessionOpenedByAnotherUser) {
  const Event e =
      EventOf("pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)");
  EXPECT_EQ(e.user, "root");
}

TEST(ParsePam, ReadsSessionClosedWithoutOutcome) {
  const Event e = EventOf("pam_unix(sshd:session): session closed for user alice");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParsePam, CronSessionIsASession) {
  const Event e = EventOf("pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.user, "root");
}

TEST(ParsePam, SystemdUserSessionIsASession) {
  const Event e =
      EventOf("pam_unix(systemd-user:session): session opened for user alice(uid=1000) by (uid=0)");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParsePam, FaillockLockIsRefusal) {
  const Event e = EventOf(
      "pam_faillock(sshd:auth): Consecutive login failures for user alice account temporarily "
      "locked");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "account temporarily locked");
}

TEST(ParsePam, Tally2DenialIsRefusal) {
  const Event e = EventOf("pam_tally2(sshd:auth): user alice (1000) tally 4, deny 3");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "tally 4, deny 3");
}

TEST(ParsePam, TallyOverflowIsRefusal) {
  const Event e = EventOf("pam_tally2(login:auth): Tally overflowed for user bob");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "bob");
}

TEST(ParsePam, SssReceivedErrorIsFailure) {
  const Event e =
      EventOf("pam_sss(sshd:auth): received for user alice: 7 (Authentication failure)");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "Authentication failure");
}

TEST(ParsePam, LdapErrorWithUserIsFailure) {
  const Event e = EventOf("pam_ldap(sshd:auth): Authentication failure; user=dave");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "dave");
}

TEST(ParsePam, LdapUnknownUserIsFailure) {
  const Event e = EventOf(
      "pam_ldap(sshd:auth): User not known to the underlying authentication module; user=eve");
  EXPECT_EQ(e.user, "eve");
  EXPECT_EQ(e.reason, "User not known to the underlying authentication module");
}

TEST(ParsePam, ExpiredAccountIsRefusal) {
  const Event e = EventOf("pam_unix(sshd:account): account alice has expired (account expired)");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "account expired");
}

TEST(ParsePam, UnmetRequirementIsRefusal) {
  const Event e =
      EventOf("pam_succeed_if(sshd:auth): requirement \"uid >= 1000\" not met by user \"root\"");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.reason, "uid >= 1000");
}

TEST(ParsePam, PasswdPasswordChangeIsAccountEvent) {
  const Event e = EventOf("pam_unix(passwd:chauthtok): password changed for alice");
  EXPECT_EQ(e.kind, EventKind::kAccount);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "password changed");
}

TEST(ParsePam, ChpasswdPasswordChangeIsAccountEvent) {
  const Event e = EventOf("pam_unix(chpasswd:chauthtok): password changed for bob");
  EXPECT_EQ(e.kind, EventKind::kAccount);
  EXPECT_EQ(e.user, "bob");
}

TEST(ParsePam, SystemdModuleNotesAreNotEvents) {
  EXPECT_EQ(
      ParsePam("pam_systemd(sshd:session): Failed to create session: Connection refused").what,
      Parsed::What::kNotAnEvent);
}

TEST(ParsePam, UnknownPamTextIsUnrecognized) {
  EXPECT_EQ(ParsePam("pam_unix(sshd:auth): something new happened").what,
            Parsed::What::kUnrecognized);
}

TEST(ParsePam, NonPamMessageIsUnrecognized) {
  EXPECT_EQ(ParsePam("Failed password for root from 203.0.113.5 port 22 ssh2").what,
            Parsed::What::kUnrecognized);
  EXPECT_EQ(ParsePam("PAM: Authentication failure for root from 203.0.113.5").what,
            Parsed::What::kUnrecognized);
  EXPECT_EQ(ParsePam("pam_unix").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParsePam("").what, Parsed::What::kUnrecognized);
}

TEST(ParsePam, ViewsPointIntoTheMessage) {
  const std::string message =
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
      "rhost=203.0.113.5  user=alice";
  const Event e = EventOf(message);
  EXPECT_GE(e.user.data(), message.data());
  EXPECT_LE(e.user.data() + e.user.size(), message.data() + message.size());
}

}  // namespace
}  // namespace irk::logs
