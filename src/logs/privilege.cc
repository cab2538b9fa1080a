#include "logs/privilege.h"

#include <cstddef>

#include "logs/message_text.h"

namespace irk::logs {
namespace {

Event Privilege(Outcome outcome, std::string_view user, std::string_view target) {
  Event event;
  event.kind = EventKind::kPrivilege;
  event.outcome = outcome;
  event.user = user;
  event.command = target;
  return event;
}

bool HasSpace(std::string_view s) { return s.find(' ') != std::string_view::npos; }

// util-linux: "(to root) alice on pts/0", with "FAILED SU " before it on failure.
std::optional<Parsed> ParseUtilLinuxSu(std::string_view message) {
  const std::string_view whole = message;
  const bool failed = ConsumePrefix(message, "FAILED SU ");
  if (!ConsumePrefix(message, "(to ")) return std::nullopt;
  const size_t on = message.rfind(" on ");
  if (on == std::string_view::npos) return std::nullopt;
  const std::string_view tty = message.substr(on + 4);
  const std::string_view head = message.substr(0, on);
  const size_t close = head.rfind(") ");
  if (close == std::string_view::npos || tty.empty() || HasSpace(tty)) return std::nullopt;
  const std::string_view user = head.substr(close + 2);
  if (user.empty() || HasSpace(user)) return std::nullopt;
  Event event =
      Privilege(failed ? Outcome::kFailure : Outcome::kSuccess, user, head.substr(0, close));
  if (failed) event.reason = whole.substr(0, 9);
  return Parsed::Of(event);
}

// shadow's sulog line: "+ pts/0 alice:root" or "- pts/0 alice:root". Account
// names cannot hold ':' (it separates /etc/passwd's fields), and the invoking
// user's name comes from the password database, so the first ':' splits.
std::optional<Parsed> ParseSulog(std::string_view message) {
  Outcome outcome;
  if (ConsumePrefix(message, "+ ")) {
    outcome = Outcome::kSuccess;
  } else if (ConsumePrefix(message, "- ")) {
    outcome = Outcome::kFailure;
  } else {
    return std::nullopt;
  }
  const size_t space = message.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  const std::string_view names = message.substr(space + 1);
  const size_t colon = names.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == names.size()) {
    return std::nullopt;
  }
  const std::string_view user = names.substr(0, colon);
  if (HasSpace(user)) return std::nullopt;
  return Parsed::Of(Privilege(outcome, user, names.substr(colon + 1)));
}

// shadow: "Successful su for root by alice", "FAILED su for root by alice".
std::optional<Parsed> ParseShadowSu(std::string_view message) {
  const std::string_view whole = message;
  Outcome outcome;
  if (ConsumePrefix(message, "Successful su for ")) {
    outcome = Outcome::kSuccess;
  } else if (ConsumePrefix(message, "FAILED su for ")) {
    outcome = Outcome::kFailure;
  } else {
    return std::nullopt;
  }
  const size_t by = message.rfind(" by ");
  if (by == std::string_view::npos || by == 0) return std::nullopt;
  const std::string_view user = message.substr(by + 4);
  if (user.empty() || HasSpace(user)) return std::nullopt;
  Event event = Privilege(outcome, user, message.substr(0, by));
  if (outcome == Outcome::kFailure) event.reason = whole.substr(0, 9);
  return Parsed::Of(event);
}

// "TTY=pts/0": upper-case letters, then '='.
bool IsSudoField(std::string_view field) {
  size_t n = 0;
  while (n < field.size() && field[n] >= 'A' && field[n] <= 'Z') ++n;
  return n > 0 && n < field.size() && field[n] == '=';
}

}  // namespace

Parsed ParseSu(std::string_view message) {
  if (auto parsed = ParseUtilLinuxSu(message)) return *parsed;
  if (auto parsed = ParseShadowSu(message)) return *parsed;
  if (auto parsed = ParseSulog(message)) return *parsed;
  return Parsed::Unrecognized();
}

Parsed ParseSudo(std::string_view message) {
  const size_t start = message.find_first_not_of(' ');
  if (start == std::string_view::npos) return Parsed::Unrecognized();
  message.remove_prefix(start);
  if (message.starts_with("unable to resolve host ")) return Parsed::NotAnEvent();
  const size_t colon = message.find(" : ");
  if (colon == std::string_view::npos || colon == 0) return Parsed::Unrecognized();
  Event event = Privilege(Outcome::kSuccess, message.substr(0, colon), {});
  std::string_view rest = message.substr(colon + 3);

  bool first = true;
  bool saw_field = false;
  while (!rest.empty()) {
    if (ConsumePrefix(rest, "COMMAND=")) {
      event.command = rest;
      saw_field = true;
      break;
    }
    const size_t end = rest.find(" ; ");
    const std::string_view field = rest.substr(0, end);
    if (IsSudoField(field)) {
      saw_field = true;
    } else if (first) {
      event.outcome = Outcome::kFailure;
      event.reason = field;
    }
    // Anything else is the tail of a value that held " ; " (ENV=, PWD=).
    first = false;
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 3);
  }
  if (!saw_field) return Parsed::Unrecognized();
  return Parsed::Of(event);
}

}  // namespace irk::logs
