#include "logs/logins_local.h"

#include <string>

#include <gtest/gtest.h>

namespace irk::logs {
namespace {

Event EventFrom(Parsed (*parse)(std::string_view), std::string_view message) {
  const Parsed parsed = parse(message);
  EXPECT_EQ(parsed.what, Parsed::What::kEvent) << message;
  return parsed.event;
}

Event LoginEvent(std::string_view message) { return EventFrom(ParseLogin, message); }
Event LogindEvent(std::string_view message) { return EventFrom(ParseLogind, message); }
Event DropbearEvent(std::string_view message) { return EventFrom(ParseDropbear, message); }

std::string Addr(const Event& event) {
  return event.addr ? std::string(event.addr->view()) : std::string("(none)");
}

// ---- login ----

TEST(ParseLogin, ReadsUtilLinuxFailedLogin) {
  const Event e = LoginEvent("FAILED LOGIN 1 FROM tty1 FOR alice, Authentication failure");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "Authentication failure");
  EXPECT_FALSE(e.addr.has_value());
}

TEST(ParseLogin, ReadsUtilLinuxFailedLoginFromRemoteAddress) {
  const Event e = LoginEvent("FAILED LOGIN 2 FROM 198.51.100.4 FOR root, Authentication failure");
  EXPECT_EQ(Addr(e), "198.51.100.4");
  EXPECT_EQ(e.user, "root");
}

TEST(ParseLogin, ReadsUtilLinuxFailedLoginSession) {
  const Event e =
      LoginEvent("FAILED LOGIN SESSION FROM tty1 FOR alice, Maximum number of tries exceeded (5)");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "Maximum number of tries exceeded (5)");
}

TEST(ParseLogin, TypedUserNameWithCommaAndForStaysWhole) {
  const Event e = LoginEvent(
      "FAILED LOGIN 1 FROM tty1 FOR x FROM 192.0.2.9 FOR root, y, Authentication failure");
  EXPECT_EQ(e.user, "x FROM 192.0.2.9 FOR root, y");
  EXPECT_FALSE(e.addr.has_value());
}

TEST(ParseLogin, ReadsShadowFailedLogin) {
  const Event e = LoginEvent("FAILED LOGIN (1) on '/dev/tty1' FOR 'alice', Authentication failure");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "Authentication failure");
}

TEST(ParseLogin, ReadsShadowFailedLoginFromRemoteHost) {
  const Event e = LoginEvent(
      "FAILED LOGIN (3) on '/dev/pts/1' from '203.0.113.8' FOR 'bob', Authentication failure");
  EXPECT_EQ(Addr(e), "203.0.113.8");
  EXPECT_EQ(e.user, "bob");
}

TEST(ParseLogin, ShadowTypedUserWithQuotesCannotSetAddress) {
  const Event e = LoginEvent(
      "FAILED LOGIN (1) on '/dev/tty1' FOR 'x' from '192.0.2.1' FOR 'y', Authentication failure");
  EXPECT_FALSE(e.addr.has_value());
  EXPECT_EQ(e.user, "x' from '192.0.2.1' FOR 'y");
}

TEST(ParseLogin, ReadsShadowTooManyTries) {
  const Event e = LoginEvent("TOO MANY LOGIN TRIES (5) on '/dev/tty1' FOR 'root'");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.reason, "TOO MANY LOGIN TRIES");
}

TEST(ParseLogin, ReadsUtilLinuxTooManyTries) {
  const Event e =
      LoginEvent("TOO MANY LOGIN TRIES (5) FROM tty2 FOR carol, Authentication failure");
  EXPECT_EQ(e.user, "carol");
}

TEST(ParseLogin, ReadsShadowRootLogin) {
  const Event e = LoginEvent("ROOT LOGIN  on '/dev/tty1'");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "root");
  EXPECT_FALSE(e.addr.has_value());
}

TEST(ParseLogin, ReadsShadowRootLoginFromHost) {
  const Event e = LoginEvent("ROOT LOGIN  on '/dev/pts/3' from 'gw.example.org'");
  EXPECT_EQ(Addr(e), "gw.example.org");
}

TEST(ParseLogin, ReadsUtilLinuxRootLogin) {
  const Event e = LoginEvent("ROOT LOGIN ON tty1");
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
}

TEST(ParseLogin, ReadsUtilLinuxRootLoginFromHost) {
  const Event e = LoginEvent("ROOT LOGIN ON pts/2 FROM 203.0.113.20");
  EXPECT_EQ(Addr(e), "203.0.113.20");
}

