// The fields OpenSSH writes into its messages — ports, remote addresses,
// "user U <addr> port <n>" — read strictly from the right, for the message
// parser in sshd.cc. Every view points into the text it was given.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "logs/event.h"
#include "logs/message_text.h"

namespace irk::logs::sshd_fields {

// The longest address sshd writes: a host name (255) or an IPv6 address with
// a zone, well below.
inline constexpr size_t kMaxAddress = 256;
// A client's software version: sshd logs at most 100 bytes of it.
inline constexpr size_t kMaxClient = 256;
// More " from " or ": " positions than any real message has: a hostile one,
// whose reading is then taken as ambiguous.
inline constexpr int kMaxCandidates = 64;

// The words `phrase` as they stand at the start of `m` (which must start
// with them), so that a reason is a view into the message.
std::string_view Phrase(std::string_view m, std::string_view phrase);

// A port as sshd writes it: 1 to 65535, no sign, no leading zero.
std::optional<uint16_t> ParsePort(std::string_view text);

struct Peer {
  std::optional<EventAddress> addr;  // nullopt for sshd's "UNKNOWN"
  std::optional<uint16_t> port;
};

// The remote address as sshd writes it: an IP address, a host name
// (UseDNS), or "UNKNOWN" when the socket had none.
std::optional<Peer> ParseRemote(std::string_view text);

void SetPeer(Event& event, const Peer& peer);

// "HEAD <addr> port <n>" or "<addr> port <n>" at the end of `s`.
struct Split {
  std::string_view head;  // without the space before the address
  Peer peer;
};

std::optional<Split> SplitAddrPort(std::string_view s);

// "<addr>[ port <n>]" as all of `s`: the older messages lack the port.
std::optional<Peer> ParseAddrMaybePort(std::string_view s);

// The user in front of an address, as sshd 7.5+ names the connection:
// "authenticating user U", "invalid user U", "user U", or nothing. Sets
// user, user_valid and whether the login was still in progress; touches
// nothing when `head` is none of these.
struct PeerUser {
  bool ok = false;
  bool preauth = false;
};

PeerUser FillPeerUser(std::string_view head, Event& event);

// "[authenticating user |invalid user |user ]<user> <addr> port <n>", or
// "<addr>" alone as sshd before 7.3 wrote it. Since 7.5 sshd names the user
// once one authenticated, so "<addr> port <n>" alone is a connection that
// never got that far.
std::optional<PeerUser> FillPeerId(std::string_view s, Event& event);

Event MakeEvent(EventKind kind, Outcome outcome);

// A connection that ended: failure when before authentication.
Outcome EndOutcome(bool preauth);

}  // namespace irk::logs::sshd_fields
