#include "logs/logins_local.h"

#include <charconv>
#include <cstddef>
#include <cstdint>

#include "logs/message_text.h"

namespace irk::logs {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool ConsumeDigits(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  if (n == 0) return false;
  s.remove_prefix(n);
  return true;
}

bool HasSpace(std::string_view s) { return s.find(' ') != std::string_view::npos; }

// Removes text up to the next `delimiter` and returns it; nullopt when there
// is none.
std::optional<std::string_view> ConsumeUntil(std::string_view& s, char delimiter) {
  const size_t at = s.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view head = s.substr(0, at);
  s.remove_prefix(at + 1);
  return head;
}

// An IP address or host name. A name with an empty label ("203.0.113..") is
// junk, not a host: refusing it also keeps the address stable when parsed
// again from its own text. A NUL is refused too: IpAddress::Parse reads its
// text as a C string, so "192.0.2.1<NUL>junk" would pass as 192.0.2.1.
std::optional<EventAddress> ParseHost(std::string_view text) {
  if (text.find("..") != std::string_view::npos || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  return EventAddress::Parse(text);
}

// Only an IP address; NUL refused as in ParseHost.
std::optional<EventAddress> ParseIp(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  return EventAddress::ParseIp(text);
}

Event Make(EventKind kind, Outcome outcome) {
  Event event;
  event.kind = kind;
  event.outcome = outcome;
  return event;
}

// ---- login(1) ----

// What follows the count in a failed login: util-linux's " FROM src FOR user,
// error" or shadow's " on 'tty' [from 'host'] FOR 'user'[, error]".
std::optional<Event> ParseFailedLoginTail(std::string_view rest, std::string_view words) {
  Event event = Make(EventKind::kAuth, Outcome::kFailure);
  bool quoted = false;
  if (ConsumePrefix(rest, " FROM ")) {
    const std::optional<std::string_view> source = ConsumeUntil(rest, ' ');
    if (!source || source->empty()) return std::nullopt;
    event.addr = ParseIp(*source);
    if (!ConsumePrefix(rest, "FOR ")) return std::nullopt;
  } else if (ConsumePrefix(rest, " on '")) {
    if (!ConsumeUntil(rest, '\'')) return std::nullopt;
    if (ConsumePrefix(rest, " from '")) {
      const std::optional<std::string_view> host = ConsumeUntil(rest, '\'');
      if (!host) return std::nullopt;
      event.addr = ParseHost(*host);
    }
    if (!ConsumePrefix(rest, " FOR '")) return std::nullopt;
    quoted = true;
  } else {
    return std::nullopt;
  }
  // The typed name runs to the last ", " (PAM's error text has none) or to the end.
  const std::string_view separator = quoted ? "', " : ", ";
  const size_t comma = rest.rfind(separator);
  if (comma != std::string_view::npos) {
    event.user = rest.substr(0, comma);
    event.reason = rest.substr(comma + separator.size());
  } else {
    if (quoted && !ConsumeSuffix(rest, "'")) return std::nullopt;
    event.user = rest;
    event.reason = words;
  }
  return event;
}

std::optional<Parsed> ParseFailedLogin(std::string_view message) {
  std::string_view rest = message;
  std::string_view words;
  if (ConsumePrefix(rest, "FAILED LOGIN ")) {
    words = message.substr(0, 12);
  } else if (ConsumePrefix(rest, "TOO MANY LOGIN TRIES ")) {
    words = message.substr(0, 20);
  } else {
    return std::nullopt;
  }
  // The count: "1", "(1)" or util-linux's "SESSION".
  if (ConsumePrefix(rest, "(")) {
    if (!ConsumeDigits(rest) || !ConsumePrefix(rest, ")")) return std::nullopt;
  } else if (!ConsumePrefix(rest, "SESSION") && !ConsumeDigits(rest)) {
    return std::nullopt;
  }
  std::optional<Event> event = ParseFailedLoginTail(rest, words);
  if (!event) return std::nullopt;
  return Parsed::Of(*event);
}

// " FROM host" after util-linux's and BSD's tty; nothing, or not a host.
std::optional<EventAddress> RemoteHost(std::string_view rest) {
  if (!ConsumePrefix(rest, " FROM ")) return std::nullopt;
  return ParseHost(rest);
}

// shadow's " on 'tty' from 'host'": the host, when given.
std::optional<EventAddress> ShadowRemoteHost(std::string_view rest) {
  if (!ConsumePrefix(rest, " on '") || !ConsumeUntil(rest, '\'')) return std::nullopt;
  if (!ConsumePrefix(rest, " from '") || !ConsumeSuffix(rest, "'")) return std::nullopt;
  return ParseHost(rest);
}

std::optional<Parsed> ParseGoodLogin(std::string_view message) {
  Event event = Make(EventKind::kAuth, Outcome::kSuccess);
  std::string_view rest = message;
  if (ConsumePrefix(rest, "ROOT LOGIN ")) {
    event.user = "root";
    if (rest.starts_with(" on '")) {
      event.addr = ShadowRemoteHost(rest);
    } else {
      ConsumePrefix(rest, "ON ");
      const size_t space = rest.find(' ');
      if (rest.empty() || space == 0) return std::nullopt;
      if (space != std::string_view::npos) event.addr = RemoteHost(rest.substr(space));
    }
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "LOGIN ON ")) {
    // util-linux: "LOGIN ON tty1 BY alice [FROM host]"; the user is an account.
    const std::optional<std::string_view> tty = ConsumeUntil(rest, ' ');
    if (!tty || tty->empty() || !ConsumePrefix(rest, "BY ")) return std::nullopt;
    const size_t space = rest.find(' ');
    event.user = rest.substr(0, space);
    if (event.user.empty()) return std::nullopt;
    if (space != std::string_view::npos) event.addr = RemoteHost(rest.substr(space));
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "'")) {
    // shadow: "'alice' logged in on '/dev/tty1' [from 'host']".
    const size_t end = rest.rfind("' logged in on '");
    if (end == std::string_view::npos || end == 0) return std::nullopt;
    event.user = rest.substr(0, end);
    event.addr = ShadowRemoteHost(rest.substr(end + 11));
    return Parsed::Of(event);
  }
  // "alice LOGIN on 'tty1'".
  const size_t space = rest.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  std::string_view tail = rest.substr(space);
  if (!ConsumePrefix(tail, " LOGIN on '")) return std::nullopt;
  event.user = rest.substr(0, space);
  event.addr = ShadowRemoteHost(rest.substr(space + 6));
  return Parsed::Of(event);
}

