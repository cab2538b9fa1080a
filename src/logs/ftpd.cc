#include "logs/ftpd.h"

#include <array>
#include <cstddef>
#include <optional>

#include "logs/message_text.h"

namespace irk::logs {
namespace {

// Users the log implies without writing them in lower case.
constexpr std::string_view kRoot = "root";
constexpr std::string_view kAnonymous = "anonymous";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// A host name as daemons write it after a reverse lookup (the resolver
// refuses anything else), or an address: no spaces, brackets or parentheses.
bool IsHostToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '.' ||
                    c == '-' || c == '_' || c == ':' || c == '%';
    if (!ok) return false;
  }
  return true;
}

// The address a daemon wrote, IP only or also a host name, of the bytes
// IsHostToken allows.
std::optional<EventAddress> ParseIp(std::string_view text) {
  if (!IsHostToken(text)) return std::nullopt;
  return EventAddress::ParseIp(text);
}

// A host name has no empty label ("a..b", ".a"; one final '.' is the root),
// which keeps EventAddress's normal form stable when read again.
std::optional<EventAddress> ParseIpOrHost(std::string_view text) {
  if (!IsHostToken(text)) return std::nullopt;
  if (auto ip = EventAddress::ParseIp(text)) return ip;
  std::string_view name = text;
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty() || name.front() == '.' || name.back() == '.' ||
      name.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  return EventAddress::Parse(text);
}

Event MakeEvent(EventKind kind, Outcome outcome) {
  Event event;
  event.kind = kind;
  event.outcome = outcome;
  return event;
}

// ---------------------------------------------------------------- vsftpd

// What may follow `Client "ADDR"` in a vsftpd message.
enum class VsftpdTail {
  kLogin,     // nothing, or `, anon password "…"`
  kConnect,   // nothing, or `, "reason"`
  kTransfer,  // [`, "file"`] [`, N bytes`] `, R.RRKbyte/sec`
  kFileOp,    // [`, "file"`] [`, N bytes`]
  kText,      // [`, "text"`]: FTP command, FTP response, DEBUG
};

enum class UserField { kRequired, kForbidden, kOptional };

struct VsftpdAction {
  std::string_view name;
  bool has_status;  // preceded by "OK " or "FAIL "
  UserField user;
  VsftpdTail tail;
};

constexpr std::array<VsftpdAction, 12> kVsftpdActions = {{
    {"LOGIN", true, UserField::kRequired, VsftpdTail::kLogin},
    {"CONNECT", false, UserField::kForbidden, VsftpdTail::kConnect},
    {"DOWNLOAD", true, UserField::kRequired, VsftpdTail::kTransfer},
    {"UPLOAD", true, UserField::kRequired, VsftpdTail::kTransfer},
    {"MKDIR", true, UserField::kRequired, VsftpdTail::kFileOp},
    {"DELETE", true, UserField::kRequired, VsftpdTail::kFileOp},
    {"RENAME", true, UserField::kRequired, VsftpdTail::kFileOp},
    {"RMDIR", true, UserField::kRequired, VsftpdTail::kFileOp},
    {"CHMOD", true, UserField::kRequired, VsftpdTail::kFileOp},
    {"FTP command", false, UserField::kOptional, VsftpdTail::kText},
    {"FTP response", false, UserField::kOptional, VsftpdTail::kText},
    {"DEBUG", false, UserField::kOptional, VsftpdTail::kText},
}};

// One way to read a vsftpd message: which action, by whom, from where.
struct VsftpdReading {
  const VsftpdAction* action = nullptr;
  bool ok = false;
  std::string_view user;
  EventAddress addr;
  std::string_view quoted;  // the `, "…"` text after the address, if any
};

// `, "…"` as the whole of `s`; the text inside may hold quotes.
bool TakeQuoted(std::string_view s, std::string_view opener, std::string_view& inside) {
  if (!ConsumePrefix(s, opener) || !ConsumeSuffix(s, "\"")) return false;
  inside = s;
  return true;
}

bool StripBytes(std::string_view& s) {
  std::string_view rest = s;
  if (!ConsumeSuffix(rest, " bytes")) return false;
  const size_t comma = rest.rfind(", ");
  if (comma == std::string_view::npos || !AllDigits(rest.substr(comma + 2))) return false;
  s = rest.substr(0, comma);
  return true;
}