TEST(ParseLogin, HostNameWithEmptyLabelIsNoAddress) {
  const Event e = LoginEvent("ROOT LOGIN ON pts/2 FROM 203.0.113..");
  EXPECT_FALSE(e.addr.has_value());
}

TEST(ParseLogin, AddressWithNulIsNoAddress) {
  using std::string_literals::operator""s;
  const Event e = LoginEvent("FAILED LOGIN 1 FROM 192.0.2.1\0x FOR root, Authentication failure"s);
  EXPECT_FALSE(e.addr.has_value());
}

TEST(ParseLogin, ReadsUtilLinuxLoginBy) {
  const Event e = LoginEvent("LOGIN ON tty1 BY alice");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseLogin, ReadsUtilLinuxLoginByFromHost) {
  const Event e = LoginEvent("LOGIN ON pts/4 BY alice FROM 2001:db8::7");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(Addr(e), "2001:db8::7");
}

TEST(ParseLogin, ReadsShadowLoggedIn) {
  const Event e = LoginEvent("'alice' logged in on '/dev/tty2'");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
}

TEST(ParseLogin, ReadsShadowLoggedInFromHost) {
  const Event e = LoginEvent("'alice' logged in on '/dev/pts/0' from '198.51.100.30'");
  EXPECT_EQ(Addr(e), "198.51.100.30");
}

TEST(ParseLogin, ReadsUserLoginOnTty) {
  const Event e = LoginEvent("alice LOGIN on 'tty1'");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
}

TEST(ParseLogin, UnknownMessageIsUnrecognized) {
  EXPECT_EQ(ParseLogin("pam_unix(login:session): session opened").what,
            Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseLogin("FAILED LOGIN x").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseLogin("").what, Parsed::What::kUnrecognized);
}

// ---- logind ----

TEST(ParseLogind, ReadsNewSession) {
  const Event e = LogindEvent("New session 12 of user alice.");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseLogind, ReadsNewSessionOfV255) {
  const Event e = LogindEvent("New session '12' of user 'alice' with class 'user' and type 'tty'.");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseLogind, ReadsBackgroundSessionId) {
  const Event e = LogindEvent("New session c3 of user gdm.");
  EXPECT_EQ(e.user, "gdm");
}

TEST(ParseLogind, ReadsRemovedSessionAsClosed) {
  const Event e = LogindEvent("Removed session 12.");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.user, "");
}

TEST(ParseLogind, LoggedOutIsNotAnEvent) {
  EXPECT_EQ(ParseLogind("Session 12 logged out. Waiting for processes to exit.").what,
            Parsed::What::kNotAnEvent);
}

TEST(ParseLogind, SeatsButtonsAndKeysAreNotEvents) {
  EXPECT_EQ(ParseLogind("New seat seat0.").what, Parsed::What::kNotAnEvent);
  EXPECT_EQ(ParseLogind("Watching system buttons on /dev/input/event0 (Power Button)").what,
            Parsed::What::kNotAnEvent);
  EXPECT_EQ(ParseLogind("Power key pressed short.").what, Parsed::What::kNotAnEvent);
}

TEST(ParseLogind, UnknownMessageIsUnrecognized) {
  EXPECT_EQ(ParseLogind("New session of user.").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseLogind("Something new").what, Parsed::What::kUnrecognized);
}

// ---- dropbear ----

TEST(ParseDropbear, ReadsBadPassword) {
  const Event e = DropbearEvent("Bad password attempt for 'root' from 203.0.113.5:4022");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.method, "password");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.port, 4022);
}

TEST(ParseDropbear, UserNameCannotSetAddress) {
  const Event e =
      DropbearEvent("Bad password attempt for 'x' from 192.0.2.1:1' from 203.0.113.5:4022");
  EXPECT_EQ(e.user, "x' from 192.0.2.1:1");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.port, 4022);
}

TEST(ParseDropbear, ReadsNonexistentUser) {
  const Event e = DropbearEvent("Login attempt for nonexistent user 'admin' from 203.0.113.5:4022");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "admin");
  EXPECT_EQ(e.user_valid, false);
}

TEST(ParseDropbear, ReadsOlderNonexistentUserWithoutName) {
  const Event e = DropbearEvent("Login attempt for nonexistent user from 203.0.113.5:4022");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseDropbear, ReadsPasswordSuccess) {
  const Event e = DropbearEvent("Password auth succeeded for 'alice' from 198.51.100.9:52000");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.method, "password");
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseDropbear, ReadsPubkeySuccess) {
  const Event e = DropbearEvent(
      "Pubkey auth succeeded for 'alice' with ssh-ed25519 key SHA256:abcDEF012 from "
      "198.51.100.9:52000");
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.method, "publickey");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.key, "ssh-ed25519 key SHA256:abcDEF012");
}

