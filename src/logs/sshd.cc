#include "logs/sshd.h"

#include "logs/sshd_connections.h"
#include "logs/sshd_fields.h"

#include <cassert>
#include <cstdint>
#include <optional>

namespace irk::logs {
namespace {

// sshd formats a message into 1024 bytes (MSGBUFSIZ); anything far longer is
// not its output, and the bound keeps every scan below short.
constexpr size_t kMaxMessage = 4096;

using sshd_connections::ParseAddrPortThenReason;
using sshd_connections::ParseConnectionEnd;
using sshd_connections::ParseConnectionFrom;
using sshd_connections::ParseDisconnecting;
using sshd_connections::ParseDropConnection;
using sshd_connections::ParseIdAndReason;
using sshd_connections::ParseReceivedDisconnect;
using sshd_connections::ParseTimeoutBeforeAuth;
using sshd_connections::ParseTrailingFrom;
using sshd_fields::EndOutcome;
using sshd_fields::FillPeerId;
using sshd_fields::kMaxAddress;
using sshd_fields::kMaxCandidates;
using sshd_fields::kMaxClient;
using sshd_fields::MakeEvent;
using sshd_fields::ParseAddrMaybePort;
using sshd_fields::ParsePort;
using sshd_fields::ParseRemote;
using sshd_fields::Peer;
using sshd_fields::Phrase;
using sshd_fields::SetPeer;
using sshd_fields::SplitAddrPort;

// --- Failed/Accepted/Postponed/Partial and friends -------------------------

// "TYPE FP" and nothing else: a plain key, the only key text that cannot
// hide a second " from … ssh2: " inside it.
bool IsPlainKey(std::string_view extra) {
  const size_t space = extra.find(' ');
  if (space == 0 || space == std::string_view::npos) return false;
  for (char c : extra.substr(0, space)) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  const std::string_view fingerprint = extra.substr(space + 1);
  return !fingerprint.empty() && fingerprint.find(' ') == std::string_view::npos;
}

struct AuthTail {
  Peer peer;
  std::string_view extra;  // after "ssh2: "
  bool strict = false;     // no extra, or a plain key
};

// "<addr>[ port <n>][ ssh2][: <extra>]" as all of `t`.
std::optional<AuthTail> ParseAuthTail(std::string_view t, bool allow_extra) {
  const std::string_view addr_text = t.substr(0, t.substr(0, kMaxAddress + 1).find(' '));
  auto peer = ParseRemote(addr_text);
  if (!peer) return std::nullopt;
  t.remove_prefix(addr_text.size());
  AuthTail tail{*peer, {}, false};
  if (ConsumePrefix(t, " port ")) {
    const std::string_view port_text = t.substr(0, t.substr(0, 6).find(' '));
    tail.peer.port = ParsePort(port_text);
    if (!tail.peer.port) return std::nullopt;
    t.remove_prefix(port_text.size());
  }
  ConsumePrefix(t, " ssh2");
  if (t.empty()) {
    tail.strict = true;
    return tail;
  }
  if (!allow_extra || !ConsumePrefix(t, ": ") || t.empty()) return std::nullopt;
  tail.extra = t;
  tail.strict = IsPlainKey(t);
  return tail;
}

// `rest` is what follows "for " in "Failed password for …": "[invalid
// user ]<user> from <addr>[ port <n>][ ssh2][: <extra>]". The user is the
// attacker's and may hold " from …" itself, so every " from " is tried: the
// one reading that fits wins; among several, the one whose tail is strict
// (see AuthTail). With none of those, the event keeps no user or address.
// Returns false when no reading fits at all.
bool FillAuthSubject(std::string_view rest, bool allow_extra, Event& event) {
  event.user_valid =
      !(ConsumePrefix(rest, "invalid user ") || ConsumePrefix(rest, "illegal user "));
  int fits = 0;
  int strict_fits = 0;
  size_t first_at = 0;
  size_t strict_at = 0;
  std::optional<AuthTail> first;
  std::optional<AuthTail> strict;
  size_t pos = std::string_view::npos;
  bool complete = false;
  for (int i = 0; i < kMaxCandidates && !complete; ++i) {
    const size_t at = FindLast(rest, " from ", pos);
    complete = at == std::string_view::npos || at == 0;
    if (at == std::string_view::npos) break;
    if (auto tail = ParseAuthTail(rest.substr(at + 6), allow_extra)) {
      if (++fits == 1) {
        first = tail;
        first_at = at;
      }
      if (tail->strict && ++strict_fits == 1) {
        strict = tail;
        strict_at = at;
      }
    }
    if (at > 0) pos = at - 1;
  }
  if (fits == 0) return false;
  const AuthTail* chosen = nullptr;
  size_t chosen_at = 0;
  if (complete && fits == 1) {
    chosen = &*first;
    chosen_at = first_at;
  } else if (complete && strict_fits == 1) {
    chosen = &*strict;
    chosen_at = strict_at;
  }
  if (chosen == nullptr) return true;  // ambiguous: kind and outcome only
  event.user = rest.substr(0, chosen_at);
  SetPeer(event, chosen->peer);
  event.key = chosen->extra;
  return true;
}

// "<Verb> <method> for …"
Parsed ParseAuthLog(std::string_view rest, std::string_view verb) {
  Event event = MakeEvent(EventKind::kAuth, Outcome::kNone);
  if (verb == "Failed") event.outcome = Outcome::kFailure;
  if (verb == "Accepted") event.outcome = Outcome::kSuccess;
  if (verb == "Postponed" || verb == "Partial") event.reason = verb;
  const size_t space = rest.find(' ');
  if (space == 0 || space == std::string_view::npos) return Parsed::Unrecognized();
  event.method = rest.substr(0, space);
  rest.remove_prefix(space + 1);
  if (!ConsumePrefix(rest, "for ")) return Parsed::Unrecognized();
  if (!FillAuthSubject(rest, true, event)) return Parsed::Unrecognized();
  return Parsed::Of(event);
}

// "Invalid user <user> from <addr>[ port <n>]" (" port" since 7.3).
Parsed ParseInvalidUser(std::string_view rest) {
  Event event = MakeEvent(EventKind::kAuth, Outcome::kFailure);
  event.user_valid = false;
  if (auto split = SplitAddrPort(rest)) {
    std::string_view head = split->head;
    // The split took the space before the address; " from" is what precedes.
    if (ConsumeSuffix(head, " from")) {
      event.user = head;
      SetPeer(event, split->peer);
      return Parsed::Of(event);
    }
  }
  const size_t at = FindLast(rest, " from ");
  std::string_view user;
  std::string_view addr_text;
  if (at == std::string_view::npos) return Parsed::Unrecognized();
  user = rest.substr(0, at);
  addr_text = rest.substr(at + 6);
  if (addr_text.find(' ') != std::string_view::npos) return Parsed::Unrecognized();
  auto peer = ParseRemote(addr_text);
  if (!peer) return Parsed::Unrecognized();
  event.user = user;
  SetPeer(event, *peer);
  return Parsed::Of(event);
}

// "User <user>[ from <host>] not allowed because <reason>". The reasons with
// " from " come from AllowUsers/DenyUsers/AllowGroups/DenyGroups; the shell
// and locked-account ones never name the host.
Parsed ParseNotAllowed(std::string_view rest) {
  static constexpr std::string_view kWithHost[] = {
      "not listed in AllowUsers",
      "listed in DenyUsers",
      "not in any group",
      "a group is listed in DenyGroups",
      "none of user's groups are listed in AllowGroups",
  };
  static constexpr std::string_view kBecause = " not allowed because ";
  Event event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
  event.user_valid = true;  // sshd checks these only for existing accounts
  bool with_host = false;
  for (std::string_view reason : kWithHost) {
    std::string_view head = rest;
    if (ConsumeSuffix(head, reason) && ConsumeSuffix(head, kBecause)) {
      event.reason = rest.substr(rest.size() - reason.size());
      rest = head;
      with_host = true;
      break;
    }
  }
  if (!with_host) {
    const size_t at = rest.find(kBecause);
    if (at == std::string_view::npos) return Parsed::Unrecognized();
    event.reason = rest.substr(at + kBecause.size());
    rest = rest.substr(0, at);
  }
  if (with_host) {
    const size_t at = FindLast(rest, " from ");
    if (at == std::string_view::npos) return Parsed::Unrecognized();
    auto peer = ParseRemote(rest.substr(at + 6));
    if (!peer) return Parsed::Unrecognized();
    event.addr = peer->addr;
    rest = rest.substr(0, at);
  }
  event.user = rest;
  return Parsed::Of(event);
}

// "error: PAM: <PAM's message> for [illegal user ]<user> from <host>".
Parsed ParsePamError(std::string_view rest) {
  if (rest.starts_with("pam_")) return Parsed::NotAnEvent();  // "PAM: pam_open_session(): …"
  const size_t for_at = rest.find(" for ");
  const size_t from_at = FindLast(rest, " from ");
  if (for_at == std::string_view::npos || from_at == std::string_view::npos ||
      from_at < for_at + 5) {
    return Parsed::Unrecognized();
  }
  auto peer = ParseRemote(rest.substr(from_at + 6));
  if (!peer) return Parsed::Unrecognized();
  Event event = MakeEvent(EventKind::kAuth, Outcome::kFailure);
  event.reason = rest.substr(0, for_at);
  std::string_view user = rest.substr(for_at + 5, from_at - for_at - 5);
  event.user_valid = !ConsumePrefix(user, "illegal user ");
  event.user = user;
  event.addr = peer->addr;
  return Parsed::Of(event);
}

// tcp_wrappers: "refused connect from <host> (<addr>)" or "… from <addr>".
Parsed ParseRefusedConnect(std::string_view rest) {
  Event event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
  std::string_view addr_text = rest;
  if (ConsumeSuffix(addr_text, ")")) {
    const size_t open = FindLast(addr_text, " (");
    if (open == std::string_view::npos) return Parsed::Unrecognized();
    addr_text = addr_text.substr(open + 2);
  }
  if (addr_text == "unknown") return Parsed::Of(event);
  auto addr = EventAddress::Parse(addr_text);
  if (!addr || addr_text.size() > kMaxAddress) return Parsed::Unrecognized();
  event.addr = addr;
  return Parsed::Of(event);
}

// "Starting session: <type> for <user> from <addr> port <n> id <n>" and
// "Close session: user <user> from <addr> port <n> id <n>" (VERBOSE).
Parsed ParseSession(std::string_view rest, bool start) {
  const size_t id = FindLast(rest, " id ");
  if (id == std::string_view::npos) return Parsed::Unrecognized();
  auto split = SplitAddrPort(rest.substr(0, id));
  if (!split) return Parsed::Unrecognized();
  std::string_view head = split->head;
  if (!ConsumeSuffix(head, " from")) return Parsed::Unrecognized();
  // The account name (pw_name) has no spaces; what precedes it is sshd's.
  const size_t space = head.rfind(' ');
  if (space == std::string_view::npos) return Parsed::Unrecognized();
  Event event = MakeEvent(EventKind::kSession, start ? Outcome::kSuccess : Outcome::kNone);
  event.user = head.substr(space + 1);
  event.user_valid = true;
  SetPeer(event, split->peer);
  return Parsed::Of(event);
}

// "Authentication tried for <user> with correct key but not from a
// permitted host (host=<host>, ip=<addr>)."
Parsed ParseNotPermittedHost(std::string_view rest) {
  static constexpr std::string_view kWith = " with correct key but not from a permitted host";
  const size_t with = rest.find(kWith);
  const size_t ip = FindLast(rest, ", ip=");
  if (with == std::string_view::npos || ip == std::string_view::npos || ip < with ||
      !rest.ends_with(").")) {
    return Parsed::Unrecognized();
  }
  auto peer = ParseRemote(rest.substr(ip + 5, rest.size() - ip - 7));
  if (!peer) return Parsed::Unrecognized();
  Event event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
  event.user = rest.substr(0, with);
  event.user_valid = true;
  event.addr = peer->addr;
  event.reason = rest.substr(with + 6, kWith.size() - 6);  // "correct key but not from …"
  return Parsed::Of(event);
}

// Messages sshd writes that record no security event.
// What sshd's debug log says of the client's identification string:
// "2.0, remote software version OpenSSH_9.2p1 Debian-2" (OpenSSH 8 and
// later), "2.0; client software version OpenSSH_7.4" (before): an event of
// the connection (by the process's pid) naming the client.
std::optional<Event> ClientVersion(std::string_view rest) {
  constexpr std::string_view kSoftware = " software version ";
  const size_t at = rest.find(kSoftware);
  if (at == std::string_view::npos || at > 16) return std::nullopt;
  const std::string_view client = rest.substr(at + kSoftware.size());
  if (client.empty() || client.size() > kMaxClient) return std::nullopt;
  Event event = MakeEvent(EventKind::kConnection, Outcome::kNone);
  event.client = client;
  return event;
}

bool IsKnownNonEvent(std::string_view m) {
  static constexpr std::string_view kPrefixes[] = {
      "Accepted key ",  // 9.x: the key of the "Accepted publickey" line that follows
      "Accepted certificate ID ",
      "Found matching ",
      "User child is on pid ",
      "Changed root directory to ",
      "Transferred: ",
      "subsystem request for ",
      "debug1: ",
      "debug2: ",
      "debug3: ",
      "Set /proc/self/oom_score_adj",
      "reverse mapping checking getaddrinfo for ",
      "Address ",  // "… maps to …, but this does not map back to the address"
      "Nasty PTR record ",
      "userauth_pubkey: ",
      "userauth_hostbased: ",
      "Could not load host key: ",
      "Bind to port ",
      "srclimit_penalise: ",
      "beginning MaxStartups throttling",
      "exited MaxStartups throttling",
      "PAM service(",
      "Authentication refused: ",
      "rexec line ",
      "Missing privilege separation directory",
      "lastlog_",
      "connect_to ",
      "channel ",
      "Exiting on signal ",
      "refusing previously-used ",
      "Received request to connect to ",
      "input_userauth_request: invalid user ",
      "input_userauth_request: illegal user ",
      "Deprecated option ",
      "Unsupported option ",
  };
  for (std::string_view prefix : kPrefixes) {
    if (m.starts_with(prefix)) return true;
  }
  // "PAM 2 more authentication failures; logname= …": a summary of attempts
  // that sshd's and PAM's own lines count one by one.
  if (m.starts_with("PAM ") && m.find(" more authentication failure") != std::string_view::npos) {
    return true;
  }
  // "/etc/ssh/sshd_config line 12: Deprecated option …"
  return m.starts_with("/") && m.find(" line ") != std::string_view::npos;
}

}  // namespace

Parsed ParseSshd(std::string_view message) {
  if (message.size() > kMaxMessage || message.starts_with("pam_")) return Parsed::Unrecognized();
  std::string_view m = message;
  // sshd adds " [preauth]" to what the unprivileged child logs: the login had
  // not finished.
  const bool preauth = ConsumeSuffix(m, " [preauth]");
  const bool fatal = ConsumePrefix(m, "fatal: ");
  if (!fatal) ConsumePrefix(m, "error: ");
  std::string_view rest = m;

  for (std::string_view verb : {"Failed", "Accepted", "Postponed", "Partial"}) {
    rest = m;
    if (ConsumePrefix(rest, verb) && ConsumePrefix(rest, " ") && !m.starts_with("Accepted key ") &&
        !m.starts_with("Accepted certificate ")) {
      return ParseAuthLog(rest, verb);
    }
  }
  rest = m;
  if (ConsumePrefix(rest, "Invalid user ") || ConsumePrefix(rest, "Illegal user ")) {
    return ParseInvalidUser(rest);
  }
  if (ConsumePrefix(rest, "User ") &&
      rest.find(" not allowed because ") != std::string_view::npos) {
    return ParseNotAllowed(rest);
  }
  rest = m;
  if (ConsumePrefix(rest, "maximum authentication attempts exceeded for ")) {
    Event event = MakeEvent(EventKind::kAuth, Outcome::kFailure);
    event.reason = Phrase(m, "maximum authentication attempts exceeded");
    if (!FillAuthSubject(rest, false, event)) return Parsed::Unrecognized();
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "Disconnecting")) return ParseDisconnecting(rest, preauth);
  if (ConsumePrefix(rest, "Connection closed by ") || ConsumePrefix(rest, "Connection reset by ") ||
      ConsumePrefix(rest, "Disconnected from ")) {
    return ParseConnectionEnd(rest, preauth);
  }
  if (ConsumePrefix(rest, "Received disconnect from ")) {
    return ParseReceivedDisconnect(rest, preauth);
  }
  if (ConsumePrefix(rest, "Connection from ")) return ParseConnectionFrom(rest);
  if (ConsumePrefix(rest, "debug1: Remote protocol version ") ||
      ConsumePrefix(rest, "debug1: Client protocol version ")) {
    if (auto event = ClientVersion(rest)) return Parsed::Of(*event);
    rest = m;  // a debug line like any other
  }
  if (ConsumePrefix(rest, "Timeout before authentication for ")) {
    return ParseTimeoutBeforeAuth(rest, Phrase(m, "Timeout before authentication"));
  }
  if (ConsumePrefix(rest, "Did not receive identification string from ")) {
    Event event = MakeEvent(EventKind::kConnection, Outcome::kFailure);
    event.reason = Phrase(m, "Did not receive identification string");
    auto peer = ParseAddrMaybePort(rest);
    if (!peer) return Parsed::Unrecognized();
    SetPeer(event, *peer);
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "Bad protocol version identification ") ||
      ConsumePrefix(rest, "Bad remote protocol version identification")) {
    Event event = MakeEvent(EventKind::kConnection, Outcome::kFailure);
    event.reason = m.substr(0, m.size() - rest.size());
    while (event.reason.ends_with(' ') || event.reason.ends_with(':'))
      event.reason.remove_suffix(1);
    if (FindLast(rest, " from ") == std::string_view::npos) return Parsed::Of(event);
    return ParseTrailingFrom(rest, event);
  }
  if (ConsumePrefix(rest, "Protocol major versions differ")) {
    Event event = MakeEvent(EventKind::kConnection, Outcome::kFailure);
    event.reason = Phrase(m, "Protocol major versions differ");
    if (!ConsumePrefix(rest, " for ")) return Parsed::Of(event);
    return ParseAddrPortThenReason(rest, event);
  }
  if (ConsumePrefix(rest, "kex_exchange_identification: ")) {
    Event event = MakeEvent(EventKind::kConnection, Outcome::kFailure);
    event.reason = rest;
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "banner exchange: Connection from ") ||
      ConsumePrefix(rest, "Unable to negotiate with ")) {
    return ParseAddrPortThenReason(rest, MakeEvent(EventKind::kConnection, Outcome::kFailure));
  }
  if (ConsumePrefix(rest, "ssh_dispatch_run_fatal: Connection from ")) {
    return ParseIdAndReason(rest, MakeEvent(EventKind::kConnection, Outcome::kNone), preauth);
  }
  if (ConsumePrefix(rest, "Read error from remote host ")) {
    return ParseIdAndReason(rest, MakeEvent(EventKind::kConnection, Outcome::kNone), preauth);
  }
  if (ConsumePrefix(rest, "Read from socket failed: ") || ConsumePrefix(rest, "Write failed: ")) {
    Event event = MakeEvent(EventKind::kConnection, EndOutcome(preauth || fatal));
    event.reason = rest;
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "Timeout, client not responding")) {
    Event event = MakeEvent(EventKind::kConnection, EndOutcome(preauth));
    event.reason = Phrase(m, "Timeout, client not responding");
    if (rest == "." || rest.empty()) return Parsed::Of(event);
    if (!ConsumePrefix(rest, " from ")) return Parsed::Unrecognized();
    auto user = FillPeerId(rest, event);
    if (!user) return Parsed::Unrecognized();
    event.outcome = EndOutcome(preauth || user->preauth);
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "Closing connection to ")) {  // before 7.x, after a session
    Event event = MakeEvent(EventKind::kConnection, Outcome::kNone);
    auto peer = ParseAddrMaybePort(rest);
    if (!peer) return Parsed::Unrecognized();
    SetPeer(event, *peer);
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "drop connection #")) return ParseDropConnection(rest);
  if (ConsumePrefix(rest, "ROOT LOGIN REFUSED FROM ")) {
    Event event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.user = "root";  // the message's own word for whom it refused; a literal lives forever
    event.reason = Phrase(m, "ROOT LOGIN REFUSED");
    ConsumeSuffix(rest, " ssh2");
    auto peer = ParseAddrMaybePort(rest);
    if (!peer) return Parsed::Unrecognized();
    SetPeer(event, *peer);
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "Access denied for user ")) {
    static constexpr std::string_view kPam = " by PAM account configuration";
    if (!ConsumeSuffix(rest, kPam)) return Parsed::Unrecognized();
    Event event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.user = rest;
    event.user_valid = true;
    event.reason = m.substr(m.size() - kPam.size() + 4);  // "PAM account configuration"
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "PAM: ")) return ParsePamError(rest);
  if (ConsumePrefix(rest, "refused connect from ")) return ParseRefusedConnect(rest);
  if (ConsumePrefix(rest, "Authentication tried for ")) return ParseNotPermittedHost(rest);
  if (ConsumePrefix(rest, "Starting session: ")) return ParseSession(rest, true);
  if (ConsumePrefix(rest, "Close session: ")) return ParseSession(rest, false);
  if (m.starts_with("Server listening on ") || m.starts_with("Received SIGHUP; restarting") ||
      (m.starts_with("Received signal ") && m.ends_with("; terminating."))) {
    Event event = MakeEvent(EventKind::kService, Outcome::kNone);
    event.reason = m;
    if (event.reason.ends_with('.')) event.reason.remove_suffix(1);
    return Parsed::Of(event);
  }
  if (IsKnownNonEvent(m)) return Parsed::NotAnEvent();
  return Parsed::Unrecognized();
}

}  // namespace irk::logs