bool StripRate(std::string_view& s) {
  std::string_view rest = s;
  if (!ConsumeSuffix(rest, "Kbyte/sec")) return false;
  const size_t comma = rest.rfind(", ");
  if (comma == std::string_view::npos) return false;
  const std::string_view rate = rest.substr(comma + 2);
  const size_t dot = rate.find('.');
  if (dot == std::string_view::npos || !AllDigits(rate.substr(0, dot)) ||
      !AllDigits(rate.substr(dot + 1))) {
    return false;
  }
  s = rest.substr(0, comma);
  return true;
}

bool TailFits(VsftpdTail kind, std::string_view tail, std::string_view& quoted) {
  quoted = {};
  switch (kind) {
    case VsftpdTail::kLogin:
      return tail.empty() || TakeQuoted(tail, ", anon password \"", quoted);
    case VsftpdTail::kConnect:
    case VsftpdTail::kText:
      return tail.empty() || TakeQuoted(tail, ", \"", quoted);
    case VsftpdTail::kTransfer:
      if (!StripRate(tail)) return false;
      StripBytes(tail);
      return tail.empty() || TakeQuoted(tail, ", \"", quoted);
    case VsftpdTail::kFileOp:
      StripBytes(tail);
      return tail.empty() || TakeQuoted(tail, ", \"", quoted);
  }
  return false;
}

// Reads the message as if the `: Client "` at `at` were vsftpd's own.
std::optional<VsftpdReading> ReadVsftpdAt(std::string_view message, size_t at) {
  constexpr std::string_view kClient = ": Client \"";
  const std::string_view left = message.substr(0, at);
  std::string_view right = message.substr(at + kClient.size());
  const size_t quote = right.find('"');
  if (quote == std::string_view::npos) return std::nullopt;
  auto addr = ParseIp(right.substr(0, quote));
  if (!addr) return std::nullopt;
  const std::string_view tail = right.substr(quote + 1);

  for (const VsftpdAction& action : kVsftpdActions) {
    std::string_view head = left;
    if (!ConsumeSuffix(head, action.name)) continue;
    VsftpdReading reading;
    reading.action = &action;
    reading.addr = *addr;
    if (action.has_status) {
      if (ConsumeSuffix(head, "OK ")) {
        reading.ok = true;
      } else if (!ConsumeSuffix(head, "FAIL ")) {
        return std::nullopt;
      }
    }
    if (!head.empty()) {
      if (!ConsumePrefix(head, "[") || !ConsumeSuffix(head, "] ") || head.empty()) {
        return std::nullopt;
      }
      reading.user = head;
    }
    if (action.user == UserField::kRequired && reading.user.empty()) return std::nullopt;
    if (action.user == UserField::kForbidden && !reading.user.empty()) return std::nullopt;
    if (!TailFits(action.tail, tail, reading.quoted)) return std::nullopt;
    return reading;
  }
  return std::nullopt;
}

bool IsVsftpdEvent(const VsftpdReading& reading) {
  return reading.action->tail == VsftpdTail::kLogin || reading.action->tail == VsftpdTail::kConnect;
}

// ---------------------------------------------------------------- proftpd

// "USER evil: no such user found from HOST [ADDR] to LOCAL:PORT", read from
// the right; `body` starts after "USER ".
struct NoSuchUser {
  std::string_view user;
  EventAddress addr;
};

std::optional<NoSuchUser> ReadNoSuchUser(std::string_view body) {
  const size_t to = body.rfind(" to ");
  if (to == std::string_view::npos) return std::nullopt;
  const std::string_view local = body.substr(to + 4);
  const size_t colon = local.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || !AllDigits(local.substr(colon + 1)) ||
      !IsHostToken(local.substr(0, colon))) {
    return std::nullopt;
  }
  std::string_view rest = body.substr(0, to);
  if (!ConsumeSuffix(rest, "]")) return std::nullopt;
  const size_t open = rest.rfind('[');
  if (open == std::string_view::npos) return std::nullopt;
  auto addr = ParseIp(rest.substr(open + 1));
  if (!addr) return std::nullopt;
  rest = rest.substr(0, open);
  if (!ConsumeSuffix(rest, " ")) return std::nullopt;
  const size_t space = rest.rfind(' ');
  if (space == std::string_view::npos || !IsHostToken(rest.substr(space + 1))) return std::nullopt;
  rest = rest.substr(0, space + 1);
  if (!ConsumeSuffix(rest, ": no such user found from ") || rest.empty()) return std::nullopt;
  return NoSuchUser{rest, *addr};
}