TEST(ParseDropbear, ReadsOlderPubkeySuccess) {
  const Event e = DropbearEvent(
      "Pubkey auth succeeded for 'alice' with key sha1!! 12:34:56:78 from 198.51.100.9:52000");
  EXPECT_EQ(e.key, "key sha1!! 12:34:56:78");
}

TEST(ParseDropbear, PubkeyUserNameCannotSetKeyOrAddress) {
  const Event e = DropbearEvent(
      "Pubkey auth succeeded for 'x' with key md5 00 from 192.0.2.1:1' with key md5 11 from "
      "198.51.100.9:52000");
  EXPECT_EQ(e.user, "x' with key md5 00 from 192.0.2.1:1");
  EXPECT_EQ(Addr(e), "198.51.100.9");
}

TEST(ParseDropbear, ReadsPubkeyBadSignatureAsFailure) {
  const Event e =
      DropbearEvent("Pubkey auth bad signature for 'bob' with key md5 00:11 from 203.0.113.5:4022");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.method, "publickey");
}

TEST(ParseDropbear, ReadsMaxAuthTries) {
  const Event e = DropbearEvent("Max auth tries reached - user 'root' from 203.0.113.5:4022");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.reason, "Max auth tries reached");
}

TEST(ParseDropbear, ReadsExitBeforeAuthAsFailedConnection) {
  const Event e = DropbearEvent(
      "Exit before auth from <203.0.113.5:4022>: (user 'root', 10 fails): Max auth tries reached "
      "- user 'root'");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.port, 4022);
  EXPECT_EQ(e.reason, "(user 'root', 10 fails): Max auth tries reached - user 'root'");
}

TEST(ParseDropbear, ExitReasonCannotSetAddress) {
  const Event e = DropbearEvent("Exit before auth from <203.0.113.5:4022>: from <192.0.2.1:1>");
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseDropbear, ReadsExitBeforeAuthWithoutAddress) {
  const Event e = DropbearEvent("Exit before auth: Exited normally");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_FALSE(e.addr.has_value());
  EXPECT_EQ(e.reason, "Exited normally");
}

TEST(ParseDropbear, ReadsChildConnection) {
  const Event e = DropbearEvent("Child connection from 203.0.113.5:4022");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseDropbear, ReadsBracketedIpv6) {
  const Event e = DropbearEvent("Child connection from [2001:db8::5]:4022");
  EXPECT_EQ(Addr(e), "2001:db8::5");
  EXPECT_EQ(e.port, 4022);
}

TEST(ParseDropbear, ReadsSessionExit) {
  const Event e = DropbearEvent("Exit (alice) from <198.51.100.9:52000>: Disconnect received");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(Addr(e), "198.51.100.9");
}

TEST(ParseDropbear, ReadsOlderSessionExit) {
  const Event e = DropbearEvent("exit after auth (ubnt): Disconnect received");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.user, "ubnt");
}

TEST(ParseDropbear, RootLoginRejectedIsRefusal) {
  const Event e = DropbearEvent("root login rejected");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "root");
}

TEST(ParseDropbear, MalformedAddressIsUnrecognized) {
  EXPECT_EQ(ParseDropbear("Bad password attempt for 'root' from 203.0.113.5").what,
            Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseDropbear("Bad password attempt for 'root' from 203.0.113.5:99999").what,
            Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseDropbear("Child connection from host.example:22").what,
            Parsed::What::kUnrecognized);
}

TEST(ParseDropbear, AddressWithNulIsUnrecognized) {
  // Found by logins_local_fuzz: IpAddress::Parse stops at a NUL, so
  // "2001:db8::<NUL>%5" passed as an address the input never wrote.
  using std::string_literals::operator""s;
  const std::string message = "Child connection from [2001:db8::\0%5]:4022"s;
  EXPECT_EQ(ParseDropbear(message).what, Parsed::What::kUnrecognized);
}

TEST(ParseDropbear, DaemonNotesAreNotEvents) {
  EXPECT_EQ(ParseDropbear("Running in background").what, Parsed::What::kNotAnEvent);
  EXPECT_EQ(ParseDropbear("Not backgrounding").what, Parsed::What::kNotAnEvent);
}

}  // namespace
}  // namespace irk::logs
