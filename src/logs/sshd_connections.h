// sshd's connection messages — opened, closed, reset, disconnected, dropped,
// timed out — for the message parser in sshd.cc. Each takes the message
// after its fixed opening words and fills kind, outcome, user, addr, port
// and reason as views into it.
#pragma once

#include <string_view>

#include "logs/event.h"

namespace irk::logs::sshd_connections {

// "Connection closed by …", "Connection reset by …", "Disconnected from …".
Parsed ParseConnectionEnd(std::string_view rest, bool preauth);

// "<id>: <reason>" where both the user in the id and the reason may be the
// attacker's ("Change of username or service not allowed: (a,b) -> (c,d)"):
// every ": " after which the id reads right is a candidate; with more than
// one, the event keeps no user, address or reason.
Parsed ParseIdAndReason(std::string_view rest, Event event, bool preauth);

// "Disconnecting …": the old "Disconnecting: <reason>" and 8.x's
// "Disconnecting <id>: <reason>".
Parsed ParseDisconnecting(std::string_view rest, bool preauth);

// "Received disconnect from <addr> port <n>:<code>: <text>" (7.x+) or
// "Received disconnect from <addr>: <code>: <text>": the text is the client's,
// so the address is read from the left.
Parsed ParseReceivedDisconnect(std::string_view rest, bool preauth);

// "<addr> port <n>: <reason>" read from the left, where sshd's own words
// follow: "banner exchange: Connection from …", "Unable to negotiate with …".
Parsed ParseAddrPortThenReason(std::string_view rest, Event event);

// "drop connection #<n> from [<addr>]:<port> on [<addr>]:<port> <reason>"
// (9.8+: "penalty: …" or "past MaxStartups").
Parsed ParseDropConnection(std::string_view rest);

// "Timeout before authentication for <addr>[ port <n>]", or 9.8's listener:
// "… for connection from <addr> to <addr>, pid = <n>".
Parsed ParseTimeoutBeforeAuth(std::string_view rest, std::string_view reason);

// "… from <addr>[ port <n>]" at the end of `rest`, whatever precedes it.
Parsed ParseTrailingFrom(std::string_view rest, Event event);

// "Connection from <addr> port <n> on <addr> port <n>[ rdomain "…"]", or
// "Connection from <addr> port <n>" before 7.x.
Parsed ParseConnectionFrom(std::string_view rest);

}  // namespace irk::logs::sshd_connections
