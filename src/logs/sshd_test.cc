#include "logs/sshd.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "logs/testing/sshd_events.h"

namespace irk::logs {
namespace {

using testing::Addr;
using testing::EventOf;
using testing::Port;

// --- Failed / Accepted / Postponed / Partial ---------------------------------

TEST(ParseSshd, FailedPasswordForAValidUserIsAnAuthFailure) {
  const Event e = EventOf("Failed password for alice from 203.0.113.5 port 52100 ssh2");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.method, "password");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.user_valid, true);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(Port(e), 52100);
  EXPECT_EQ(e.key, "");
}

TEST(ParseSshd, FailedPasswordForAnInvalidUserMarksTheUserInvalid) {
  const Event e =
      EventOf("Failed password for invalid user admin from 203.0.113.5 port 52100 ssh2");
  EXPECT_EQ(e.user, "admin");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseSshd, FailedNamesEveryMethod) {
  for (std::string_view method : {"password", "publickey", "keyboard-interactive/pam",
                                  "gssapi-with-mic", "hostbased", "none"}) {
    const std::string line =
        "Failed " + std::string(method) + " for root from 198.51.100.7 port 2222 ssh2";
    const Event e = EventOf(line);
    EXPECT_EQ(e.method, method);
    EXPECT_EQ(e.outcome, Outcome::kFailure);
    EXPECT_EQ(e.user, "root");
  }
}

TEST(ParseSshd, FailedNoneForAnInvalidUser) {
  const Event e = EventOf("Failed none for invalid user guest from 192.0.2.44 port 40022 ssh2");
  EXPECT_EQ(e.method, "none");
  EXPECT_EQ(e.user, "guest");
  EXPECT_EQ(e.user_valid, false);
}

TEST(ParseSshd, FailedNoneForAnEmptyInvalidUser) {
  const Event e = EventOf("Failed none for invalid user  from 192.0.2.44 port 40022 ssh2");
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(Addr(e), "192.0.2.44");
}

TEST(ParseSshd, FailedPublickeyKeepsTheOfferedKey) {
  const Event e = EventOf(
      "Failed publickey for root from 203.0.113.9 port 41800 ssh2: RSA "
      "SHA256:2Zv1x9bP8Zl0kQm7GqJ9s0X0aF3Zz0b1cQ2dE3fG4hI");
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.key, "RSA SHA256:2Zv1x9bP8Zl0kQm7GqJ9s0X0aF3Zz0b1cQ2dE3fG4hI");
  EXPECT_EQ(Addr(e), "203.0.113.9");
}

TEST(ParseSshd, AcceptedPublickeyIsASuccessWithItsKey) {
  const Event e = EventOf(
      "Accepted publickey for alice from 192.0.2.10 port 50514 ssh2: ED25519 "
      "SHA256:q9fY1Bv6m8Yx2LJ3QwZkR0fTt9m4Pp7sXhC1dE2fG3H");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.method, "publickey");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.user_valid, true);
  EXPECT_EQ(e.key, "ED25519 SHA256:q9fY1Bv6m8Yx2LJ3QwZkR0fTt9m4Pp7sXhC1dE2fG3H");
  EXPECT_EQ(Port(e), 50514);
}

TEST(ParseSshd, AcceptedCertificateKeepsTheWholeCertificateInKey) {
  const Event e = EventOf(
      "Accepted publickey for alice from 192.0.2.10 port 50514 ssh2: ED25519-CERT "
      "SHA256:q9fY1Bv6m8Yx2LJ3QwZkR0fTt9m4Pp7sXhC1dE2fG3H ID alice@example (serial 5) CA ED25519 "
      "SHA256:Zk3LmN0pQ1rS2tU3vW4xY5zA6bC7dE8fG9hI0jK1lM2");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(Addr(e), "192.0.2.10");
  EXPECT_EQ(e.key,
            "ED25519-CERT SHA256:q9fY1Bv6m8Yx2LJ3QwZkR0fTt9m4Pp7sXhC1dE2fG3H ID alice@example "
            "(serial 5) CA ED25519 SHA256:Zk3LmN0pQ1rS2tU3vW4xY5zA6bC7dE8fG9hI0jK1lM2");
}

TEST(ParseSshd, AcceptedKeyboardInteractiveKeepsTheSubmethod) {
  const Event e =
      EventOf("Accepted keyboard-interactive/pam for bob from 2001:db8::5 port 60022 ssh2");
  EXPECT_EQ(e.method, "keyboard-interactive/pam");
  EXPECT_EQ(Addr(e), "2001:db8::5");
}

