#include "logs/sshd_connections.h"

#include <optional>

#include "logs/sshd_fields.h"

namespace irk::logs::sshd_connections {
namespace {

using sshd_fields::EndOutcome;
using sshd_fields::FillPeerId;
using sshd_fields::kMaxAddress;
using sshd_fields::kMaxCandidates;
using sshd_fields::MakeEvent;
using sshd_fields::ParseAddrMaybePort;
using sshd_fields::ParsePort;
using sshd_fields::ParseRemote;
using sshd_fields::Peer;
using sshd_fields::PeerUser;
using sshd_fields::SetPeer;

// "from [<addr>]:<port>" as srclimit.c writes it.
std::optional<Peer> ParseBracketed(std::string_view& s) {
  if (!ConsumePrefix(s, "[")) return std::nullopt;
  const size_t close = s.substr(0, kMaxAddress + 1).find("]:");
  if (close == std::string_view::npos) return std::nullopt;
  auto peer = ParseRemote(s.substr(0, close));
  s.remove_prefix(close + 2);
  const size_t end = s.find(' ');
  const std::string_view port_text = s.substr(0, end);
  if (!peer) return std::nullopt;
  peer->port = ParsePort(port_text);
  if (!peer->port) return std::nullopt;
  s.remove_prefix(port_text.size());
  return peer;
}

}  // namespace

// "Connection closed by …", "Connection reset by …", "Disconnected from …".
Parsed ParseConnectionEnd(std::string_view rest, bool preauth) {
  Event event = MakeEvent(EventKind::kConnection, Outcome::kNone);
  auto user = FillPeerId(rest, event);
  if (!user) return Parsed::Unrecognized();
  event.outcome = EndOutcome(preauth || user->preauth);
  return Parsed::Of(event);
}

// "<id>: <reason>" where both the user in the id and the reason may be the
// attacker's ("Change of username or service not allowed: (a,b) -> (c,d)"):
// every ": " after which the id reads right is a candidate; with more than
// one, the event keeps no user, address or reason.
Parsed ParseIdAndReason(std::string_view rest, Event event, bool preauth) {
  int fits = 0;
  Event chosen = event;
  PeerUser chosen_user;
  size_t pos = 0;
  bool complete = false;
  for (int i = 0; i < kMaxCandidates && !complete; ++i) {
    const size_t at = rest.find(": ", pos);
    complete = at == std::string_view::npos;
    if (complete) break;
    Event filled = event;
    if (auto user = FillPeerId(rest.substr(0, at), filled)) {
      if (++fits == 1) {
        chosen = filled;
        chosen_user = *user;
        chosen.reason = rest.substr(at + 2);
      }
    }
    pos = at + 1;
  }
  if (fits == 0 && complete) return Parsed::Unrecognized();
  if (fits != 1 || !complete) {
    chosen = event;
    chosen_user = {};
  }
  if (chosen.kind == EventKind::kConnection) {
    chosen.outcome = EndOutcome(preauth || chosen_user.preauth);
  }
  return Parsed::Of(chosen);
}

// "Disconnecting …": the old "Disconnecting: <reason>" and 8.x's
// "Disconnecting <id>: <reason>".
Parsed ParseDisconnecting(std::string_view rest, bool preauth) {
  static constexpr std::string_view kTooMany = "Too many authentication failures";
  Event failures = MakeEvent(EventKind::kAuth, Outcome::kFailure);
  if (ConsumePrefix(rest, ": ")) {
    if (rest.starts_with(kTooMany)) {
      failures.reason = rest.substr(0, kTooMany.size());
      rest.remove_prefix(kTooMany.size());
      if (rest.empty()) return Parsed::Of(failures);
      if (!ConsumePrefix(rest, " for ")) return Parsed::Unrecognized();
      failures.user_valid =
          !(ConsumePrefix(rest, "invalid user ") || ConsumePrefix(rest, "illegal user "));
      failures.user = rest;
      return Parsed::Of(failures);
    }
    Event event = MakeEvent(EventKind::kConnection, EndOutcome(preauth));
    event.reason = rest;
    return Parsed::Of(event);
  }
  if (!ConsumePrefix(rest, " ")) return Parsed::Unrecognized();
  std::string_view id = rest;
  if (ConsumeSuffix(id, kTooMany) && ConsumeSuffix(id, ": ")) {
    // The reason is sshd's own words: the id is all that precedes it.
    if (!FillPeerId(id, failures)) return Parsed::Unrecognized();
    failures.reason = rest.substr(rest.size() - kTooMany.size());
    return Parsed::Of(failures);
  }
  return ParseIdAndReason(rest, MakeEvent(EventKind::kConnection, Outcome::kNone), preauth);
}

// "Received disconnect from <addr> port <n>:<code>: <text>" (7.x+) or
// "Received disconnect from <addr>: <code>: <text>": the text is the client's,
// so the address is read from the left.
Parsed ParseReceivedDisconnect(std::string_view rest, bool preauth) {
  Event event = MakeEvent(EventKind::kConnection, EndOutcome(preauth));
  const size_t space = rest.substr(0, kMaxAddress + 1).find(' ');
  if (space != std::string_view::npos && rest.substr(space).starts_with(" port ")) {
    auto peer = ParseRemote(rest.substr(0, space));
    std::string_view after = rest.substr(space + 6);
    const size_t colon = after.substr(0, 6).find(':');
    if (!peer || colon == std::string_view::npos) return Parsed::Unrecognized();
    peer->port = ParsePort(after.substr(0, colon));
    if (!peer->port) return Parsed::Unrecognized();
    SetPeer(event, *peer);
    after.remove_prefix(colon + 1);
    const size_t text = after.find(": ");
    if (text != std::string_view::npos) event.reason = after.substr(text + 2);
    return Parsed::Of(event);
  }
  const size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) return Parsed::Unrecognized();
  auto peer = ParseRemote(rest.substr(0, colon));
  if (!peer) return Parsed::Unrecognized();
  SetPeer(event, *peer);
  std::string_view after = rest.substr(colon + 2);
  const size_t text = after.find(": ");
  if (text != std::string_view::npos) event.reason = after.substr(text + 2);
  return Parsed::Of(event);
}

