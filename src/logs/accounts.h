// Parsing of the shadow tools' messages (useradd, usermod, userdel, groupadd,
// groupdel, passwd, chage, gpasswd): attackers add accounts, raise a UID to 0
// or give a locked account a shell, and these lines are where it shows.
#pragma once

#include <string_view>

#include "logs/event.h"

namespace irk::logs {

// Parses `message` (the text after "prog[pid]: ") into a kAccount event with
// outcome success (failure for "failed adding user 'x', …"):
// - user: the account acted on; for group events ("new group: name=admins,
//   GID=1005", "group added to /etc/group: …", "group 'x' removed") the
//   group's name; for "removed group 'g' owned by 'u'" the owner u; for a
//   rename ("change user name 'old' to 'new'") the new name.
// - reason: the whole message, which is already the tool's short account of
//   the change ("change user 'x' UID from '1001' to '0'", "add 'mallory' to
//   group 'sudo'", "new user: name=mallory, UID=1001, …"): a view, so no
//   text is built per line.
// Known shapes: "new user: name=N, UID=…", "new group: name=G, GID=…", "group
// added to /etc/group: name=G, …", "add 'U' to [shadow ]group 'G'", "delete
// 'U' from [shadow ]group 'G'", "change user 'U' password", "change user 'U'
// <UID|GID|shell|home|…> from 'a' to 'b'", "change user name 'a' to 'b'",
// "lock user 'U' password", "unlock user 'U' password", "delete user 'U'",
// "removed group 'G' owned by 'U'", "group 'G' removed[ from /etc/group]",
// "password for 'U' changed by 'R'", "changed password expiry for U", "user
// U added by R to group G", "user U removed by R from group G". An account
// name is read from the left, right after its fixed opening words, and ends
// at its closing quote or comma (the tools refuse names holding either), so a
// home directory or shell written after it cannot change it. pam_unix's
// "password changed for U" under passwd or chpasswd is ParsePam's. A message
// this parser does not know gives kUnrecognized. Pure, no allocation.
Parsed ParseAccount(std::string_view message);

}  // namespace irk::logs
