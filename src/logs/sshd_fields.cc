#include "logs/sshd_fields.h"

#include <cassert>

namespace irk::logs::sshd_fields {

// The words `phrase` as they stand at the start of `m`, so that a reason is
// a view into the message.
std::string_view Phrase(std::string_view m, std::string_view phrase) {
  assert(m.starts_with(phrase));
  return m.substr(0, phrase.size());
}

// sshd writes ports with %d from the socket: 1 to 65535, no sign, no zeros
// in front. Anything else is not its output.
std::optional<uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5 || text.front() == '0') return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

// The remote address as sshd writes it: an IP address, a host name
// (UseDNS), or "UNKNOWN" when the socket had none.
std::optional<Peer> ParseRemote(std::string_view text) {
  if (text == "UNKNOWN") return Peer{};
  if (text.size() > kMaxAddress) return std::nullopt;
  auto addr = EventAddress::Parse(text);
  if (!addr) return std::nullopt;
  return Peer{addr, std::nullopt};
}

void SetPeer(Event& event, const Peer& peer) {
  event.addr = peer.addr;
  event.port = peer.port;
}

std::optional<Split> SplitAddrPort(std::string_view s) {
  const size_t space = s.rfind(' ');
  if (space == std::string_view::npos) return std::nullopt;
  auto port = ParsePort(s.substr(space + 1));
  s = s.substr(0, space);
  if (!port || !ConsumeSuffix(s, " port")) return std::nullopt;
  const size_t before = s.rfind(' ');
  const std::string_view addr_text = before == std::string_view::npos ? s : s.substr(before + 1);
  auto peer = ParseRemote(addr_text);
  if (!peer) return std::nullopt;
  peer->port = port;
  return Split{before == std::string_view::npos ? std::string_view() : s.substr(0, before), *peer};
}

// "<addr>[ port <n>]" as all of `s`: the older messages lack the port.
std::optional<Peer> ParseAddrMaybePort(std::string_view s) {
  if (auto split = SplitAddrPort(s); split && split->head.empty()) return split->peer;
  if (s.find(' ') != std::string_view::npos) return std::nullopt;
  return ParseRemote(s);
}

PeerUser FillPeerUser(std::string_view head, Event& event) {
  if (head.empty()) return {true, false};
  if (ConsumePrefix(head, "authenticating user ")) {
    event.user = head;
    event.user_valid = true;
    return {true, true};
  }
  if (ConsumePrefix(head, "invalid user ")) {
    event.user = head;
    event.user_valid = false;
    return {true, true};
  }
  if (ConsumePrefix(head, "user ")) {
    event.user = head;
    event.user_valid = true;
    return {true, false};
  }
  return {};
}

// "[authenticating user |invalid user |user ]<user> <addr> port <n>", or
// "<addr>" alone as sshd before 7.3 wrote it. Since 7.5 sshd names the user
// once one authenticated, so "<addr> port <n>" alone is a connection that
// never got that far.
std::optional<PeerUser> FillPeerId(std::string_view s, Event& event) {
  if (auto split = SplitAddrPort(s)) {
    // FillPeerUser leaves the event as it was when the head is not a user's.
    const PeerUser user = FillPeerUser(split->head, event);
    if (!user.ok) return std::nullopt;
    SetPeer(event, split->peer);
    return split->head.empty() ? PeerUser{true, true} : user;
  }
  if (s.find(' ') != std::string_view::npos) return std::nullopt;
  auto peer = ParseRemote(s);
  if (!peer) return std::nullopt;
  SetPeer(event, *peer);
  return PeerUser{true, false};
}

Event MakeEvent(EventKind kind, Outcome outcome) {
  Event event;
  event.kind = kind;
  event.outcome = outcome;
  return event;
}

// A connection that ended: failure when before authentication.
Outcome EndOutcome(bool preauth) { return preauth ? Outcome::kFailure : Outcome::kNone; }

}  // namespace irk::logs::sshd_fields