// What "USER x (Login failed): REASON" means.
Event ProftpdLoginFailed(std::string_view user, std::string_view reason) {
  const bool refused = reason.starts_with("User in ") || reason.starts_with("Invalid shell") ||
                       reason.find("denies login") != std::string_view::npos ||
                       reason.starts_with("Root login");
  Event event = MakeEvent(refused ? EventKind::kRefused : EventKind::kAuth, Outcome::kFailure);
  event.user = user;
  event.reason = reason;
  if (reason.starts_with("No such user")) event.user_valid = false;
  return event;
}

// The message after the client group; `group_addr` is the group's address.
Parsed ParseProftpdBody(std::string_view body, const EventAddress& group_addr) {
  Event event;
  if (body == "FTP session opened." || body == "FTP session closed.") {
    event = MakeEvent(EventKind::kConnection, Outcome::kNone);
  } else if (body.starts_with("FTP login timed out")) {
    event = MakeEvent(EventKind::kConnection, Outcome::kFailure);
    event.reason = body;
  } else if (body.starts_with("FTP no transfer timeout") ||
             body.starts_with("FTP session idle timeout") ||
             body.starts_with("FTP data transfer stall timeout")) {
    event = MakeEvent(EventKind::kConnection, Outcome::kNone);
    event.reason = body;
  } else if (body.starts_with("Maximum login attempts (")) {
    event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.reason = body;
  } else if (std::string_view rest = body; ConsumePrefix(rest, "SECURITY VIOLATION: ")) {
    event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.reason = rest;
    if (rest.starts_with("Root login")) event.user = kRoot;
  } else if (std::string_view who = body;
             ConsumePrefix(who, "USER ") || ConsumePrefix(who, "ANON ")) {
    // Every shape is matched against the end of the message, after the
    // client's user name, in an order where no shape's fixed end can be the
    // tail of another's.
    std::string_view user = who;
    if (ConsumeSuffix(user, ": Login successful.") || ConsumeSuffix(user, ": Login successful")) {
      if (user.empty()) return Parsed::Unrecognized();
      event = MakeEvent(EventKind::kAuth, Outcome::kSuccess);
      event.user = user;
    } else if (auto missing = ReadNoSuchUser(who)) {
      if (!(missing->addr == group_addr)) return Parsed::Unrecognized();
      event = MakeEvent(EventKind::kAuth, Outcome::kFailure);
      event.user = missing->user;
      event.user_valid = false;
    } else if (const size_t failed = who.rfind(" (Login failed): ");
               failed != std::string_view::npos && failed > 0) {
      event = ProftpdLoginFailed(who.substr(0, failed), who.substr(failed + 17));
    } else {
      return Parsed::Unrecognized();
    }
  } else if (body.starts_with("Preparing to chroot") || body.starts_with("notice: ")) {
    return Parsed::NotAnEvent();
  } else {
    return Parsed::Unrecognized();
  }
  event.addr = group_addr;
  return Parsed::Of(event);
}

// ---------------------------------------------------------------- pure-ftpd

constexpr std::array<std::string_view, 6> kPureFtpdLevels = {"INFO",  "NOTICE", "WARNING",
                                                             "ERROR", "DEBUG",  "CRITICAL"};

// ---------------------------------------------------------------- wu-ftpd

// "[IDENT @ ]HOST [ADDR]" at the start of `s` (IDENT is what the client's
// identd said, one word); on success `s` is left after the ']'.
std::optional<EventAddress> TakeWuFtpdRemote(std::string_view& s) {
  std::string_view rest = s;
  size_t space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  if (rest.substr(space + 1).starts_with("@ ")) {
    rest.remove_prefix(space + 3);
    space = rest.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
  }
  if (!IsHostToken(rest.substr(0, space))) return std::nullopt;
  rest.remove_prefix(space + 1);
  if (!ConsumePrefix(rest, "[")) return std::nullopt;
  const size_t close = rest.find(']');
  if (close == std::string_view::npos) return std::nullopt;
  auto addr = ParseIp(rest.substr(0, close));
  if (!addr) return std::nullopt;
  s = rest.substr(close + 1);
  return addr;
}

}  // namespace

