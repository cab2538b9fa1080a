// ParseSshd on sshd's connection messages: opened, closed, reset,
// disconnected, dropped, timed out.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "logs/sshd.h"
#include "logs/testing/sshd_events.h"

namespace irk::logs {
namespace {

using testing::Addr;
using testing::EventOf;
using testing::Port;

// --- Connections ------------------------------------------------------------------

TEST(ParseSshd, ConnectionClosedByAuthenticatingUserIsAFailedConnection) {
  const Event e =
      EventOf("Connection closed by authenticating user root 203.0.113.5 port 52100 [preauth]");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.user_valid, true);
  EXPECT_EQ(Addr(e), "203.0.113.5");
}

TEST(ParseSshd, ConnectionClosedByInvalidUser) {
  const Event e = EventOf("Connection closed by invalid user  203.0.113.5 port 52100 [preauth]");
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(e.user_valid, false);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
}

TEST(ParseSshd, ConnectionClosedByAnAddressBeforeAuthentication) {
  const Event e = EventOf("Connection closed by 203.0.113.5 port 52100 [preauth]");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.user, "");
}

TEST(ParseSshd, ConnectionResetByIsLikeClosedBy) {
  const Event e = EventOf("Connection reset by 2001:db8::9 port 52100 [preauth]");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "2001:db8::9");
}

TEST(ParseSshd, ConnectionResetWithoutAUserEndedBeforeAuthentication) {
  const Event e = EventOf("Connection reset by 127.0.0.1 port 57492");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "127.0.0.1");
}

TEST(ParseSshd, ClosingConnectionAfterAnOldSessionHasNoOutcome) {
  const Event e = EventOf("Closing connection to 192.0.2.10 port 50514");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(Addr(e), "192.0.2.10");
}

TEST(ParseSshd, ConnectionClosedWithoutPortBefore73) {
  const Event e = EventOf("Connection closed by 203.0.113.5 [preauth]");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_FALSE(e.port);
}

TEST(ParseSshd, DisconnectedAfterASessionHasNoOutcome) {
  const Event e = EventOf("Disconnected from user alice 192.0.2.10 port 50514");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.user, "alice");
}

TEST(ParseSshd, DisconnectedFromInvalidUserBeforeAuthentication) {
  const Event e = EventOf("Disconnected from invalid user admin 203.0.113.5 port 52100 [preauth]");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.user_valid, false);
}

TEST(ParseSshd, ReceivedDisconnectKeepsTheClientText) {
  const Event e = EventOf("Received disconnect from 203.0.113.5 port 52100:11: Bye Bye [preauth]");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.reason, "Bye Bye");
}

TEST(ParseSshd, ReceivedDisconnectInTheOldForm) {
  const Event e = EventOf("Received disconnect from 2001:db8::5: 11: disconnected by user");
  EXPECT_EQ(Addr(e), "2001:db8::5");
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(e.reason, "disconnected by user");
}

TEST(ParseSshd, TimeoutBeforeAuthentication) {
  const Event e = EventOf("fatal: Timeout before authentication for 203.0.113.5 port 52100");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(Port(e), 52100);
}

TEST(ParseSshd, TimeoutBeforeAuthenticationFromTheListener) {
  const Event e = EventOf(
      "Timeout before authentication for connection from 203.0.113.5 to 192.0.2.1, pid = 4242");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
}

TEST(ParseSshd, DidNotReceiveIdentificationString) {
  const Event e = EventOf("Did not receive identification string from 203.0.113.5 port 52100");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(Addr(EventOf("Did not receive identification string from 203.0.113.5")), "203.0.113.5");
}

TEST(ParseSshd, KexExchangeIdentificationNamesNoAddress) {
  for (std::string_view line :
       {"error: kex_exchange_identification: Connection closed by remote host",
        "error: kex_exchange_identification: banner line contains invalid "
        "characters",
        "kex_exchange_identification: client sent invalid protocol "
        "identifier \"GET / HTTP/1.0\""}) {
    const Event e = EventOf(line);
    EXPECT_EQ(e.kind, EventKind::kConnection);
    EXPECT_EQ(e.outcome, Outcome::kFailure);
    EXPECT_FALSE(e.addr);
  }
}

TEST(ParseSshd, TheClientsSoftwareVersionFromTheDebugLog) {
  const Event now = EventOf(
      "debug1: Remote protocol version 2.0, remote software version OpenSSH_9.2p1 Debian-2");
  EXPECT_EQ(now.kind, EventKind::kConnection);
  EXPECT_EQ(now.outcome, Outcome::kNone);
  EXPECT_EQ(now.client, "OpenSSH_9.2p1 Debian-2");
  EXPECT_FALSE(now.addr);
  EXPECT_EQ(
      EventOf("debug1: Client protocol version 2.0; client software version PuTTY_Release_0.78")
          .client,
      "PuTTY_Release_0.78");
  // The client names itself: any bytes, kept as they are for the JSON writer
  // and the terminal escaping to deal with.
  EXPECT_EQ(EventOf("debug1: Remote protocol version 2.0, remote software version "
                    "libssh_0.9.6 \x1b[2J\", \"user\": \"root")
                .client,
            "libssh_0.9.6 \x1b[2J\", \"user\": \"root");
  for (std::string_view line : {"debug1: Remote protocol version 2.0, remote software version ",
                                "debug1: Remote protocol version 2.0"}) {
    EXPECT_EQ(ParseSshd(line).what, Parsed::What::kNotAnEvent) << line;
  }
}

TEST(ParseSshd, BannerExchangeInvalidFormat) {
  const Event e =
      EventOf("banner exchange: Connection from 203.0.113.5 port 52100: invalid format");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.reason, "invalid format");
}

TEST(ParseSshd, UnableToNegotiateLeavesOutTheClientsOffer) {
  const Event e = EventOf(
      "Unable to negotiate with 203.0.113.5 port 52100: no matching key exchange method found. "
      "Their offer: diffie-hellman-group1-sha1 [preauth]");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.reason, "no matching key exchange method found");
}

TEST(ParseSshd, ReadFromSocketFailedNamesNoAddress) {
  const Event e = EventOf("fatal: Read from socket failed: Connection reset by peer [preauth]");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_FALSE(e.addr);
  EXPECT_EQ(e.reason, "Connection reset by peer");
}

TEST(ParseSshd, DispatchRunFatalNamesTheConnection) {
  const Event e = EventOf(
      "fatal: ssh_dispatch_run_fatal: Connection from 203.0.113.5 port 52100: message "
      "authentication code incorrect [preauth]");
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.reason, "message authentication code incorrect");
}

TEST(ParseSshd, ConnectionFromIsAnOpenedConnection) {
  const Event e =
      EventOf("Connection from 203.0.113.5 port 52100 on 192.0.2.1 port 22 rdomain \"\"");
  EXPECT_EQ(e.kind, EventKind::kConnection);
  EXPECT_EQ(e.outcome, Outcome::kNone);
  EXPECT_EQ(Addr(e), "203.0.113.5");
  EXPECT_EQ(Port(e), 52100);
  EXPECT_EQ(Addr(EventOf("Connection from 203.0.113.5 port 52100")), "203.0.113.5");
}

}  // namespace
}  // namespace irk::logs
