#include "logs/pam.h"

#include <cstddef>

#include "logs/message_text.h"

namespace irk::logs {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Removes one or more digits from the end of `s`.
bool ConsumeDigitsSuffix(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[s.size() - 1 - n])) ++n;
  if (n == 0) return false;
  s.remove_suffix(n);
  return true;
}

bool IsModuleChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '-';
}

// Module names, services and types are short words; a longer run is no PAM shape.
constexpr size_t kMaxModule = 64;
constexpr size_t kMaxService = 128;
constexpr size_t kMaxType = 32;

struct Shape {
  std::string_view module;  // "unix" for pam_unix; "" for "PAM " messages
  std::string_view type;    // "auth", "session", "chauthtok", …; "" when not given
  std::string_view text;    // the rest
};

// Splits "pam_unix(sshd:auth): text", "pam_ldap: text" or "PAM text".
std::optional<Shape> SplitShape(std::string_view message) {
  Shape shape;
  if (ConsumePrefix(message, "PAM ")) {
    shape.text = message;
    return shape;
  }
  if (!ConsumePrefix(message, "pam_")) return std::nullopt;
  size_t n = 0;
  while (n < message.size() && n <= kMaxModule && IsModuleChar(message[n])) ++n;
  if (n == 0 || n > kMaxModule || n == message.size()) return std::nullopt;
  shape.module = message.substr(0, n);
  message.remove_prefix(n);
  if (ConsumePrefix(message, ": ")) {
    shape.text = message;
    return shape;
  }
  if (!ConsumePrefix(message, "(")) return std::nullopt;
  const size_t close = message.substr(0, kMaxService + kMaxType + 2).find("): ");
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view inside = message.substr(0, close);
  const size_t colon = inside.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  shape.type = inside.substr(colon + 1);
  if (shape.type.size() > kMaxType) return std::nullopt;
  shape.text = message.substr(close + 3);
  return shape;
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

Event Failure(EventKind kind) {
  Event event;
  event.kind = kind;
  event.outcome = Outcome::kFailure;
  return event;
}

// The fields after "authentication failure; ": "logname= uid=0 euid=0 tty=ssh
// ruser= rhost=H  user=U". See the header for why rhost is the first
// candidate followed by " user=" or the end.
void ReadFailureFields(std::string_view fields, Event& event) {
  size_t from = 0;
  while (true) {
    const size_t at = fields.find("rhost=", from);
    if (at == std::string_view::npos) return;
    from = at + 1;
    if (at != 0 && fields[at - 1] != ' ') continue;
    const size_t start = at + 6;
    size_t end = fields.find(' ', start);
    if (end == std::string_view::npos) end = fields.size();
    std::string_view rest = fields.substr(end);
    const size_t spaces = rest.find_first_not_of(' ');
    if (spaces == std::string_view::npos) {
      // The value ends the message (perhaps with the trailing space pam_unix writes).
    } else if (spaces >= 1 && spaces <= 2 && rest.substr(spaces).starts_with("user=")) {
      event.user = rest.substr(spaces + 5);
    } else {
      continue;
    }
    event.addr = ParseHost(fields.substr(start, end - start));
    return;
  }
}

// "authentication failure; logname=…" and "2 more authentication failures; logname=…".
std::optional<Parsed> ParseAuthenticationFailure(std::string_view text) {
  const size_t semicolon = text.find("; ");
  if (semicolon == std::string_view::npos) {
    if (text != "authentication failure" && text != "Authentication failure") return std::nullopt;
    Event event = Failure(EventKind::kAuth);
    event.reason = text;
    return Parsed::Of(event);
  }
  const std::string_view head = text.substr(0, semicolon);
  std::string_view count = head.substr(0, head.find(' '));
  const std::string_view after_count = head.substr(count.size());
  const bool more = ConsumeDigitsSuffix(count) && count.empty() &&
                    (after_count == " more authentication failure" ||
                     after_count == " more authentication failures");
  if (!more && head != "authentication failure" && head != "Authentication failure") {
    return std::nullopt;
  }
  Event event = Failure(EventKind::kAuth);
  event.reason = head;
  std::string_view fields = text.substr(semicolon + 2);
  if (ConsumePrefix(fields, "user=")) {
    event.user = fields;  // pam_ldap: "Authentication failure; user=alice"
  } else {
    ReadFailureFields(fields, event);
  }
  return Parsed::Of(event);
}

// "session opened for user alice(uid=1000) by (uid=0)", "… for user alice by
// (uid=0)", "session closed for user alice". The user of a PAM session is an
// existing account, whose name has no space or parenthesis.
std::optional<Parsed> ParseSession(std::string_view text) {
  Event event;
  event.kind = EventKind::kSession;
  if (ConsumePrefix(text, "session opened for user ")) {
    event.outcome = Outcome::kSuccess;
  } else if (!ConsumePrefix(text, "session closed for user ")) {
    return std::nullopt;
  }
  const size_t end = text.find_first_of(" (");
  event.user = text.substr(0, end);
  if (event.user.empty()) return std::nullopt;
  return Parsed::Of(event);
}

// "account alice has expired (account expired)".
std::optional<Parsed> ParseAccountExpired(std::string_view text) {
  if (!ConsumePrefix(text, "account ") || !ConsumeSuffix(text, ")")) return std::nullopt;
  const size_t at = text.rfind(" has expired (");
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  Event event = Failure(EventKind::kRefused);
  event.user = text.substr(0, at);
  event.reason = text.substr(at + 14);
  return Parsed::Of(event);
}

// pam_tally2 and pam_tally: "user alice (1000) tally 4, deny 3".
std::optional<Parsed> ParseTally(std::string_view text) {
  if (!ConsumePrefix(text, "user ")) return std::nullopt;
  std::string_view rest = text;
  if (!ConsumeDigitsSuffix(rest) || !ConsumeSuffix(rest, ", deny ") || !ConsumeDigitsSuffix(rest) ||
      !ConsumeSuffix(rest, ") tally ") || !ConsumeDigitsSuffix(rest) ||
      !ConsumeSuffix(rest, " (") || rest.empty()) {
    return std::nullopt;
  }
  Event event = Failure(EventKind::kRefused);
  event.user = rest;
  event.reason = text.substr(text.rfind(" tally ") + 1);
  return Parsed::Of(event);
}

// pam_sss: "received for user alice: 7 (Authentication failure)".
std::optional<Parsed> ParseSssReceived(std::string_view text) {
  if (!ConsumePrefix(text, "received for user ") || !ConsumeSuffix(text, ")")) {
    return std::nullopt;
  }
  const size_t open = text.rfind(" (");
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view head = text.substr(0, open);
  if (!ConsumeDigitsSuffix(head) || !ConsumeSuffix(head, ": ") || head.empty()) {
    return std::nullopt;
  }
  Event event = Failure(EventKind::kAuth);
  event.user = head;
  event.reason = text.substr(open + 2);
  return Parsed::Of(event);
}

// pam_succeed_if: `requirement "uid >= 1000" not met by user "root"`. The
// requirement is the administrator's text; the user name may be anything.
std::optional<Parsed> ParseRequirement(std::string_view text) {
  if (!ConsumePrefix(text, "requirement \"") || !ConsumeSuffix(text, "\"")) return std::nullopt;
  const size_t at = text.find("\" not met by user \"");
  if (at == std::string_view::npos) return std::nullopt;
  Event event = Failure(EventKind::kRefused);
  event.user = text.substr(at + 19);
  event.reason = text.substr(0, at);
  return Parsed::Of(event);
}

std::optional<Parsed> ParseText(const Shape& shape, std::string_view text) {
  if (auto parsed = ParseAuthenticationFailure(text)) return parsed;
  if (auto parsed = ParseSession(text)) return parsed;

  std::string_view rest = text;
  if (text == "check pass; user unknown") {
    Event event = Failure(EventKind::kAuth);
    event.user_valid = false;
    event.reason = text.substr(12);
    return Parsed::Of(event);
  }
  if (ConsumePrefix(rest, "bad username [") && ConsumeSuffix(rest, "]")) {
    Event event = Failure(EventKind::kAuth);
    event.user = rest;
    event.user_valid = false;
    event.reason = text.substr(0, 12);
    return Parsed::Of(event);
  }
  rest = text;
  if (ConsumePrefix(rest, "password changed for ") && !rest.empty()) {
    Event event;
    event.kind = EventKind::kAccount;
    event.outcome = Outcome::kSuccess;
    event.user = rest;
    event.reason = text.substr(0, 16);
    return Parsed::Of(event);
  }
  rest = text;
  if (ConsumePrefix(rest, "Consecutive login failures for user ") &&
      ConsumeSuffix(rest, " account temporarily locked") && !rest.empty()) {
    Event event = Failure(EventKind::kRefused);
    event.user = rest;
    event.reason = text.substr(text.size() - 26);
    return Parsed::Of(event);
  }
  rest = text;
  if (ConsumePrefix(rest, "Tally overflowed for user ") && !rest.empty()) {
    Event event = Failure(EventKind::kRefused);
    event.user = rest;
    event.reason = text.substr(0, 16);
    return Parsed::Of(event);
  }
  if (auto parsed = ParseTally(text)) return parsed;
  if (auto parsed = ParseAccountExpired(text)) return parsed;
  if (auto parsed = ParseSssReceived(text)) return parsed;
  if (auto parsed = ParseRequirement(text)) return parsed;

  // pam_ldap (nss-pam-ldapd): "<PAM error>; user=alice".
  const size_t user_at = text.find("; user=");
  if (shape.module == "ldap" && user_at != std::string_view::npos && user_at > 0) {
    Event event = Failure(EventKind::kAuth);
    event.user = text.substr(user_at + 7);
    event.reason = text.substr(0, user_at);
    return Parsed::Of(event);
  }
  return std::nullopt;
}

// Messages PAM writes that record no security event.
bool IsKnownNote(const Shape& shape, std::string_view text) {
  if (shape.module.empty()) {
    return (text.starts_with("service(") &&
            text.find(") ignoring max retries; ") != std::string_view::npos) ||
           text.starts_with("adding faulty module: ") || text.starts_with("unable to dlopen(");
  }
  for (std::string_view quiet : {"systemd", "env", "keyinit", "motd", "mail", "lastlog", "limits",
                                 "loginuid", "selinux", "umask", "mkhomedir", "systemd_home"}) {
    if (shape.module == quiet) return true;
  }
  return text == "conversation failed" ||
         text.starts_with("auth could not identify password for [") ||
         text.starts_with("unable to dlopen(") || text.starts_with("Couldn't open /etc/securetty");
}

}  // namespace

Parsed ParsePam(std::string_view message) {
  const std::optional<Shape> shape = SplitShape(message);
  if (!shape) return Parsed::Unrecognized();
  if (std::optional<Parsed> parsed = ParseText(*shape, shape->text)) return *parsed;
  if (IsKnownNote(*shape, shape->text)) return Parsed::NotAnEvent();
  return Parsed::Unrecognized();
}

}  // namespace irk::logs
