#include "logs/accounts.h"

#include <cstddef>

#include "logs/message_text.h"

namespace irk::logs {
namespace {

// The name at the start of `s`, up to `end` (exclusive); empty when `end`
// does not occur or the name would be empty.
std::string_view NameUntil(std::string_view s, std::string_view end) {
  const size_t at = s.find(end);
  if (at == std::string_view::npos) return {};
  return s.substr(0, at);
}

// The name of `s` after `prefix`, ending at `end` or at the end of the message.
std::string_view NameAfter(std::string_view s, std::string_view prefix, std::string_view end) {
  if (!ConsumePrefix(s, prefix)) return {};
  if (end.empty()) return s;
  return NameUntil(s, end);
}

// The account a message is about, read by its shape; empty when the shape is unknown.
std::string_view AccountOf(std::string_view m) {
  std::string_view name;
  // useradd, groupadd.
  if (!(name = NameAfter(m, "new user: name=", ", ")).empty()) return name;
  if (!(name = NameAfter(m, "new group: name=", ", ")).empty()) return name;
  if (!(name = NameAfter(m, "new group: name=", "")).empty()) return name;
  if (m.starts_with("group added to /etc/")) {
    const size_t at = m.find(": name=");
    if (at == std::string_view::npos) return {};
    const std::string_view rest = m.substr(at + 7);
    name = NameUntil(rest, ", ");
    return name.empty() ? rest : name;
  }
  // usermod, useradd's supplementary groups, userdel.
  if (!(name = NameAfter(m, "add '", "' to ")).empty()) return name;
  if (!(name = NameAfter(m, "delete '", "' from ")).empty()) return name;
  if (m.starts_with("change user name '")) {
    const size_t to = m.find("' to '");
    if (to == std::string_view::npos || !m.ends_with("'") || to + 6 >= m.size()) return {};
    return m.substr(to + 6, m.size() - 1 - (to + 6));
  }
  if (!(name = NameAfter(m, "change user '", "' ")).empty()) return name;
  if (!(name = NameAfter(m, "lock user '", "' ")).empty()) return name;
  if (!(name = NameAfter(m, "unlock user '", "' ")).empty()) return name;
  if (!(name = NameAfter(m, "delete user '", "'")).empty()) return name;
  if (m.starts_with("removed group '")) {
    const size_t owner = m.find("' owned by '");
    if (owner == std::string_view::npos || !m.ends_with("'") || owner + 12 >= m.size()) return {};
    return m.substr(owner + 12, m.size() - 1 - (owner + 12));
  }
  // groupdel.
  if (!(name = NameAfter(m, "group '", "' removed")).empty()) return name;
  // passwd, chage, gpasswd.
  if (!(name = NameAfter(m, "password for '", "' changed by ")).empty()) return name;
  if (!(name = NameAfter(m, "changed password expiry for ", "")).empty()) return name;
  if (!(name = NameAfter(m, "user ", " added by ")).empty()) return name;
  if (!(name = NameAfter(m, "user ", " removed by ")).empty()) return name;
  return {};
}

}  // namespace

Parsed ParseAccount(std::string_view message) {
  Event event;
  event.kind = EventKind::kAccount;
  event.reason = message;
  if (const std::string_view failed = NameAfter(message, "failed adding user '", "'");
      !failed.empty()) {
    event.outcome = Outcome::kFailure;
    event.user = failed;
    return Parsed::Of(event);
  }
  event.user = AccountOf(message);
  if (event.user.empty()) return Parsed::Unrecognized();
  event.outcome = Outcome::kSuccess;
  return Parsed::Of(event);
}

}  // namespace irk::logs