// ---- systemd-logind ----

// A session id, bare or quoted: "12", "'12'", "c3".
bool ConsumeSessionId(std::string_view& s) {
  const bool quoted = ConsumePrefix(s, "'");
  size_t n = 0;
  while (n < s.size() && n < 64 && s[n] != ' ' && s[n] != '\'' && s[n] != '.') ++n;
  if (n == 0) return false;
  s.remove_prefix(n);
  return !quoted || ConsumePrefix(s, "'");
}

// ---- dropbear ----

// "203.0.113.5:4022" or "[2001:db8::5]:4022".
bool ReadAddressPort(std::string_view text, Event& event) {
  std::string_view host;
  std::string_view port;
  if (ConsumePrefix(text, "[")) {
    const size_t close = text.find("]:");
    if (close == std::string_view::npos) return false;
    host = text.substr(0, close);
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return false;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  uint16_t number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (ec != std::errc() || end != port.data() + port.size() || port.empty() || port[0] == '+') {
    return false;
  }
  std::optional<EventAddress> address = ParseIp(host);
  if (!address) return false;
  event.addr = address;
  event.port = number;
  return true;
}

// Reads "addr:port" after the last " from " of `text` and cuts `text` there.
bool ReadTrailingAddress(std::string_view& text, Event& event) {
  const size_t from = text.rfind(" from ");
  if (from == std::string_view::npos) return false;
  if (!ReadAddressPort(text.substr(from + 6), event)) return false;
  text = text.substr(0, from);
  return true;
}

// "for 'alice' from 203.0.113.5:4022" after `prefix`.
std::optional<Parsed> QuotedUserFrom(std::string_view message, std::string_view prefix,
                                     Event event) {
  if (!ConsumePrefix(message, prefix)) return std::nullopt;
  if (!ReadTrailingAddress(message, event) || !ConsumeSuffix(message, "'")) return std::nullopt;
  event.user = message;
  return Parsed::Of(event);
}

std::optional<Parsed> ParsePubkey(std::string_view message) {
  Event event = Make(EventKind::kAuth, Outcome::kSuccess);
  if (ConsumePrefix(message, "Pubkey auth succeeded for '")) {
  } else if (ConsumePrefix(message, "Pubkey auth bad signature for '")) {
    event.outcome = Outcome::kFailure;
  } else {
    return std::nullopt;
  }
  event.method = "publickey";
  if (!ReadTrailingAddress(message, event)) return std::nullopt;
  // The key text ("ssh-ed25519 key SHA256:…", "key md5 …") has no quote.
  const size_t with = message.rfind("' with ");
  if (with == std::string_view::npos) return std::nullopt;
  event.user = message.substr(0, with);
  event.key = message.substr(with + 7);
  return Parsed::Of(event);
}

std::optional<Parsed> ParseDropbearExit(std::string_view message) {
  std::string_view rest = message;
  if (ConsumePrefix(rest, "Exit before auth")) {
    Event event = Make(EventKind::kConnection, Outcome::kFailure);
    if (ConsumePrefix(rest, " from <")) {
      const std::optional<std::string_view> address = ConsumeUntil(rest, '>');
      if (!address || !ReadAddressPort(*address, event)) return std::nullopt;
    }
    const size_t colon = rest.find(": ");
    if (colon != std::string_view::npos) event.reason = rest.substr(colon + 2);
    return Parsed::Of(event);
  }
  Event event = Make(EventKind::kSession, Outcome::kNone);
  if (ConsumePrefix(rest, "Exit (")) {
    // "Exit (alice) from <203.0.113.5:4022>: Disconnect received": an
    // authenticated account's name, which has no ')'.
    const std::optional<std::string_view> user = ConsumeUntil(rest, ')');
    if (!user || user->empty()) return std::nullopt;
    event.user = *user;
    if (ConsumePrefix(rest, " from <")) {
      const std::optional<std::string_view> address = ConsumeUntil(rest, '>');
      if (!address || !ReadAddressPort(*address, event)) return std::nullopt;
    }
    ConsumePrefix(rest, ": ");
    event.reason = rest;
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "exit after auth (")) {
    const std::optional<std::string_view> user = ConsumeUntil(rest, ')');
    if (!user || user->empty()) return std::nullopt;
    event.user = *user;
    ConsumePrefix(rest, ": ");
    event.reason = rest;
    return Parsed::Of(event);
  }
  return std::nullopt;
}

}  // namespace

