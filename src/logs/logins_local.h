// Parsing of the other login programs' messages: login(1) on a console or
// telnet, systemd-logind's session records, and the dropbear SSH server.
#pragma once

#include <string_view>

#include "logs/event.h"

namespace irk::logs {

// Each parser reads `message` (the text after "prog[pid]: "). Pure, no
// allocation: the views point into `message` or are string literals ("root",
// "password", "publickey"). A message the parser does not know gives
// kUnrecognized.

// login(1), util-linux and shadow:
// - "FAILED LOGIN 1 FROM tty1 FOR alice, Authentication failure", "FAILED
//   LOGIN SESSION FROM tty1 FOR alice, …", "TOO MANY LOGIN TRIES (5) FROM
//   tty1 FOR alice, …" (util-linux), "FAILED LOGIN (1) on '/dev/tty1' [from
//   'host'] FOR 'alice', Authentication failure" and "TOO MANY LOGIN TRIES (5)
//   on '/dev/tty1' FOR 'root'" (shadow): kAuth, failure, reason the PAM error
//   (or "TOO MANY LOGIN TRIES"). The typed user name is read between " FOR "
//   and the last ", " (or the closing quote), so a name holding ", x" or
//   " FOR y" stays whole. util-linux writes the remote host or the tty after
//   FROM: addr is set only when it is an IP address.
// - "ROOT LOGIN ON tty1 [FROM host]", "LOGIN ON tty1 BY alice [FROM host]"
//   (util-linux), "ROOT LOGIN  on '/dev/tty1' [from 'host']", "'alice' logged
//   in on '/dev/tty1'", "alice LOGIN on 'tty1'" (shadow), "ROOT LOGIN tty1
//   FROM host" (BSD): kAuth, success; addr the remote host when given.
Parsed ParseLogin(std::string_view message);

// systemd-logind: "New session 12 of user alice." and v255+'s "New session
// '12' of user 'alice' with class 'user' and type 'tty'.": kSession, success.
// "Removed session 12.": kSession, outcome none, no user (logind names only
// the session; the session id is not an Event field, `raw` keeps it).
// "Session 12 logged out. Waiting for processes to exit.", seats, buttons,
// power and lid keys, and system shutdown notes are kNotAnEvent.
Parsed ParseLogind(std::string_view message);

// dropbear:
// - "Bad password attempt for 'root' from 203.0.113.5:4022": kAuth, failure,
//   method "password".
// - "Login attempt for nonexistent user 'admin' from …" (older: "… for
//   nonexistent user from …"): kAuth, failure, user_valid false.
// - "Password auth succeeded for 'alice' from …", "Pubkey auth succeeded for
//   'alice' with ssh-ed25519 key SHA256:… from …" (older "with key md5 …"):
//   kAuth, success, method "password" or "publickey", key the text after
//   "with ". "Pubkey auth bad signature for …" is the failure.
// - "Max auth tries reached - user 'root' from …": kAuth, failure.
// - "root login rejected": kRefused, failure.
// - "Exit before auth from <203.0.113.5:4022>: …" (and without "from <…>"):
//   kConnection, failure, reason the text after ">: ".
// - "Child connection from 203.0.113.5:4022": kConnection, outcome none.
// - "Exit (alice) from <…>: …", "exit after auth (alice): …": kSession,
//   outcome none.
// Addresses are "IPv4:port" or "[IPv6]:port" and must be IP addresses. The
// quoted user name is the attacker's: the address is read after the last
// " from ", and the name ends at the quote just before it, so a name holding
// "' from 192.0.2.1:1" cannot set the address.
Parsed ParseDropbear(std::string_view message);

}  // namespace irk::logs