// "<addr> port <n>: <reason>" read from the left, where sshd's own words
// follow: "banner exchange: Connection from …", "Unable to negotiate with …".
Parsed ParseAddrPortThenReason(std::string_view rest, Event event) {
  const size_t space = rest.substr(0, kMaxAddress + 1).find(' ');
  if (space == std::string_view::npos) return Parsed::Unrecognized();
  auto peer = ParseRemote(rest.substr(0, space));
  std::string_view after = rest.substr(space);
  if (!peer || !ConsumePrefix(after, " port ")) return Parsed::Unrecognized();
  const size_t colon = after.substr(0, 7).find(": ");
  if (colon == std::string_view::npos) return Parsed::Unrecognized();
  peer->port = ParsePort(after.substr(0, colon));
  if (!peer->port) return Parsed::Unrecognized();
  SetPeer(event, *peer);
  event.reason = after.substr(colon + 2);
  // The client's offer after the reason is its own text.
  if (const size_t offer = event.reason.find(". Their offer:"); offer != std::string_view::npos) {
    event.reason = event.reason.substr(0, offer);
  }
  return Parsed::Of(event);
}

// "drop connection #<n> from [<addr>]:<port> on [<addr>]:<port> <reason>"
// (9.8+: "penalty: …" or "past MaxStartups").
Parsed ParseDropConnection(std::string_view rest) {
  const size_t space = rest.find(' ');
  if (space == 0 || space == std::string_view::npos || space > 20) return Parsed::Unrecognized();
  for (char c : rest.substr(0, space)) {
    if (c < '0' || c > '9') return Parsed::Unrecognized();
  }
  rest.remove_prefix(space);
  if (!ConsumePrefix(rest, " from ")) return Parsed::Unrecognized();
  auto from = ParseBracketed(rest);
  if (!from || !ConsumePrefix(rest, " on ") || !ParseBracketed(rest) || !ConsumePrefix(rest, " ") ||
      rest.empty()) {
    return Parsed::Unrecognized();
  }
  Event event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
  SetPeer(event, *from);
  event.reason = rest;
  return Parsed::Of(event);
}

// "Timeout before authentication for <addr>[ port <n>]", or 9.8's listener:
// "… for connection from <addr> to <addr>, pid = <n>".
Parsed ParseTimeoutBeforeAuth(std::string_view rest, std::string_view reason) {
  Event event = MakeEvent(EventKind::kConnection, Outcome::kFailure);
  event.reason = reason;
  if (ConsumePrefix(rest, "connection from ")) {
    const size_t to = rest.find(" to ");
    if (to == std::string_view::npos) return Parsed::Unrecognized();
    auto peer = ParseRemote(rest.substr(0, to));
    if (!peer) return Parsed::Unrecognized();
    SetPeer(event, *peer);
    return Parsed::Of(event);
  }
  auto peer = ParseAddrMaybePort(rest);
  if (!peer) return Parsed::Unrecognized();
  SetPeer(event, *peer);
  return Parsed::Of(event);
}

// "… from <addr>[ port <n>]" at the end of `rest`, whatever precedes it.
Parsed ParseTrailingFrom(std::string_view rest, Event event) {
  const size_t at = FindLast(rest, " from ");
  if (at == std::string_view::npos) return Parsed::Unrecognized();
  const std::string_view tail = rest.substr(at + 6);
  auto peer = ParseAddrMaybePort(tail);
  if (!peer) return Parsed::Unrecognized();
  SetPeer(event, *peer);
  return Parsed::Of(event);
}

// "Connection from <addr> port <n> on <addr> port <n>[ rdomain "…"]", or
// "Connection from <addr> port <n>" before 7.x.
Parsed ParseConnectionFrom(std::string_view rest) {
  Event event = MakeEvent(EventKind::kConnection, Outcome::kNone);
  const size_t space = rest.substr(0, kMaxAddress + 1).find(' ');
  if (space == std::string_view::npos) return Parsed::Unrecognized();
  auto peer = ParseRemote(rest.substr(0, space));
  std::string_view after = rest.substr(space);
  if (!peer || !ConsumePrefix(after, " port ")) return Parsed::Unrecognized();
  const size_t end = after.substr(0, 6).find(' ');
  peer->port = ParsePort(after.substr(0, end));
  if (!peer->port) return Parsed::Unrecognized();
  if (end != std::string_view::npos && !after.substr(end).starts_with(" on ")) {
    return Parsed::Unrecognized();
  }
  SetPeer(event, *peer);
  return Parsed::Of(event);
}

}  // namespace irk::logs::sshd_connections