Parsed ParseLogin(std::string_view message) {
  if (auto parsed = ParseFailedLogin(message)) return *parsed;
  if (auto parsed = ParseGoodLogin(message)) return *parsed;
  return Parsed::Unrecognized();
}

Parsed ParseLogind(std::string_view message) {
  std::string_view rest = message;
  if (ConsumePrefix(rest, "New session ")) {
    if (!ConsumeSessionId(rest)) return Parsed::Unrecognized();
    Event event = Make(EventKind::kSession, Outcome::kSuccess);
    if (ConsumePrefix(rest, " of user '")) {
      const size_t end = rest.rfind("' with class '");
      if (end == std::string_view::npos || end == 0) return Parsed::Unrecognized();
      event.user = rest.substr(0, end);
      return Parsed::Of(event);
    }
    if (!ConsumePrefix(rest, " of user ") || !ConsumeSuffix(rest, ".") || rest.empty() ||
        HasSpace(rest)) {
      return Parsed::Unrecognized();
    }
    event.user = rest;
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "Removed session ")) {
    if (!ConsumeSessionId(rest) || rest != ".") return Parsed::Unrecognized();
    return Parsed::Of(Make(EventKind::kSession, Outcome::kNone));
  }
  for (std::string_view note : {"Session ",
                                "New seat ",
                                "Removed seat ",
                                "Watching system buttons on ",
                                "Power key ",
                                "Suspend key ",
                                "Hibernate key ",
                                "Reboot key ",
                                "Lid opened",
                                "Lid closed",
                                "System is powering down",
                                "System is rebooting",
                                "System is halting",
                                "Suspending",
                                "Operation '",
                                "Failed to ",
                                "Delay lock is active",
                                "Existing logind session ID",
                                "New user ",
                                "Removed user "}) {
    if (message.starts_with(note)) return Parsed::NotAnEvent();
  }
  return Parsed::Unrecognized();
}

Parsed ParseDropbear(std::string_view message) {
  Event failure = Make(EventKind::kAuth, Outcome::kFailure);
  Event success = Make(EventKind::kAuth, Outcome::kSuccess);
  failure.method = "password";
  success.method = "password";
  if (auto parsed = QuotedUserFrom(message, "Bad password attempt for '", failure)) return *parsed;
  if (auto parsed = QuotedUserFrom(message, "Password auth succeeded for '", success)) {
    return *parsed;
  }
  failure.method = {};
  if (auto parsed = ParsePubkey(message)) return *parsed;

  Event invalid = failure;
  invalid.user_valid = false;
  if (auto parsed = QuotedUserFrom(message, "Login attempt for nonexistent user '", invalid)) {
    return *parsed;
  }
  std::string_view rest = message;
  if (ConsumePrefix(rest, "Login attempt for nonexistent user from ")) {
    if (!ReadAddressPort(rest, invalid)) return Parsed::Unrecognized();
    return Parsed::Of(invalid);
  }
  Event tries = failure;
  tries.reason = message.substr(0, 22);
  if (auto parsed = QuotedUserFrom(message, "Max auth tries reached - user '", tries)) {
    return *parsed;
  }
  if (message == "root login rejected" || message == "Root login rejected") {
    Event refused = Make(EventKind::kRefused, Outcome::kFailure);
    refused.user = "root";
    return Parsed::Of(refused);
  }
  if (auto parsed = ParseDropbearExit(message)) return *parsed;
  rest = message;
  if (ConsumePrefix(rest, "Child connection from ")) {
    Event connection = Make(EventKind::kConnection, Outcome::kNone);
    if (!ReadAddressPort(rest, connection)) return Parsed::Unrecognized();
    return Parsed::Of(connection);
  }
  for (std::string_view note : {"Running in background", "Not backgrounding", "Failed listening on",
                                "Early exit: ", "Premature exit: ", "Generated hostkey",
                                "Generating a ", "Failed reading '"}) {
    if (message.starts_with(note)) return Parsed::NotAnEvent();
  }
  return Parsed::Unrecognized();
}

}  // namespace irk::logs