TEST(ParseSshd, PostponedIsAnAttemptWithoutOutcome) {
  const Event e = EventOf(
      "Postponed keyboard-interactive/pam for alice from 192.0.2.10 port 50514 ssh2 [preauth]");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.reason, "Postponed");
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseSshd, PartialIsOneFactorPassedNotALogin) {
  const Event e = EventOf(
      "Partial publickey for alice from 192.0.2.10 port 50514 ssh2: ED25519 "
      "SHA256:q9fY1Bv6m8Yx2LJ3QwZkR0fTt9m4Pp7sXhC1dE2fG3H");
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.reason, "Partial");
  EXPECT_EQ(e.method, "publickey");
  EXPECT_EQ(e.key, "ED25519 SHA256:q9fY1Bv6m8Yx2LJ3QwZkR0fTt9m4Pp7sXhC1dE2fG3H");
}

TEST(ParseSshd, ReadsTheSsh1FormWithoutSsh2) {
  const Event e = EventOf("Accepted rsa for alice from 192.0.2.10 port 1022");
  EXPECT_EQ(e.method, "rsa");
  EXPECT_EQ(Port(e), 1022);
  EXPECT_EQ(Addr(e), "192.0.2.10");
}

TEST(ParseSshd, ReadsTheOldFormWithoutPort) {
  const Event e = EventOf("Failed password for alice from 192.0.2.10");
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(Addr(e), "192.0.2.10");
  EXPECT_FALSE(e.port);
}

TEST(ParseSshd, ReadsTheOldIllegalUserWording) {
  const Event e =
      EventOf("Failed password for illegal user test from ::ffff:203.0.113.5 port 4801 ssh2");
  EXPECT_EQ(e.user, "test");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseSshd, ShowsIpv4MappedIpv6AsIpv4) {
  const Event e = EventOf("Failed password for root from ::ffff:203.0.113.5 port 22 ssh2");
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseSshd, KeepsTheZoneOfALinkLocalAddress) {
  const Event e = EventOf("Failed password for root from fe80::1%eth0 port 22 ssh2");
  EXPECT_EQ(Addr(e), "fe80::1%eth0");
}

TEST(ParseSshd, TakesAHostNameWhereUseDnsWroteOne) {
  const Event e = EventOf("Failed password for root from host.example.net port 22 ssh2");
  EXPECT_EQ(Addr(e), "host.example.net");
  EXPECT_FALSE(e.addr->is_ip());
}

TEST(ParseSshd, UnknownAddressLeavesAddrOut) {
  const Event e = EventOf("Connection closed by UNKNOWN port 65535 [preauth]");
  EXPECT_FALSE(e.addr);
  EXPECT_EQ(Port(e), 65535);
}

TEST(ParseSshd, PortOutOfRangeIsNotSshdOutput) {
  EXPECT_EQ(ParseSshd("Failed password for root from 192.0.2.1 port 99999 ssh2").what,
            Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseSshd("Invalid user x from 192.0.2.1 port 0").what, Parsed::What::kUnrecognized);
}

// --- Hostile text --------------------------------------------------------------

TEST(ParseSshd, FailedTakesTheLastFromPortSsh2) {
  const Event e = EventOf(
      "Failed password for invalid user root from 192.0.2.1 port 22 ssh2 from 198.51.100.8 port "
      "2222 ssh2");
  EXPECT_EQ(Addr(e), "198.51.100.8");
  EXPECT_EQ(Port(e), 2222);
  EXPECT_EQ(e.user, "root from 192.0.2.1 port 22 ssh2");
  EXPECT_EQ(e.user_valid, false);
}

TEST(ParseSshd, AUserThatMimicsAKeyCannotSetTheAddress) {
  const Event e = EventOf(
      "Failed publickey for invalid user x from 192.0.2.1 port 1 ssh2: RSA SHA256:aaaa from "
      "198.51.100.8 port 2222 ssh2: ED25519 SHA256:bbbb");
  EXPECT_EQ(Addr(e), "198.51.100.8");
  EXPECT_EQ(e.user, "x from 192.0.2.1 port 1 ssh2: RSA SHA256:aaaa");
  EXPECT_EQ(e.key, "ED25519 SHA256:bbbb");
}