Parsed ParseVsftpd(std::string_view message) {
  constexpr std::string_view kClient = ": Client \"";
  // Only crafted text holds more than a few; beyond that the line is not read.
  constexpr int kMaxCandidates = 32;
  std::optional<VsftpdReading> chosen;
  int readings = 0;
  bool any_event = false;
  int candidates = 0;
  for (size_t at = message.find(kClient); at != std::string_view::npos;
       at = message.find(kClient, at + 1)) {
    if (++candidates > kMaxCandidates) return Parsed::Unrecognized();
    auto reading = ReadVsftpdAt(message, at);
    if (!reading) continue;
    ++readings;
    any_event = any_event || IsVsftpdEvent(*reading);
    chosen = reading;
  }
  if (readings == 0) return Parsed::Unrecognized();
  if (!any_event) return Parsed::NotAnEvent();
  if (readings > 1) return Parsed::Unrecognized();

  Event event;
  if (chosen->action->tail == VsftpdTail::kLogin) {
    event = MakeEvent(EventKind::kAuth, chosen->ok ? Outcome::kSuccess : Outcome::kFailure);
    event.user = chosen->user;
  } else if (chosen->quoted.starts_with("Connection refused")) {
    // max_clients, max_per_ip: "Connection refused: too many sessions."
    event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.reason = chosen->quoted;
  } else {
    event = MakeEvent(EventKind::kConnection, Outcome::kNone);
    event.reason = chosen->quoted;
  }
  event.addr = chosen->addr;
  return Parsed::Of(event);
}

Parsed ParseProftpd(std::string_view message) {
  // SERVER (HOST[ADDR]) - BODY  or  SERVER (HOST[ADDR]): BODY. The server
  // name is the administrator's and has no spaces; the group follows it at
  // once, before anything the client wrote.
  const size_t space = message.find(' ');
  if (space == std::string_view::npos || space == 0) return Parsed::NotAnEvent();
  std::string_view rest = message.substr(space + 1);
  if (!ConsumePrefix(rest, "(")) return Parsed::NotAnEvent();
  const size_t open = rest.find('[');
  if (open == std::string_view::npos || !IsHostToken(rest.substr(0, open))) {
    return Parsed::Unrecognized();
  }
  rest.remove_prefix(open + 1);
  const size_t close = rest.find(']');
  if (close == std::string_view::npos) return Parsed::Unrecognized();
  auto addr = ParseIp(rest.substr(0, close));
  if (!addr) return Parsed::Unrecognized();
  rest.remove_prefix(close + 1);
  if (!ConsumePrefix(rest, "): ") && !ConsumePrefix(rest, ") - ")) return Parsed::Unrecognized();
  return ParseProftpdBody(rest, *addr);
}