TEST(ParseSshd, AmbiguousUserAndCertificateIdLeaveAddressOut) {
  const Event e = EventOf(
      "Failed publickey for invalid user x from 192.0.2.1 port 1 ssh2: ED25519-CERT SHA256:aaaa "
      "ID y from 198.51.100.8 port 2222 ssh2: ED25519-CERT SHA256:bbbb ID z (serial 1) CA ED25519 "
      "SHA256:cccc");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_FALSE(e.addr);
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(e.key, "");
}

TEST(ParseSshd, InvalidUserTakesTheLastFrom) {
  const Event e = EventOf("Invalid user x from 192.0.2.1 from 198.51.100.8 port 22");
  EXPECT_EQ(Addr(e), "198.51.100.8");
  EXPECT_EQ(e.user, "x from 192.0.2.1");
}

TEST(ParseSshd, ConnectionClosedTakesTheLastAddressAndPort) {
  const Event e = EventOf(
      "Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 "
      "[preauth]");
  EXPECT_EQ(Addr(e), "192.0.2.11");
  EXPECT_EQ(Port(e), 46039);
  EXPECT_EQ(e.user, "test 127.0.0.1 port 12345");
}

TEST(ParseSshd, BadProtocolVersionTakesTheFinalAddress) {
  const Event e =
      EventOf("Bad protocol version identification 'x' from 192.0.2.1' from 198.51.100.115");
  EXPECT_EQ(Addr(e), "198.51.100.115");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
}

TEST(ParseSshd, KeepsUserNamesWithSpacesAndQuotes) {
  const Event e = EventOf("Invalid user \"a b\" 'c' from 203.0.113.5 port 40000");
  EXPECT_EQ(e.user, "\"a b\" 'c'");
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseSshd, KeepsTerminalEscapesInUserNamesAsGiven) {
  const Event e = EventOf("Invalid user \x1b[2Jroot from 203.0.113.5 port 40000");
  EXPECT_EQ(e.user, "\x1b[2Jroot");
}

TEST(ParseSshd, ReceivedDisconnectTextCannotSetTheAddress) {
  const Event e = EventOf(
      "Received disconnect from 192.0.2.7 port 5000:11: bye from 198.51.100.8 port 22 [preauth]");
  EXPECT_EQ(Addr(e), "192.0.2.7");
  EXPECT_EQ(Port(e), 5000);
  EXPECT_EQ(e.reason, "bye from 198.51.100.8 port 22");
}

TEST(ParseSshd, NotAllowedTakesTheLastFromBeforeTheReason) {
  const Event e =
      EventOf("User x from 192.0.2.1 from 198.51.100.8 not allowed because listed in DenyUsers");
  EXPECT_EQ(Addr(e), "198.51.100.8");
  EXPECT_EQ(e.user, "x from 192.0.2.1");
}

TEST(ParseSshd, TooManyFromsInACertificateIdLeaveAddressOut) {
  // The real address sits left of more " from " than the parser tries.
  std::string id;
  for (int i = 0; i < 70; ++i) id += " from x";
  const std::string line =
      "Failed publickey for root from 198.51.100.8 port 22 ssh2: ED25519-CERT SHA256:aaaa ID" + id +
      " from 192.0.2.1 port 1 ssh2: ED25519-CERT SHA256:bbbb ID z (serial 1) CA ED25519 "
      "SHA256:cccc";
  const Event e = EventOf(line);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_FALSE(e.addr);
}

TEST(ParseSshd, TooManyColonsInAUserLeaveAddressOut) {
  std::string user = "a";
  for (int i = 0; i < 70; ++i) user += ": b";
  const std::string line = "Disconnecting authenticating user " + user +
                           " 192.0.2.1 port 1: x 198.51.100.8 port 22: Bad packet length [preauth]";
  const Event e = EventOf(line);
  EXPECT_FALSE(e.addr);
  EXPECT_EQ(e.user, "");
}

TEST(ParseSshd, DisconnectingWithTwoReadingsLeavesUserAndAddressOut) {
  const Event e = EventOf(
      "Disconnecting authenticating user a 192.0.2.1 port 1: x 198.51.100.8 port 22: Change of "
      "username or service not allowed: (a,ssh-connection) -> (b,ssh-connection) [preauth]");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_FALSE(e.addr);
  EXPECT_EQ(e.user, "");
}

// --- Invalid user -----------------------------------------------------------------

TEST(ParseSshd, InvalidUserIsAFailedAttemptOfAnUnknownUser) {
  const Event e = EventOf("Invalid user admin from 203.0.113.5 port 52100");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "admin");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(Port(e), 52100);
}

TEST(ParseSshd, InvalidUserWithoutPortBefore73) {
  const Event e = EventOf("Invalid user admin from 203.0.113.5");
  EXPECT_EQ(e.user, "admin");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_FALSE(e.port);
}

TEST(ParseSshd, InvalidUserMayBeEmpty) {
  const Event e = EventOf("Invalid user  from 203.0.113.5 port 52100");
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseSshd, IllegalUserIsTheOldInvalidUser) {
  const Event e = EventOf("Illegal user oracle from 203.0.113.5");
  EXPECT_EQ(e.user, "oracle");
  EXPECT_EQ(e.user_valid, false);
}

TEST(ParseSshd, InputUserauthRequestRepeatsInvalidUserSoIsNoEvent) {
  EXPECT_EQ(ParseSshd("input_userauth_request: invalid user admin [preauth]").what,
            Parsed::What::kNotAnEvent);
}

// --- Refused -------------------------------------------------------------------

TEST(ParseSshd, NotListedInAllowUsersIsRefused) {
  const Event e = EventOf("User bob from 192.0.2.20 not allowed because not listed in AllowUsers");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "bob");
  EXPECT_EQ(Addr(e), "192.0.2.20");
  EXPECT_EQ(e.reason, "not listed in AllowUsers");
}

TEST(ParseSshd, EveryNotAllowedReasonWithAHost) {
  for (std::string_view reason :
       {"listed in DenyUsers", "not in any group", "a group is listed in DenyGroups",
        "none of user's groups are listed in AllowGroups"}) {
    const std::string line =
        "User bob from host.example.net not allowed because " + std::string(reason);
    const Event e = EventOf(line);
    EXPECT_EQ(e.reason, reason);
    EXPECT_EQ(e.user, "bob");
    EXPECT_EQ(Addr(e), "host.example.net");
  }
}

TEST(ParseSshd, NotAllowedBecauseOfTheShellNamesNoHost) {
  const Event e = EventOf("User games not allowed because shell /usr/sbin/nologin does not exist");
  EXPECT_EQ(e.user, "games");
  EXPECT_EQ(e.reason, "shell /usr/sbin/nologin does not exist");
  EXPECT_FALSE(e.addr);
}

TEST(ParseSshd, NotAllowedBecauseTheAccountIsLocked) {
  const Event e = EventOf("User root not allowed because account is locked");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.reason, "account is locked");
}

TEST(ParseSshd, RootLoginRefusedIsRefused) {
  const Event e = EventOf("ROOT LOGIN REFUSED FROM 198.51.100.3");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(Addr(e), "198.51.100.3");
  EXPECT_EQ(e.reason, "ROOT LOGIN REFUSED");
}

TEST(ParseSshd, AccessDeniedByPamAccountConfigurationIsRefused) {
  const Event e =
      EventOf("fatal: Access denied for user alice by PAM account configuration [preauth]");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.reason, "PAM account configuration");
}

TEST(ParseSshd, TcpWrappersRefusedConnectTakesTheAddressInParentheses) {
  const Event e = EventOf("refused connect from dialup-7.example.net (203.0.113.77)");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(Addr(e), "203.0.113.77");
}

TEST(ParseSshd, TcpWrappersRefusedConnectWithOnlyAnAddress) {
  EXPECT_EQ(Addr(EventOf("refused connect from 203.0.113.77")), "203.0.113.77");
  EXPECT_FALSE(EventOf("refused connect from unknown").addr);
}

TEST(ParseSshd, PerSourcePenaltyDropIsRefused) {
  const Event e = EventOf(
      "drop connection #0 from [203.0.113.50]:40112 on [192.0.2.1]:22 penalty: failed "
      "authentication");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(Addr(e), "203.0.113.50");
  EXPECT_EQ(Port(e), 40112);
  EXPECT_EQ(e.reason, "penalty: failed authentication");
}

TEST(ParseSshd, MaxStartupsDropIsRefused) {
  const Event e =
      EventOf("drop connection #11 from [2001:db8::7]:40112 on [2001:db8::1]:22 past MaxStartups");
  EXPECT_EQ(Addr(e), "2001:db8::7");
  EXPECT_EQ(e.reason, "past MaxStartups");
}

TEST(ParseSshd, KeyFromANonPermittedHostIsRefused) {
  const Event e = EventOf(
      "Authentication tried for alice with correct key but not from a permitted host "
      "(host=h.example.net, ip=198.51.100.4).");
  EXPECT_EQ(e.kind, EventKind::kRefused);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(Addr(e), "198.51.100.4");
}

// --- Other authentication failures -----------------------------------------------