Parsed ParsePureFtpd(std::string_view message) {
  // (USER@HOST) [LEVEL] BODY: the first ") [LEVEL] " ends the prefix; the
  // body (which holds the client's user name before login) comes after it.
  if (!message.starts_with('(')) return Parsed::Unrecognized();
  size_t end = std::string_view::npos;
  std::string_view level;
  std::string_view body;
  for (size_t at = message.find(") ["); at != std::string_view::npos;
       at = message.find(") [", at + 1)) {
    const std::string_view after = message.substr(at + 3);
    for (std::string_view candidate : kPureFtpdLevels) {
      std::string_view rest = after;
      if (ConsumePrefix(rest, candidate) && ConsumePrefix(rest, "]") &&
          (rest.empty() || ConsumePrefix(rest, " "))) {
        end = at;
        level = candidate;
        body = rest;
        break;
      }
    }
    if (end != std::string_view::npos) break;
  }
  if (end == std::string_view::npos) return Parsed::Unrecognized();
  const std::string_view prefix = message.substr(1, end - 1);
  const size_t at_sign = prefix.rfind('@');
  if (at_sign == std::string_view::npos) return Parsed::Unrecognized();
  auto addr = ParseIpOrHost(prefix.substr(at_sign + 1));
  if (!addr) return Parsed::Unrecognized();
  const std::string_view account = prefix.substr(0, at_sign);
  const bool logged_in = !account.empty() && account != "?";

  Event event;
  std::string_view rest = body;
  if (body.starts_with("New connection from ")) {
    event = MakeEvent(EventKind::kConnection, Outcome::kNone);
  } else if (ConsumePrefix(rest, "Authentication failed for user [") && ConsumeSuffix(rest, "]")) {
    event = MakeEvent(EventKind::kAuth, Outcome::kFailure);
    event.user = rest;
  } else if (body == "Anonymous user logged in") {
    event = MakeEvent(EventKind::kAuth, Outcome::kSuccess);
    event.user = kAnonymous;
  } else if (ConsumeSuffix(rest, " is now logged in") && !rest.empty()) {
    event = MakeEvent(EventKind::kAuth, Outcome::kSuccess);
    event.user = rest;
  } else if (body == "Logout.") {
    event = logged_in ? MakeEvent(EventKind::kSession, Outcome::kNone)
                      : MakeEvent(EventKind::kConnection, Outcome::kFailure);
    if (logged_in) event.user = account;
  } else if (body.starts_with("Timeout")) {
    event = MakeEvent(EventKind::kConnection, logged_in ? Outcome::kNone : Outcome::kFailure);
    if (logged_in) event.user = account;
    event.reason = body;
  } else if (body.starts_with("Too many connections") ||
             body.starts_with("Anonymous users are not allowed")) {
    event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.reason = body;
  } else if (level == "DEBUG" || body.ends_with("KB/sec)")) {
    return Parsed::NotAnEvent();
  } else {
    return Parsed::Unrecognized();
  }
  event.addr = addr;
  return Parsed::Of(event);
}

Parsed ParseWuFtpd(std::string_view message) {
  std::string_view rest = message;
  Event event;
  bool has_user = true;
  if (ConsumePrefix(rest, "FTP LOGIN FROM ")) {
    event = MakeEvent(EventKind::kAuth, Outcome::kSuccess);
  } else if (ConsumePrefix(rest, "ANONYMOUS FTP LOGIN FROM ")) {
    event = MakeEvent(EventKind::kAuth, Outcome::kSuccess);
    event.user = kAnonymous;
  } else if (ConsumePrefix(rest, "FAILED LOGIN ")) {
    const size_t space = rest.find(' ');
    if (space == std::string_view::npos || !AllDigits(rest.substr(0, space))) {
      return Parsed::Unrecognized();
    }
    rest.remove_prefix(space + 1);
    if (!ConsumePrefix(rest, "FROM ")) return Parsed::Unrecognized();
    event = MakeEvent(EventKind::kAuth, Outcome::kFailure);
  } else if (ConsumePrefix(rest, "FTP LOGIN REFUSED (") ||
             ConsumePrefix(rest, "ANONYMOUS FTP LOGIN REFUSED (")) {
    // The reason is wu-ftpd's own words; the first ") FROM " ends it.
    const size_t end = rest.find(") FROM ");
    if (end == std::string_view::npos) return Parsed::Unrecognized();
    event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.reason = rest.substr(0, end);
    rest.remove_prefix(end + 7);
  } else if (ConsumePrefix(rest, "repeated login failures from ")) {
    event = MakeEvent(EventKind::kRefused, Outcome::kFailure);
    event.reason = message.substr(0, 23);  // "repeated login failures"
    has_user = false;
  } else if (ConsumePrefix(rest, "connection from ")) {
    event = MakeEvent(EventKind::kConnection, Outcome::kNone);
    has_user = false;
  } else {
    return Parsed::Unrecognized();
  }
  auto addr = TakeWuFtpdRemote(rest);
  if (!addr) return Parsed::Unrecognized();
  if (has_user) {
    // Everything after "], " is the user (for anonymous logins, the e-mail
    // address given as password, which is not kept).
    if (!ConsumePrefix(rest, ", ") || rest.empty()) return Parsed::Unrecognized();
    if (event.user.empty()) event.user = rest;
  } else if (!rest.empty() && !rest.starts_with(" at ") && !rest.starts_with(" (")) {
    return Parsed::Unrecognized();
  }
  event.addr = addr;
  return Parsed::Of(event);
}

}  // namespace irk::logs