TEST(ParseSshd, MaximumAuthenticationAttemptsExceeded) {
  const Event e = EventOf(
      "error: maximum authentication attempts exceeded for invalid user admin from 203.0.113.5 "
      "port 52100 ssh2 [preauth]");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "admin");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.reason, "maximum authentication attempts exceeded");
}

TEST(ParseSshd, TooManyAuthenticationFailuresWithoutAUser) {
  const Event e = EventOf("Disconnecting: Too many authentication failures [preauth]");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.reason, "Too many authentication failures");
  EXPECT_FALSE(e.addr);
}

TEST(ParseSshd, TooManyAuthenticationFailuresForAUser) {
  const Event e =
      EventOf("Disconnecting: Too many authentication failures for invalid user x y [preauth]");
  EXPECT_EQ(e.user, "x y");
  EXPECT_EQ(e.user_valid, false);
}

TEST(ParseSshd, DisconnectingAuthenticatingUserForTooManyFailures) {
  const Event e = EventOf(
      "Disconnecting authenticating user root 203.0.113.5 port 52100: Too many authentication "
      "failures [preauth]");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(Port(e), 52100);
}

TEST(ParseSshd, PamAuthenticationFailure) {
  const Event e =
      EventOf("error: PAM: Authentication failure for illegal user nagios from 203.0.113.5");
  EXPECT_EQ(e.kind, EventKind::kAuth);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "nagios");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.reason, "Authentication failure");
}

TEST(ParseSshd, PamAuthenticationFailureFromAHostName) {
  const Event e = EventOf("error: PAM: Authentication failure for root from h.example.net");
  EXPECT_EQ(e.user_valid, true);
  EXPECT_EQ(Addr(e), "h.example.net");
}

// --- Sessions and the service -------------------------------------------------------

TEST(ParseSshd, StartingSessionIsAnOpenedSession) {
  const Event e =
      EventOf("Starting session: shell on pts/0 for alice from 192.0.2.10 port 50514 id 0");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.outcome, Outcome::kSuccess);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(Addr(e), "192.0.2.10");
}

TEST(ParseSshd, CloseSessionIsAClosedSession) {
  const Event e = EventOf("Close session: user alice from 192.0.2.10 port 50514 id 0");
  EXPECT_EQ(e.kind, EventKind::kSession);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseSshd, ListeningAndTerminatingAreServiceEvents) {
  const Event up = EventOf("Server listening on 0.0.0.0 port 22.");
  EXPECT_EQ(up.kind, EventKind::kService);
  EXPECT_EQ(up.reason, "Server listening on 0.0.0.0 port 22");
  EXPECT_FALSE(up.addr);
  const Event down = EventOf("Received signal 15; terminating.");
  EXPECT_EQ(down.kind, EventKind::kService);
  EXPECT_EQ(down.reason, "Received signal 15; terminating");
}

// --- What is not ours, or no event --------------------------------------------------

TEST(ParseSshd, PamMessagesAreLeftToThePamParser) {
  EXPECT_EQ(ParseSshd("pam_unix(sshd:session): session opened for user alice(uid=1000) by "
                      "(uid=0)")
                .what,
            Parsed::What::kUnrecognized);
}

TEST(ParseSshd, KnownMessagesWithoutSecurityMeaningAreNoEvents) {
  for (std::string_view line :
       {"Accepted key ED25519 SHA256:q9fY1Bv6m8Yx2LJ3QwZkR0fTt9m4Pp7sXhC1dE2fG3H found at "
        "/home/alice/.ssh/authorized_keys:1",
        "User child is on pid 4243",
        "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= "
        "rhost=203.0.113.5  user=root",
        "debug1: Forked child 4243.",
        "exited MaxStartups throttling after 00:00:03, 2 connections "
        "dropped"}) {
    EXPECT_EQ(ParseSshd(line).what, Parsed::What::kNotAnEvent) << line;
  }
}

TEST(ParseSshd, UnknownMessagesAreUnrecognized) {
  EXPECT_EQ(ParseSshd("something sshd never said").what, Parsed::What::kUnrecognized);
  EXPECT_EQ(ParseSshd("").what, Parsed::What::kUnrecognized);
}

TEST(ParseSshd, OverlongMessagesAreUnrecognized) {
  const std::string line = "Invalid user " + std::string(5000, 'a') + " from 192.0.2.1 port 22";
  EXPECT_EQ(ParseSshd(line).what, Parsed::What::kUnrecognized);
}

}  // namespace
}  // namespace irk::logs
